/** `lambda-optimizer doctor`: what this machine can do for the emulator. */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { Command } from "commander";
import {
  NODE_VERSIONS_VARIABLE,
  nodeVersionsFromEnvironment,
  OLDEST_NODE_MAJOR,
} from "../emulator/runtimes/interpreter.js";
import {
  cachedNodeBinaries,
  nodeBinariesDir,
  nodeBinaryPackage,
} from "../emulator/runtimes/node-binaries.js";
import { detectSandbox } from "../emulator/sandbox/index.js";
import { VERSION } from "../version.js";
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
    .option("--json", "print one JSON document")
    .action(async (flags: { sandbox?: string; json?: boolean }) => {
      const force = parseSandboxMechanism(flags.sandbox);
      const sandbox = await detectSandbox(force ? { force } : undefined);
      const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
      const nodeVersions = nodeVersionsFromEnvironment();
      const packageName = nodeBinaryPackage();
      const report = {
        version: VERSION,
        node: process.version,
        hostCpus: cpus().length,
        sandbox,
        runtimes: {
          nodejs: {
            available: true,
            command: process.execPath,
            // "declared": nodejs<N>.x runs on Node.js N; "host": every one on this Node.js.
            versions: nodeVersions,
            /** Where official Node.js binaries are fetched to, and which are there already. */
            cacheDir: nodeBinariesDir(),
            cached: cachedNodeBinaries().map(({ major, version, command }) => ({
              major,
              version,
              command,
            })),
            /** The npm package other majors are fetched from; null where none is published. */
            fetchFrom: packageName ?? null,
          },
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
        `  ${nodeLine(report.runtimes.nodejs)}`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

/** Which Node.js each nodejs<N>.x runs on here. */
function nodeLine(node: {
  versions: string;
  cacheDir: string;
  cached: readonly { major: number; version: string }[];
  fetchFrom: string | null;
}): string {
  const host = `nodejs${process.versions.node.split(".")[0]}.x runs on this Node.js (${process.version})`;
  if (node.versions === "host")
    return `${NODE_VERSIONS_VARIABLE}=host: every nodejs*.x runs on this Node.js (${process.version})`;
  const cached =
    node.cached.length > 0
      ? `cached: ${node.cached.map((binary) => `Node.js ${binary.version}`).join(", ")}`
      : "none cached yet";
  const others = node.fetchFrom
    ? `other majors from ${OLDEST_NODE_MAJOR} on are fetched once from the npm registry (${node.fetchFrom}) into ${node.cacheDir}`
    : "no official binaries are published on npm for this platform: other majors run on this Node.js, with a warning";
  return `${host}; ${cached}; ${others}`;
}
