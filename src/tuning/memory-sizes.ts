/**
 * The memory sizes a tune may try: any of Lambda's, at most as many as ALL
 * (every 64 MB step from 128 to 10,240 MB). The CLI's ranges ("128..3008:128")
 * and Power Tuning's "ALL" are built here, so every surface counts the same way.
 */
import { MEMORY_MB } from "../lambda/limits.js";

/** Every `step` MB from `from` to `to`, both included when the steps land on `to`. */
export function memorySizeRange(from: number, to: number, step: number): number[] {
  const sizes: number[] = [];
  for (let size = from; size <= to; size += step) sizes.push(size);
  return sizes;
}

/** ALL: every 64 MB step from 128 to 10,240 MB. */
export const ALL_MEMORY_SIZES: readonly number[] = (() => {
  const sizes = memorySizeRange(MEMORY_MB.min, MEMORY_MB.max, 64);
  if (sizes.at(-1) !== MEMORY_MB.max) sizes.push(MEMORY_MB.max);
  return sizes;
})();

/**
 * The most memory sizes one run tries: as many as ALL (159). Finer steps than
 * 64 MB cannot show anything (CPU grows smoothly with memory; Power Tuning
 * itself offers ALL at this grain), and each size costs a publish, a warm-up
 * and `num` invocations.
 */
export const MAX_MEMORY_SIZES = ALL_MEMORY_SIZES.length;

/** "160 memory sizes; at most 159 (...)": what is wrong with asking for `count` sizes. */
export function tooManyMemorySizes(count: number): string {
  return `${count.toLocaleString("en-US")} memory sizes; at most ${MAX_MEMORY_SIZES} (as many as ALL, every 64 MB step from ${MEMORY_MB.min} to ${MEMORY_MB.max.toLocaleString("en-US")} MB)`;
}
