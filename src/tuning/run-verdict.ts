/**
 * The verdict on a tuning run: can its figures be trusted? Numbers alone do not say that a
 * local run shared its CPU with a build, that five invocations left the mean uncertain, or that
 * every "sample" was the function failing. Each of those is a warning here, and the summary is
 * one sentence a person can act on. A pure function over the results and two host readings.
 */

import { formatNumber, formatPercent } from "../format.js";
import { vcpuShare } from "../lambda/cpu-share.js";
import { describeConfiguration } from "./configuration-key.js";
import type { HostLoadReading } from "./host-load.js";
import type { ConfigurationResult, LawCheckSummary, Verdict } from "./tune-result.js";

/** Other work using this share of all CPU time makes a local run disturbed (half a core of two). */
export const BUSY_OTHER_SHARE = 0.25;
/** Without /proc/stat: a load average, less our own work, of this many per core. */
export const BUSY_LOAD_PER_CPU = 0.5;
/** CPU steal above this share of the run's CPU time. */
export const STEAL_SHARE = 0.05;
/** A mean duration whose 95% interval is wider than ± this share of it is still uncertain. */
export const WIDE_INTERVAL = 0.1;

const ERROR_PATH = "the error path was measured, not the function";

export interface VerdictInput {
  readonly results: readonly ConfigurationResult[];
  readonly num: number;
  readonly dryRun: boolean;
  /** Local runs: this machine's load before the first invocation and after the last. Null on AWS. */
  readonly host: { readonly before: HostLoadReading; readonly after: HostLoadReading } | null;
  /** Local runs: the CPU law as checked on this host under the run's sandbox mechanism. */
  readonly lawCheck?: LawCheckSummary | null | undefined;
}

type Warning = Verdict["warnings"][number];

export function judgeRun(input: VerdictInput): Verdict {
  const hostLoad = input.host ? hostLoadFigures(input.host, input.results) : null;
  if (input.dryRun) {
    return {
      status: "doubtful",
      summary:
        "dry run: one invocation per configuration checks the setup; its figures are not a measurement",
      warnings: [],
      hostLoad,
    };
  }
  const warnings: Warning[] = [
    ...hostWarnings(hostLoad),
    ...lawWarnings(input.lawCheck),
    ...intervalWarnings(input.results),
    ...allowedExceptionWarnings(input.results),
  ];
  return {
    status: warnings.length === 0 ? "trustworthy" : "doubtful",
    summary: summarize(warnings, hostLoad),
    warnings,
    hostLoad,
  };
}

type HostLoad = NonNullable<Verdict["hostLoad"]>;

/** Busy and steal shares over the run; our own CPU time is taken out of "busy" in hostWarnings. */
function hostLoadFigures(
  host: NonNullable<VerdictInput["host"]>,
  results: readonly ConfigurationResult[],
): HostLoad {
  const { before, after } = host;
  const cpus = Math.max(1, after.cpus);
  const elapsedTicks =
    before.cpuTimes && after.cpuTimes ? after.cpuTimes.total - before.cpuTimes.total : 0;
  const busyShare =
    elapsedTicks > 0
      ? clampShare(1 - (after.cpuTimes!.idle - before.cpuTimes!.idle) / elapsedTicks)
      : null;
  const stealShare =
    elapsedTicks > 0
      ? clampShare((after.cpuTimes!.steal - before.cpuTimes!.steal) / elapsedTicks)
      : null;
  // Our own share: the tuner and emulator in this process, plus the function's CPU, at most
  // its duration times its vCPU share (the sandbox holds it there).
  const wallMs = after.atMs - before.atMs;
  const ownCpuMs = Math.max(0, after.processCpuMs - before.processCpuMs) + functionCpuMs(results);
  const ownShare = wallMs > 0 ? clampShare(ownCpuMs / (wallMs * cpus)) : 1;
  let otherShare: number | null = null;
  if (busyShare !== null) otherShare = Math.max(0, busyShare - ownShare);
  else if (after.loadAverage1m !== null) {
    const ownLoad = ownShare * cpus;
    const other = Math.max(before.loadAverage1m ?? 0, after.loadAverage1m - ownLoad);
    otherShare = clampShare(other / cpus);
  }
  return {
    cpus,
    loadBefore: before.loadAverage1m,
    loadAfter: after.loadAverage1m,
    busyShare,
    stealShare,
    otherShare,
  };
}

/** An upper bound on the CPU the measured invocations used: duration × vCPU share, warm-ups included. */
function functionCpuMs(results: readonly ConfigurationResult[]): number {
  let total = 0;
  for (const result of results) {
    if (result.modelled) continue;
    const share = vcpuShare(result.memoryMb);
    for (const sample of result.samples)
      total += (sample.durationMs + (sample.initDurationMs ?? 0)) * share;
    if (result.coldStart)
      total += (result.coldStart.durationMs + (result.coldStart.initDurationMs ?? 0)) * share;
  }
  return total;
}

function hostWarnings(hostLoad: HostLoad | null): Warning[] {
  if (hostLoad === null) return [];
  const warnings: Warning[] = [];
  const { otherShare, cpus } = hostLoad;
  const threshold = hostLoad.busyShare !== null ? BUSY_OTHER_SHARE : BUSY_LOAD_PER_CPU;
  if (otherShare !== null && otherShare >= threshold) {
    const load = hostLoad.loadAfter ?? hostLoad.loadBefore;
    const figures = [
      ...(load !== null ? [`load ${loadText(load)} on ${cores(cpus)}`] : []),
      ...(hostLoad.busyShare !== null
        ? [`other work took ${formatPercent(otherShare)} of the CPU time during the run`]
        : []),
    ];
    warnings.push({ kind: "host-busy", message: `the host was busy (${figures.join("; ")})` });
  }
  if (hostLoad.stealShare !== null && hostLoad.stealShare >= STEAL_SHARE) {
    warnings.push({
      kind: "cpu-steal",
      message: `the hypervisor gave ${formatPercent(hostLoad.stealShare)} of the CPU time to other guests (steal)`,
    });
  }
  return warnings;
}

