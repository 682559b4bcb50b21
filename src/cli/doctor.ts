/** `lambda-optimizer doctor`: what this machine can do for the emulator. */
import { Command } from "commander";
import { type DoctorReport, doctorReport } from "../emulator/doctor-report.js";
import {
  LAW_CHECK_BUSY_SHARE,
  LAW_LARGE_MB,
  LAW_SMALL_MB,
  LAW_TOLERANCE,
} from "../emulator/law-check.js";
import { NODE_VERSIONS_VARIABLE, OLDEST_NODE_MAJOR } from "../emulator/runtimes/interpreter.js";
import { formatMs, formatNumber, formatPercent } from "../format.js";
import { formatUtcTime } from "../report/report-format.js";
import { printJson } from "./format.js";
import { parseSandboxMechanism, SANDBOX_FLAG_HELP } from "./sandbox-flags.js";

export function doctorCommand(): Command {
  return new Command("doctor")
    .summary("show how the emulator will limit CPU and memory here, and which runtimes it can run")
    .description(
      "Check this machine before a local tune: how the emulator will hold a function to its share " +
        "of CPU and memory here (cgroup v1 or v2 when this process may create one, else the " +
        "duty-cycle fallback) and how faithfully it did so when last checked, which Python and Node.js versions " +
        "it has, and which official Node.js binaries are cached for the majors functions declare. " +
        "Run it first when a tune's figures look wrong. --check measures, in a few seconds, how much " +
        "longer a CPU-bound function takes at 128 MB than at 1,769 MB here: 13.82 times on Lambda.",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ lambda-optimizer doctor\n  $ lambda-optimizer doctor --check\n  $ lambda-optimizer doctor --check --sandbox duty-cycle --json\n",
    )
    .option("--sandbox <mechanism>", SANDBOX_FLAG_HELP)
    .option(
      "--check",
      "measure the CPU law under the mechanism (a few seconds) and keep it for later doctor and tune runs",
    )
    .option("--json", "print one JSON document (shape: docs/commands/doctor.md)")
    .action(async (flags: { sandbox?: string; check?: boolean; json?: boolean }) => {
      const force = parseSandboxMechanism(flags.sandbox);
      const report = await doctorReport({
        ...(force ? { sandbox: force } : {}),
        ...(flags.check
          ? { check: true, onProgress: (line: string) => process.stderr.write(`${line}\n`) }
          : {}),
      });
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
    ...lawLines(report),
    `Runtimes: nodejs* yes; python3.* ${runtimes.python.available ? `yes (${runtimes.python.version})` : "no (python3 not found)"}; provided.* yes`,
    `  ${nodeLine(report)}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** The CPU law as measured under this mechanism: now, when last checked, or not yet. */
function lawLines(report: DoctorReport): string[] {
  const { check } = report;
  const pair = `d(${LAW_SMALL_MB})/d(${LAW_LARGE_MB})`;
  if (check === null)
    return [
      `  CPU law, ${pair}: not checked yet: run doctor --check (a few seconds)${report.sandbox.reason?.includes("forced") ? " with the same --sandbox" : ""}`,
    ];
  const when = check.cached
    ? `checked ${formatUtcTime(check.checkedAt)}; doctor --check measures it again`
    : `measured now in ${formatNumber(check.wallMs / 1000, 1)} s`;
  const lines = [
    `  CPU law, ${pair}: ${formatNumber(check.ratio, 2)} measured, ${formatNumber(check.law, 2)} on Lambda: ${signedPercent(check.error)} (${check.withinTolerance ? "within" : "outside"} ±${formatPercent(LAW_TOLERANCE)})`,
    `    median of ${check.samples} warm pairs, per unit of CPU work; ${formatMs(check.durationsMs.small)} ms at ${LAW_SMALL_MB} MB, ${formatMs(check.durationsMs.large)} ms at ${formatNumber(LAW_LARGE_MB)} MB (${formatNumber(check.durationRatio, 2)} from durations alone, for ${formatMs(check.cpuMs.small)} and ${formatMs(check.cpuMs.large)} ms of CPU); ${when}`,
  ];
  if ((check.otherCpuShare ?? 0) >= LAW_CHECK_BUSY_SHARE)
    lines.push(
      `    the host was busy during the check: other work took ${formatPercent(check.otherCpuShare!)} of the CPU time, which pulls the ratio down; check again on an idle machine`,
    );
  if (!check.withinTolerance)
    lines.push(
      `    so a local tune's absolute durations, and how steeply they fall with memory, are off by about ${formatPercent(Math.abs(check.error))} here`,
    );
  return lines;
}

function signedPercent(share: number): string {
  return `${share >= 0 ? "+" : "−"}${formatPercent(Math.abs(share), 1)}`;
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
