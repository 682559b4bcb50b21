/**
 * Architectures on a local run. The embedded emulator runs every configuration on this machine's
 * CPU, so `--arch x86_64,arm64` locally would measure the same CPU twice and differ only by noise;
 * one such run told an arm64 function to move to x86_64. Instead a local run measures once per
 * memory size and prices the same samples at each architecture: the other architecture's
 * durations are assumed equal, said so, and the choice between architectures is made on price
 * alone. On AWS every configuration is measured and none of this applies.
 */
import type { Architecture } from "../pricing/price-table.js";
import type { ConfigurationKey } from "./configuration-key.js";
import type { ConfigurationResult, Modelled } from "./tune-result.js";

/** What a modelled configuration's durations are, in words. */
export function modelledDurationLabel(architecture: Architecture): string {
  return architecture === "arm64"
    ? "assumed equal (not measured on Graviton)"
    : "assumed equal (not measured on x86_64)";
}

/** How a configuration at `architecture` is modelled when the samples ran on `host`; null when measured. */
export function modelledOn(architecture: Architecture, host: Architecture): Modelled | null {
  return architecture === host
    ? null
    : { duration: modelledDurationLabel(architecture), measuredOn: host };
}

/**
 * Which architecture a local run executes, and which it only prices: the host's own when asked
 * for, else the first asked for (its durations are then modelled too). A function declared arm64
 * is always priced at arm64 as well, at no cost in invocations, so that a run asked for x86_64
 * alone cannot tell it to move.
 */
export function localArchitecturePlan(
  requested: readonly Architecture[],
  host: Architecture,
  declared: Architecture,
): { readonly executed: Architecture; readonly pricedOnly: readonly Architecture[] } {
  const all: readonly Architecture[] =
    declared === "arm64" && !requested.includes("arm64") ? [...requested, "arm64"] : requested;
  const executed = all.includes(host) ? host : all[0]!;
  return { executed, pricedOnly: all.filter((architecture) => architecture !== executed) };
}

/**
 * The configurations a local run may recommend. A function declared arm64 is never told to move
 * to x86_64 from a local run: whatever the figures say, they were not measured on Graviton.
 * Unchanged when no arm64 configuration succeeded (then only x86_64 was asked for).
 */
export function localCandidates(
  results: readonly ConfigurationResult[],
  original: ConfigurationKey,
): readonly ConfigurationResult[] {
  if (original.architecture !== "arm64") return results;
  const declared = results.filter(
    (result) => result.architecture === "arm64" && result.status === "ok",
  );
  return declared.length > 0
    ? results.filter((result) => result.architecture === "arm64")
    : results;
}

/** What a local recommendation's reason adds when architectures were modelled. */
export function modelledReason(
  chosen: ConfigurationResult,
  original: ConfigurationKey,
  results: readonly ConfigurationResult[],
): string {
  const sentences: string[] = [];
  if (chosen.modelled) {
    const switching = chosen.architecture !== original.architecture;
    const compared = results.some((result) => result.architecture !== chosen.architecture);
    sentences.push(
      `Modelled: the ${chosen.architecture} figures are this machine's ${chosen.modelled.measuredOn} samples priced at ${chosen.architecture}'s rates, durations ${chosen.modelled.duration}${compared ? `, so ${chosen.architecture} is preferred on price alone` : ""}${switching ? `; tune on AWS before moving from ${original.architecture}` : ""}.`,
    );
  }
  const skipped =
    original.architecture === "arm64" &&
    chosen.architecture === "arm64" &&
    results.some((result) => result.architecture === "x86_64");
  if (skipped) {
    sentences.push(
      "x86_64 was not considered: the function is declared arm64, and a local run cannot tell the two apart.",
    );
  }
  return sentences.join(" ");
}
