/**
 * How a local run's sandbox held the function to Lambda's CPU and memory, in words, the same in
 * the terminal and the HTML report: the mechanism, and the CPU law as checked on the host.
 */
import { formatNumber, formatPercent } from "../format.js";
import type { TuneResult } from "../tuning/tune-result.js";

type RunSandbox = NonNullable<TuneResult["sandbox"]>;

/** "cgroup-v1; memory cgroup; 2 host CPUs; CPU law 14.05 (Lambda: 13.82, +1.7%)". */
export function describeRunSandbox(sandbox: RunSandbox): string {
  return [
    sandbox.mechanism,
    `memory ${sandbox.memoryEnforcement}`,
    `${formatNumber(sandbox.hostCpus)} host CPUs`,
    ...(sandbox.lawCheck === undefined ? [] : [describeLaw(sandbox.lawCheck)]),
  ].join("; ");
}

function describeLaw(check: RunSandbox["lawCheck"]): string {
  if (check == null) return "CPU law not checked on this host (lambda-optimizer doctor --check)";
  const sign = check.error >= 0 ? "+" : "−";
  return `CPU law d(128)/d(1769) ${formatNumber(check.ratio, 2)} (Lambda: ${formatNumber(check.law, 2)}, ${sign}${formatPercent(Math.abs(check.error), 1)})`;
}
