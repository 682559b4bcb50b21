/**
 * Whether a tuning run still describes its function: the guide says to re-tune periodically
 * (quarterly) for long-running production functions, and after code changes. A run is stale
 * when it is older than the days allowed, or when the function's code is no longer the code it
 * tuned. Pure: the time and the current code's hash are handed in, so `metrics` (a
 * recommendation) and `compare --max-age-days` (a CI gate) judge alike.
 */
import { z } from "zod";
import type { TunedCode } from "./tune-result.js";

/** Quarterly, as the guide says: what `metrics` and `compare` use unless told otherwise. */
export const DEFAULT_MAX_TUNE_AGE_DAYS = 90;

const DAY_MS = 86_400_000;

export interface TuneFreshnessInput {
  /** When the run was made (its createdAt, ISO 8601). */
  readonly tunedAt: string;
  /** The code it tuned; null or undefined when the run records none. */
  readonly tunedCode: TunedCode | null | undefined;
  /** The same kind of hash of the code as it is now; undefined when it could not be taken. */
  readonly currentSha256: string | undefined;
  readonly now: Date;
  readonly maxAgeDays: number;
}

export const TuneFreshnessSchema = z.object({
  tunedAt: z.string(),
  /** Whole days since the run (rounded down; 0 on the day, and for a clock behind the run's). */
  ageDays: z.number(),
  maxAgeDays: z.number(),
  /** Older than maxAgeDays (to the millisecond, not the whole day). */
  tooOld: z.boolean(),
  /** The code differs from the code tuned; null when either hash is unknown (a run saved before tunes recorded it). */
  codeChanged: z.boolean().nullable(),
  tunedSha256: z.string().nullable(),
  currentSha256: z.string().nullable(),
});
export type TuneFreshness = Readonly<z.infer<typeof TuneFreshnessSchema>>;

/** A saved run's freshness, with the run's file: what `metrics` and `compare` report. */
export const SavedRunFreshnessSchema = TuneFreshnessSchema.extend({
  /** The saved run's file. */
  file: z.string(),
});

export function tuneFreshness(input: TuneFreshnessInput): TuneFreshness {
  const tunedAtMs = Date.parse(input.tunedAt);
  // An unreadable date cannot show the run is recent: treat it as older than any limit.
  const ageMs = Number.isNaN(tunedAtMs)
    ? Number.POSITIVE_INFINITY
    : input.now.getTime() - tunedAtMs;
  const tunedSha256 = input.tunedCode?.sha256 ?? null;
  const currentSha256 = input.currentSha256 ?? null;
  return {
    tunedAt: input.tunedAt,
    ageDays: Number.isFinite(ageMs)
      ? Math.max(0, Math.floor(ageMs / DAY_MS))
      : Number.MAX_SAFE_INTEGER,
    maxAgeDays: input.maxAgeDays,
    tooOld: ageMs > input.maxAgeDays * DAY_MS,
    codeChanged:
      tunedSha256 === null || currentSha256 === null ? null : tunedSha256 !== currentSha256,
    tunedSha256,
    currentSha256,
  };
}

/** Whether the run should be redone: too old, or its code changed. */
export function isStale(freshness: TuneFreshness): boolean {
  return freshness.tooOld || freshness.codeChanged === true;
}

/**
 * Why, in words, with the date and the age: "tuned on 2026-01-15 (200 days ago, more than the
 * 90 allowed); its code changed since (hash 3q2+7w then, mRk0Qa now)". Fresh runs read
 * "tuned on 2026-11-20 (13 days ago, within 90), on the same code".
 */
export function describeFreshness(freshness: TuneFreshness): string {
  const { ageDays, maxAgeDays } = freshness;
  const date = freshness.tunedAt.slice(0, 10);
  const age = `${ageDays} day${ageDays === 1 ? "" : "s"} ago`;
  const when = Number.isNaN(Date.parse(freshness.tunedAt))
    ? `tuned at an unreadable time (${JSON.stringify(freshness.tunedAt)}), taken as more than the ${maxAgeDays} days allowed`
    : freshness.tooOld
      ? `tuned on ${date} (${age}, more than the ${maxAgeDays} allowed)`
      : `tuned on ${date} (${age}, within ${maxAgeDays})`;
  const code =
    freshness.codeChanged === null
      ? freshness.tunedSha256 === null
        ? "its code was not recorded, so a change cannot be seen"
        : "its code as it is now could not be hashed, so a change cannot be seen"
      : freshness.codeChanged
        ? `its code changed since (hash ${short(freshness.tunedSha256)} then, ${short(freshness.currentSha256)} now)`
        : "on the same code";
  return freshness.codeChanged === false ? `${when}, ${code}` : `${when}; ${code}`;
}

/** Enough of a base64 hash to tell two apart in a sentence. */
function short(sha256: string | null): string {
  return (sha256 ?? "").slice(0, 10);
}
