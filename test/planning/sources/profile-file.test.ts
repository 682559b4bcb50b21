/**
 * Profile files: CSV and JSON lines read into a TrafficProfile, and every
 * mistake a user can make in one refused with the file, the line and what is
 * wrong (a ProfileFileError, which the CLI turns into exit 2).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { ProfileFileError, readProfileFile } from "../../../src/planning/sources/profile-file.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/plan");
const folder = mkdtempSync(join(tmpdir(), "lo-plan-profile-"));
let written = 0;

/** A profile file with these lines, in a fresh file of its own. */
function profileFile(lines: readonly string[], extension = "csv"): string {
  const file = join(folder, `profile-${++written}.${extension}`);
  writeFileSync(file, lines.join("\n"));
  return file;
}

/** The error readProfileFile throws for a file, checked to be a ProfileFileError (a UsageError: exit 2). */
async function refusal(file: string): Promise<string> {
  const error = await readProfileFile(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProfileFileError);
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe("readProfileFile: CSV", () => {
  it("reads columns in any order, ignores other columns and blank lines, and takes the step from the timestamps", async () => {
    const file = join(FIXTURES, "steady.csv"); // CRLF line ends, a blank line, an extra region column
    const { profile, observed } = await readProfileFile(file);
    expect(profile.source).toBe("profile-file");
    expect(profile.origin).toBe(file);
    expect(profile.startMs).toBe(Date.parse("2026-03-01T00:00:00Z"));
    expect(profile.stepSeconds).toBe(60);
    expect(profile.invocations).toEqual([120, 60, 0, 20]);
    expect(profile.concurrency).toEqual([3, 2, 0, 1]);
    expect(profile.durationMs).toEqual([200.5, 100, Number.NaN, 400]);
    // Weighted by invocations: (120 × 200.5 + 60 × 100 + 20 × 400) / 200 = 38,060 / 200.
    expect(observed.meanDurationMs).toBeCloseTo(190.3, 10);
  });

  it("leaves concurrency and durations undefined without their columns, and reads a time without an offset as UTC", async () => {
    const { profile, observed } = await readProfileFile(join(FIXTURES, "hourly.csv"));
    expect(profile.startMs).toBe(Date.parse("2026-03-01T00:00:00Z"));
    expect(profile.stepSeconds).toBe(3600);
    expect(profile.invocations).toEqual([5, 0, 7]);
    expect(profile.concurrency).toBeUndefined();
    expect(profile.durationMs).toBeUndefined();
    expect(observed).toEqual({});
  });

  it("reads quoted cells and a header in capitals", async () => {
    const file = profileFile([
      '"Timestamp","Invocations","Concurrency"',
      '"2026-03-01T00:00:00.000Z","4","1"',
      '"2026-03-01T00:00:30.000Z","9","2"',
    ]);
    const { profile } = await readProfileFile(file);
    expect(profile.stepSeconds).toBe(30);
    expect(profile.invocations).toEqual([4, 9]);
    expect(profile.concurrency).toEqual([1, 2]);
  });
});

describe("readProfileFile: JSON lines", () => {
  it("tells JSON lines by their first character and reads the same fields, offsets included", async () => {
    const file = join(FIXTURES, "five-minutes.jsonl");
    const { profile, observed } = await readProfileFile(file);
    expect(profile.startMs).toBe(Date.parse("2026-03-01T00:00:00Z")); // 01:00 at +01:00
    expect(profile.stepSeconds).toBe(300);
    expect(profile.invocations).toEqual([300, 0, 100]);
    expect(profile.concurrency).toBeUndefined();
    expect(profile.durationMs).toEqual([50, Number.NaN, 90]);
    // (300 × 50 + 100 × 90) / 400 = 24,000 / 400.
    expect(observed.meanDurationMs).toBe(60);
  });

  it("names the line of a record that is not JSON, lacks a field or has a bad value", async () => {
    const good = '{"timestamp":"2026-03-01T00:00:00Z","invocations":1,"concurrency":1}';
    let file = profileFile([good, "{not json"], "jsonl");
    expect(await refusal(file)).toBe(
      `${file} line 2: not a JSON object: expected one object per line, such as {"timestamp":"2026-03-01T00:00:00Z","invocations":12}`,
    );
    file = profileFile([good, '{"timestamp":"2026-03-01T00:01:00Z","concurrency":1}'], "jsonl");
    expect(await refusal(file)).toBe(
      `${file} line 2: no invocations: expected timestamp and invocations (concurrency and duration_ms are optional)`,
    );
    file = profileFile([good, '{"timestamp":"2026-03-01T00:01:00Z","invocations":2}'], "jsonl");
    expect(await refusal(file)).toBe(
      `${file} line 2: no concurrency: the first line gives one, so every line must`,
    );
    file = profileFile(
      [good, '{"timestamp":"2026-03-01T00:01:00Z","invocations":-3,"concurrency":1}'],
      "jsonl",
    );
    expect(await refusal(file)).toBe(
      `${file} line 2: invocations "-3" is not valid: expected a whole number ≥ 0`,
    );
    file = profileFile(
      [good, '{"timestamp":"2026-03-01T00:01:00Z","invocations":"many","concurrency":1}'],
      "jsonl",
    );
    expect(await refusal(file)).toBe(
      `${file} line 2: invocations "many" is not valid: expected a whole number ≥ 0`,
    );
  });
});

describe("readProfileFile: bad input names the file, the line and what is wrong", () => {
  const header = "timestamp,invocations,concurrency,duration_ms";

  it("a missing required column", async () => {
    const file = profileFile(["time,invocations", "2026-03-01T00:00:00Z,1"]);
    expect(await refusal(file)).toBe(
      `${file} line 1: no timestamp column in the header: expected timestamp and invocations (concurrency and duration_ms are optional)`,
    );
    const noCount = profileFile(["", "timestamp,count", "2026-03-01T00:00:00Z,1"]);
    expect(await refusal(noCount)).toBe(
      `${noCount} line 2: no invocations column in the header: expected timestamp and invocations (concurrency and duration_ms are optional)`,
    );
  });

  it("an unparsable timestamp, quoted", async () => {
    const file = profileFile([
      header,
      "2026-03-01T00:00:00Z,1,1,10",
      "2026-03-01T00:01:00Z,1,1,10",
      "01/03/2026 00:02,1,1,10",
    ]);
    expect(await refusal(file)).toBe(
      `${file} line 4: timestamp "01/03/2026 00:02" is not valid: expected an ISO 8601 time such as 2026-03-01T00:00:00Z`,
    );
    const month13 = profileFile([header, "2026-13-01T00:00:00Z,1,1,10"]);
    expect(await refusal(month13)).toBe(
      `${month13} line 2: timestamp "2026-13-01T00:00:00Z" is not valid: expected an ISO 8601 time such as 2026-03-01T00:00:00Z`,
    );
    // Date.parse alone would read it as 2 March.
    const february30 = profileFile([
      header,
      "2026-02-28T00:00:00Z,1,1,10",
      "2026-02-30T00:00:00Z,1,1,10",
    ]);
    expect(await refusal(february30)).toBe(
      `${february30} line 3: timestamp "2026-02-30T00:00:00Z" is not valid: expected an ISO 8601 time such as 2026-03-01T00:00:00Z`,
    );
    const offsets = profileFile([
      "timestamp,invocations",
      "2026-03-01T01:00+01,1",
      "2026-03-01T01:01:00+0100,1",
      "2026-03-01T00:02:00.000000z,1",
    ]);
    const read = await readProfileFile(offsets);
    expect(read.profile.startMs).toBe(Date.parse("2026-03-01T00:00:00Z"));
    expect(read.profile.stepSeconds).toBe(60);
    const leapDay = profileFile([
      header,
      "2028-02-29T00:00:00Z,1,1,10",
      "2028-02-29T00:01:00Z,1,1,10",
    ]);
    expect((await readProfileFile(leapDay)).profile.startMs).toBe(
      Date.parse("2028-02-29T00:00:00Z"),
    );
  });

  it("a negative or non-numeric count or duration, naming the column and the value", async () => {
    const rows = (bad: string) => [
      header,
      "2026-03-01T00:00:00Z,1,1,10",
      "2026-03-01T00:01:00Z,2,1,10",
      "2026-03-01T00:02:00Z,2,1,10",
      "2026-03-01T00:03:00Z,2,1,10",
      "2026-03-01T00:04:00Z,2,1,10",
      bad,
    ];
    const negative = profileFile(rows("2026-03-01T00:05:00Z,-3,1,10"));
    expect(await refusal(negative)).toBe(
      `${negative} line 7: invocations "-3" is not valid: expected a whole number ≥ 0`,
    );
    const fraction = profileFile(rows("2026-03-01T00:05:00Z,2.5,1,10"));
    expect(await refusal(fraction)).toBe(
      `${fraction} line 7: invocations "2.5" is not valid: expected a whole number ≥ 0`,
    );
    const empty = profileFile(rows("2026-03-01T00:05:00Z,,1,10"));
    expect(await refusal(empty)).toBe(
      `${empty} line 7: invocations "" is not valid: expected a whole number ≥ 0`,
    );
    const concurrency = profileFile(rows("2026-03-01T00:05:00Z,2,two,10"));
    expect(await refusal(concurrency)).toBe(
      `${concurrency} line 7: concurrency "two" is not valid: expected a whole number ≥ 0`,
    );
    const duration = profileFile(rows("2026-03-01T00:05:00Z,2,1,-10"));
    expect(await refusal(duration)).toBe(
      `${duration} line 7: duration_ms "-10" is not valid: expected a number of ms ≥ 0, or nothing for a step without invocations`,
    );
  });

  it("rows out of order", async () => {
    const file = profileFile([
      header,
      "2026-03-01T00:00:00Z,1,1,10",
      "2026-03-01T00:01:00Z,1,1,10",
      "2026-03-01T00:00:30Z,1,1,10",
    ]);
    expect(await refusal(file)).toBe(
      `${file} line 4: timestamp "2026-03-01T00:00:30Z" is not after line 3's "2026-03-01T00:01:00Z": expected rows in time order`,
    );
    const repeated = profileFile([
      header,
      "2026-03-01T00:00:00Z,1,1,10",
      "2026-03-01T00:00:00Z,1,1,10",
    ]);
    expect(await refusal(repeated)).toBe(
      `${repeated} line 3: timestamp "2026-03-01T00:00:00Z" is not after line 2's "2026-03-01T00:00:00Z": expected rows in time order`,
    );
  });

  it("uneven steps, saying the step expected and the one found", async () => {
    const file = profileFile([
      header,
      "2026-03-01T00:00:00Z,1,1,10",
      "2026-03-01T00:01:00Z,1,1,10",
      "2026-03-01T00:02:00Z,1,1,10",
      "2026-03-01T00:04:00Z,1,1,10",
    ]);
    expect(await refusal(file)).toBe(
      `${file} line 5: a step of 120 s after line 4, expected 60 s as between the first two rows: every row is one step after the last (a step without invocations is a row of 0)`,
    );
    const fractional = profileFile([
      header,
      "2026-03-01T00:00:00.000Z,1,1,10",
      "2026-03-01T00:00:00.500Z,1,1,10",
    ]);
    expect(await refusal(fractional)).toBe(
      `${fractional} line 3: a step of 0.5 s after line 2: expected a step of whole seconds`,
    );
  });

  it("an empty file, a header with no rows, a single row", async () => {
    const empty = profileFile(["", "  ", ""]);
    expect(await refusal(empty)).toBe(
      `${empty}: the profile is empty: expected a CSV header (timestamp,invocations) or JSON lines, then a row per step`,
    );
    const headerOnly = profileFile([header, ""]);
    expect(await refusal(headerOnly)).toBe(
      `${headerOnly} line 1: a header and no rows: expected a row per step after it`,
    );
    const oneRow = profileFile([header, "2026-03-01T00:00:00Z,1,1,10"]);
    expect(await refusal(oneRow)).toBe(
      `${oneRow} line 2: one row, and the step is read from the timestamps: expected a row per step, at least two`,
    );
  });

  it("a file that cannot be read", async () => {
    const missing = join(folder, "nowhere.csv");
    expect(await refusal(missing)).toBe(`${missing}: cannot read the profile (no such file)`);
    expect(await refusal(folder)).toBe(`${folder}: cannot read the profile (it is a folder)`);
  });
});

describe("readProfileFile: size", () => {
  it("reads a 30-day one-minute profile (43,200 rows) in full", async () => {
    const start = Date.parse("2026-03-01T00:00:00Z");
    const lines = ["timestamp,invocations,concurrency,duration_ms"];
    for (let minute = 0; minute < 43_200; minute++) {
      const time = new Date(start + minute * 60_000).toISOString();
      lines.push(`${time},${minute % 97},${minute % 5},${(minute % 13) * 10}`);
    }
    const file = profileFile(lines);
    const { profile } = await readProfileFile(file);
    expect(profile.invocations).toHaveLength(43_200);
    expect(profile.invocations[43_199]).toBe(43_199 % 97);
    expect(profile.concurrency![43_198]).toBe(43_198 % 5);
    expect(profile.durationMs![12]).toBe(120);
  });
});
