/** `lambda-optimizer doctor`: what this machine can do for the emulator. */
import { Command } from "commander";
import { type DoctorReport, doctorReport } from "../emulator/doctor-report.js";
import { NODE_VERSIONS_VARIABLE, OLDEST_NODE_MAJOR } from "../emulator/runtimes/interpreter.js";
import { printJson } from "./format.js";
import { parseSandboxMechanism, SANDBOX_FLAG_HELP } from "./sandbox-flags.js";

export function doctorCommand(): Command {
  return new Command("doctor")
    .summary("show how the emulator will limit CPU and memory here, and which runtimes it can run")
    .description(
      "Check this machine before a local tune: how the emulator will hold a function to its share " +
        "of CPU and memory here (cgroup v1 or v2 when this process may create one, else the " +
        "duty-cycle fallback), which Python and Node.js versions " +
        "it has, and which official Node.js binaries are cached for the majors functions declare. " +
        "Run it first when a tune's figures look wrong.",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ lambda-optimizer doctor\n  $ lambda-optimizer doctor --sandbox duty-cycle --json\n",
    )
    .option("--sandbox <mechanism>", SANDBOX_FLAG_HELP)
    .option("--json", "print one JSON document (shape: docs/commands/doctor.md)")
    .action(async (flags: { sandbox?: string; json?: boolean }) => {
      const force = parseSandboxMechanism(flags.sandbox);
      const report = await doctorReport(force ? { sandbox: force } : {});
      if (flags.json) printJson(report);
      else process.stdout.write(renderDoctorReport(report));
    });
}

function renderDoctorReport(report: DoctorReport): string {
  const { sandbox, runtimes } = report;
  const lines = [
    `lambda-optimizer ${report.version} on Node.js ${report.node}, ${report.hostCpus} CPUs`,
    `Sandbox: ${sandbox.mechanism} (memory limited by ${sandbox.memoryEnforcement})${sandbox.reason ? ` — ${sandbox.reason}` : ""}`,
    `  CPU share = memory / 1,769 MB of one CPU, at most ${sandbox.hostCpus} CPUs here`,
    `Runtimes: nodejs* yes; python3.* ${runtimes.python.available ? `yes (${runtimes.python.version})` : "no (python3 not found)"}; provided.* yes`,
    `  ${nodeLine(report)}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Which Node.js each nodejs<N>.x runs on here. */
function nodeLine(report: DoctorReport): string {
  const node = report.runtimes.nodejs;
  const host = `nodejs${report.node.replace(/^v/, "").split(".")[0]}.x runs on this Node.js (${report.node})`;
  if (node.versions === "host")
    return `${NODE_VERSIONS_VARIABLE}=host: every nodejs*.x runs on this Node.js (${report.node})`;
  const cached =
    node.cached.length > 0
      ? `cached: ${node.cached.map((binary) => `Node.js ${binary.version}`).join(", ")}`
      : "none cached yet";
  const others = node.fetchFrom
    ? `other majors from ${OLDEST_NODE_MAJOR} on are fetched once from the npm registry (${node.fetchFrom}) into ${node.cacheDir}`
    : "no official binaries are published on npm for this platform: other majors run on this Node.js, with a warning";
  return `${host}; ${cached}; ${others}`;
}
