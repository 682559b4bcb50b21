/**
 * Whether a run still describes its function (re-tune quarterly and after code changes), with
 * the time handed in: no clock is read.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_TUNE_AGE_DAYS,
  describeFreshness,
  isStale,
  tuneFreshness,
} from "../../src/tuning/tune-freshness.js";
import type { TunedCode } from "../../src/tuning/tune-result.js";

const TUNED_AT = "2026-01-15T10:00:00.000Z";
const CODE: TunedCode = {
  kind: "folder",
  sha256: "3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  folder: "src/orders",
};
const OTHER = "mRk0QaBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=";
const day = (days: number, extraMs = 0) =>
  new Date(Date.parse(TUNED_AT) + days * 86_400_000 + extraMs);

describe("tuneFreshness", () => {
  it("is quarterly by default", () => {
    expect(DEFAULT_MAX_TUNE_AGE_DAYS).toBe(90);
  });

  it("counts whole days, and is too old only past the limit", () => {
    const at = (now: Date) =>
      tuneFreshness({
        tunedAt: TUNED_AT,
        tunedCode: CODE,
        currentSha256: CODE.sha256,
        now,
        maxAgeDays: 90,
      });
    expect(at(day(13))).toMatchObject({ ageDays: 13, tooOld: false, codeChanged: false });
    expect(at(day(90))).toMatchObject({ ageDays: 90, tooOld: false });
    expect(at(day(90, 1))).toMatchObject({ ageDays: 90, tooOld: true });
    expect(at(day(200))).toMatchObject({ ageDays: 200, tooOld: true });
    // A clock behind the run's is not a negative age.
    expect(at(day(-1))).toMatchObject({ ageDays: 0, tooOld: false });
    expect(isStale(at(day(13)))).toBe(false);
    expect(isStale(at(day(200)))).toBe(true);
  });

  it("sees a code change at any age, and cannot see one without both hashes", () => {
    const changed = tuneFreshness({
      tunedAt: TUNED_AT,
      tunedCode: CODE,
      currentSha256: OTHER,
      now: day(2),
      maxAgeDays: 90,
    });
    expect(changed).toMatchObject({ tooOld: false, codeChanged: true });
    expect(isStale(changed)).toBe(true);
    const unrecorded = tuneFreshness({
      tunedAt: TUNED_AT,
      tunedCode: undefined,
      currentSha256: OTHER,
      now: day(2),
      maxAgeDays: 90,
    });
    expect(unrecorded.codeChanged).toBeNull();
    expect(isStale(unrecorded)).toBe(false);
    const gone = tuneFreshness({
      tunedAt: TUNED_AT,
      tunedCode: CODE,
      currentSha256: undefined,
      now: day(2),
      maxAgeDays: 90,
    });
    expect(gone.codeChanged).toBeNull();
  });

  it("says when, how long ago, against what limit, and what became of the code", () => {
    const judge = (
      now: Date,
      currentSha256: string | undefined,
      tunedCode: TunedCode | null = CODE,
    ) =>
      describeFreshness(
        tuneFreshness({ tunedAt: TUNED_AT, tunedCode, currentSha256, now, maxAgeDays: 90 }),
      );
    expect(judge(day(13), CODE.sha256)).toBe(
      "tuned on 2026-01-15 (13 days ago, within 90), on the same code",
    );
    expect(judge(day(200), CODE.sha256)).toBe(
      "tuned on 2026-01-15 (200 days ago, more than the 90 allowed), on the same code",
    );
    expect(judge(day(1), OTHER)).toBe(
      "tuned on 2026-01-15 (1 day ago, within 90); its code changed since (hash 3q2+7wAAAA then, mRk0QaBBBB now)",
    );
    expect(judge(day(1), OTHER, null)).toBe(
      "tuned on 2026-01-15 (1 day ago, within 90); its code was not recorded, so a change cannot be seen",
    );
    expect(judge(day(1), undefined)).toBe(
      "tuned on 2026-01-15 (1 day ago, within 90); its code as it is now could not be hashed, so a change cannot be seen",
    );
    expect(judge(day(1), CODE.sha256).startsWith("tuned on 2026-01-15")).toBe(true);
    const unreadable = tuneFreshness({
      tunedAt: "last spring",
      tunedCode: CODE,
      currentSha256: CODE.sha256,
      now: day(1),
      maxAgeDays: 90,
    });
    expect(unreadable.tooOld).toBe(true);
    expect(describeFreshness(unreadable)).toBe(
      'tuned at an unreadable time ("last spring"), taken as more than the 90 days allowed, on the same code',
    );
  });
});
