/** `lambda-optimizer doctor`: what this machine can do for the emulator. */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { Command } from "commander";
import { detectSandbox } from "../emulator/sandbox/index.js";
import { VERSION } from "../version.js";
import { printJson } from "./format.js";
import { parseSandboxMechanism, SANDBOX_FLAG_HELP } from "./sandbox-flags.js";

export function doctorCommand(): Command {
  return new Command("doctor")
    .summary("show how the emulator will limit CPU and memory here, and which runtimes it can run")
    .option("--sandbox <mechanism>", SANDBOX_FLAG_HELP)
    .option("--json", "print one JSON document")
    .action(async (flags: { sandbox?: string; json?: boolean }) => {
      const force = parseSandboxMechanism(flags.sandbox);
      const sandbox = await detectSandbox(force ? { force } : undefined);
      const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
      const report = {
        version: VERSION,
        node: process.version,
        hostCpus: cpus().length,
        sandbox,
        runtimes: {
          nodejs: { available: true, command: process.execPath },
          python: {
            available: python.status === 0,
            version: python.status === 0 ? python.stdout.trim() || python.stderr.trim() : null,
          },
          provided: { available: true, note: "runs the function's own bootstrap executable" },
        },
      };
      if (flags.json) {
        printJson(report);
        return;
      }
      const lines = [
        `lambda-optimizer ${report.version} on Node.js ${report.node}, ${report.hostCpus} CPUs`,
        `Sandbox: ${sandbox.mechanism} (memory limited by ${sandbox.memoryEnforcement})${sandbox.reason ? ` — ${sandbox.reason}` : ""}`,
        `  CPU share = memory / 1,769 MB of one CPU, at most ${sandbox.hostCpus} CPUs here`,
        `Runtimes: nodejs* yes; python3.* ${report.runtimes.python.available ? `yes (${report.runtimes.python.version})` : "no (python3 not found)"}; provided.* yes`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