/**
 * The emulator's CPU share off Lambda's on this host: every local duration is then off by the
 * share's error, most at the smallest sizes, so the curve is steeper or flatter than on Lambda.
 */
function lawWarnings(check: LawCheckSummary | null | undefined): Warning[] {
  if (!check || check.withinTolerance) return [];
  const sign = check.error >= 0 ? "+" : "−";
  const when = check.cached
    ? `checked ${check.checkedAt.slice(0, 16).replace("T", " ")} UTC`
    : "checked just before this run";
  return [
    {
      kind: "cpu-law-off",
      message:
        `this host's CPU law is off by ${sign}${formatPercent(Math.abs(check.error), 1)}: a CPU-bound function took ` +
        `${formatNumber(check.ratio, 2)} times as long at 128 MB as at 1,769 MB (${formatNumber(check.law, 2)} on Lambda; ${when}), ` +
        "so the absolute durations and how steeply they fall with memory are off by about as much",
    },
  ];
}

/** Measured configurations whose mean duration is still uncertain. */
function intervalWarnings(results: readonly ConfigurationResult[]): Warning[] {
  const wide = results
    .filter((result) => result.status === "ok" && !result.modelled)
    .map((result) => ({ result, width: relativeHalfWidth(result) }))
    .filter((entry) => entry.width > WIDE_INTERVAL)
    .sort((a, b) => b.width - a.width);
  if (wide.length === 0) return [];
  const [widest] = wide;
  const more = wide.length > 1 ? ` (and ${wide.length - 1} more)` : "";
  const { result, width } = widest!;
  const message =
    result.invocations < 2
      ? `${describeConfiguration(result)} has a single invocation: no spread to judge the mean by${more}`
      : `the mean duration is still uncertain after ${result.invocations} invocations: its 95% interval is ±${formatPercent(width)} at ${describeConfiguration(result)}${more}`;
  return [{ kind: "wide-interval", message }];
}

/** Half the 95% interval's width over the mean duration; infinite with fewer than two samples. */
export function relativeHalfWidth(result: ConfigurationResult): number {
  if (result.invocations < 2) return Number.POSITIVE_INFINITY;
  const mean = result.durationMs.mean;
  if (!(mean > 0)) return 0;
  return (result.durationCi95.high - result.durationCi95.low) / 2 / mean;
}

function allowedExceptionWarnings(results: readonly ConfigurationResult[]): Warning[] {
  const sampled = results.filter((result) => !result.modelled && result.samples.length > 0);
  const errorPathOnly = sampled.filter((result) =>
    result.samples.every((sample) => sample.errorType !== null),
  );
  if (errorPathOnly.length === 0) return [];
  if (errorPathOnly.length === sampled.length) {
    return [
      {
        kind: "allowed-exceptions-only",
        message: `every sample was an allowed exception: ${ERROR_PATH}`,
      },
    ];
  }
  const names = errorPathOnly.map(describeConfiguration);
  return [
    {
      kind: "allowed-exceptions-only",
      message: `every sample at ${listOf(names)} was an allowed exception: there, ${ERROR_PATH}`,
    },
  ];
}

/** What to do about the warnings, once each: rerunning on an idle host with more --num covers a wide interval too. */
function adviceFor(warnings: readonly Warning[]): string[] {
  const kinds = new Set(warnings.map((warning) => warning.kind));
  const advice: string[] = [];
  if (kinds.has("host-busy") || kinds.has("cpu-steal"))
    advice.push("rerun on an idle machine or raise --num");
  else if (kinds.has("wide-interval")) advice.push("raise --num or use --until-confident");
  if (kinds.has("cpu-law-off"))
    advice.push("`lambda-optimizer doctor --check` measures the law again");
  if (kinds.has("allowed-exceptions-only"))
    advice.push("check the payload: the function failed on every call counted");
  return advice;
}

function summarize(warnings: readonly Warning[], hostLoad: HostLoad | null): string {
  if (warnings.length === 0) {
    const host =
      hostLoad === null
        ? ""
        : hostLoad.loadAfter === null && hostLoad.busyShare === null
          ? "; this host's load could not be read (no /proc here), so a busy host would not show"
          : `; the host was quiet${hostLoad.loadAfter === null ? "" : ` (load ${loadText(hostLoad.loadAfter)} on ${cores(hostLoad.cpus)})`}`;
    return `results trustworthy: every mean duration is known within ±${formatPercent(WIDE_INTERVAL)}${host}`;
  }
  const onlyErrorPath = warnings.every((warning) => warning.kind === "allowed-exceptions-only");
  const lead = onlyErrorPath ? "misleading" : "disturbed";
  return `${lead}: ${[...warnings.map((warning) => warning.message), ...adviceFor(warnings)].join("; ")}`;
}

function clampShare(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function loadText(load: number): string {
  return load.toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

function cores(count: number): string {
  return `${count} core${count === 1 ? "" : "s"}`;
}

function listOf(names: readonly string[]): string {
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
