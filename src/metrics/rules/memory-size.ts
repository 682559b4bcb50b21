/**
 * The size the memory rules propose: the largest use with headroom, rounded up
 * to a multiple of 64 MB within Lambda's range.
 */
import { MEMORY_MB } from "../../lambda/limits.js";

/** Headroom kept above the largest use when proposing a size. */
export const HEADROOM = 1.3;

/** Round up to a multiple of 64 MB, within Lambda's range. */
export function roundedSize(memoryMb: number): number {
  return Math.min(MEMORY_MB.max, Math.max(MEMORY_MB.min, Math.ceil(memoryMb / 64) * 64));
}
