/**
 * `compare --max-age-days`: the CI gate on re-tuning (the guide: quarterly, and after code
 * changes). The newer run passes when it is recent and was tuned on the code the function has
 * now, fails (exit 1) when it is older than allowed or its code changed since, and a bad value
 * is a one-line usage error (exit 2).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hashCodeFolder } from "../../src/tuning/code-hash.js";
import { ComparisonSchema } from "../../src/tuning/compare.js";
import type { TuneResult } from "../../src/tuning/tune-result.js";
import { BASELINE } from "../tuning/fixtures.js";
import { runCli } from "./run-cli.js";

const DAY_MS = 86_400_000;
let project: string;

/** A run of the function whose code is in `<project>/orders`, made `daysAgo` days ago, of code hashed `sha256`. */
function savedRun(name: string, daysAgo: number, sha256: string | null): void {
  const run: TuneResult = {
    ...structuredClone(BASELINE),
    createdAt: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
    code: sha256 === null ? null : { kind: "folder", sha256, folder: "orders" },
  };
  writeFileSync(join(project, name), JSON.stringify(run));
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "lo-compare-age-"));
  mkdirSync(join(project, "orders"));
  writeFileSync(join(project, "orders", "handler.mjs"), "export const handler = async () => 1;\n");
  const current = hashCodeFolder(join(project, "orders"))!.sha256;
  savedRun("old.json", 120, current);
  savedRun("fresh.json", 3, current);
  savedRun("stale.json", 200, current);
  savedRun("changed.json", 3, "mRk0QaBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=");
  savedRun("unrecorded.json", 3, null);
});

const compare = (...args: string[]) => runCli(["compare", ...args], { cwd: project });

describe("lambda-optimizer compare --max-age-days (subprocess)", () => {
  it("passes a recent run of the same code: exit 0, and says so", () => {
    const result = compare("old.json", "fresh.json", "--max-age-days", "90");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lastLine = result.stdout.trimEnd().split("\n").at(-1);
    expect(lastLine).toMatch(
      /^Fresh: .*fresh\.json was tuned on \d{4}-\d{2}-\d{2} \(3 days ago, within 90\), on the same code\.$/,
    );
  });

  it("fails a run older than allowed: exit 1, one line naming the run, its date and its age", () => {
    const result = compare("old.json", "stale.json", "--max-age-days", "90");
    expect(result.status).toBe(1);
    const date = new Date(Date.now() - 200 * DAY_MS).toISOString().slice(0, 10);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
      `Stale: stale.json was tuned on ${date} (200 days ago, more than the 90 allowed), on the same code: re-tune it.`,
    );
    // The same run passes a longer limit; the JSON carries the judgement.
    const longer = compare("old.json", "stale.json", "--max-age-days", "365", "--json");
    expect(longer.status).toBe(0);
    const { freshness } = ComparisonSchema.parse(JSON.parse(longer.stdout));
    expect(freshness).toMatchObject({
      ageDays: 200,
      maxAgeDays: 365,
      tooOld: false,
      codeChanged: false,
      stale: false,
    });
  });

  it("fails a recent run of other code than the function has now: exit 1", () => {
    const result = compare("old.json", "changed.json", "--max-age-days", "90", "--json");
    expect(result.status).toBe(1);
    const comparison = ComparisonSchema.parse(JSON.parse(result.stdout));
    // Costs did not regress: the code alone fails the gate.
    expect(comparison.regression).toBe(false);
    expect(comparison.freshness).toMatchObject({
      ageDays: 3,
      tooOld: false,
      codeChanged: true,
      stale: true,
    });
    expect(comparison.freshness?.message).toMatch(
      /^Stale: .*changed\.json was tuned on .* \(3 days ago, within 90\); its code changed since \(hash mRk0QaBBBB then, .{10} now\): re-tune it\.$/,
    );
  });

  it("passes a recent run saved before runs recorded their code, saying the code was not checked", () => {
    const result = compare("old.json", "unrecorded.json", "--max-age-days", "90");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("its code was not recorded, so a change cannot be seen.");
  });

  it("leaves age and code alone without the flag", () => {
    const result = compare("old.json", "stale.json", "--json");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).freshness).toBeNull();
  });

  it.each([
    [
      "0",
      "--max-age-days 0 is not valid: expected a whole number of days, 1 or more (90 for a quarter)",
    ],
    [
      "1.5",
      "--max-age-days 1.5 is not valid: expected a whole number of days, 1 or more (90 for a quarter)",
    ],
    [
      "quarter",
      '--max-age-days "quarter" is not valid: expected a whole number of days, 1 or more (90 for a quarter)',
    ],
  ])(
    "refuses --max-age-days %s: exit 2, one line naming the flag, the value and what is allowed",
    (value, message) => {
      const result = compare("old.json", "fresh.json", "--max-age-days", value);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(`lambda-optimizer: ${message}\n`);
    },
  );
});
