/**
 * The CPU law, checked on this host: Lambda gives a function CPU in
 * proportion to its memory, so a single-threaded CPU-bound handler takes
 * 1769/128 = 13.82 times as long at 128 MB as at 1,769 MB. This runs such a
 * handler in the emulator at both sizes, under the mechanism the emulator
 * would use here (or a forced one), and reports the measured ratio: what
 * `doctor --check` prints and what `tune` warns from when it is off.
 */
import { z } from "zod";
import { MEMORY_MB_PER_VCPU } from "../lambda/cpu-share.js";
import { type ForcedMechanism, SandboxReportSchema } from "./sandbox/index.js";

export const LAW_SMALL_MB = 128;
export const LAW_LARGE_MB = MEMORY_MB_PER_VCPU;
/** d(128)/d(1769) on Lambda. */
export const LAW_RATIO = LAW_LARGE_MB / LAW_SMALL_MB;
/** How far the measured ratio may be from the law before durations are called off. */
export const LAW_TOLERANCE = 0.1;

export const LawCheckSchema = z.object({
  /** The mechanism that ran the check (the sandbox report's). */
  mechanism: SandboxReportSchema.shape.mechanism,
  sandbox: SandboxReportSchema,
  /** d(128)/d(1769) measured here: median of the pairs' ratios. */
  ratio: z.number().positive(),
  /** Lambda's: 1769/128. */
  law: z.number().positive(),
  /** ratio / law - 1, e.g. 0.04 for 4% slow at 128 MB. */
  error: z.number(),
  withinTolerance: z.boolean(),
  /** Median warm durations, ms, at each size. */
  durationsMs: z.object({ small: z.number().positive(), large: z.number().positive() }),
  samples: z.number().int().positive(),
  /** When it ran (ISO 8601): a cached check says how old it is. */
  checkedAt: z.string(),
  /** Wall time the check took, ms. */
  wallMs: z.number().nonnegative(),
});
export type LawCheck = z.infer<typeof LawCheckSchema>;

export interface LawCheckOptions {
  readonly sandbox?: ForcedMechanism;
  /** Progress lines for stderr. */
  readonly onProgress?: (line: string) => void;
}
