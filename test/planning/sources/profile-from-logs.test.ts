/**
 * REPORT lines into per-minute traffic, through the reader `metrics` uses.
 * The fixture (test/fixtures/plan/orders.log, a CloudWatch Logs export) holds
 * four invocations of `orders`, each REPORT stamped when it ended:
 *
 *   A  ends 10:00:30, 20 s          → ran 10:00:10–10:00:30
 *   B  ends 10:00:40, 15 s          → ran 10:00:25–10:00:40 (overlaps A: 2 at once)
 *   C  ends 10:02:05, 3 s + 4 s init → began 10:01:58: minute 10:01, not 10:02
 *   D  ends 10:04:10, 1 s, now at 1,024 MB (the memory was raised)
 *
 * besides START, END, INIT_START and the function's own lines, which are skipped.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { LogFileError } from "../../../src/metrics/sources/log-files.js";
import { profileFromLogFiles } from "../../../src/planning/sources/profile-from-logs.js";
import type { ObservedTraffic } from "../../../src/planning/traffic-profile.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/plan");
const ORDERS = join(FIXTURES, "orders.log");
const folder = mkdtempSync(join(tmpdir(), "lo-plan-logs-"));
const MINUTE = 60_000;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

/** What every reading of the orders invocations must give, whatever the file's form. */
function expectOrdersTraffic({ profile, observed }: ObservedTraffic): void {
  expect(profile.source).toBe("logs");
  expect(profile.startMs).toBe(Date.parse("2026-03-01T10:00:00Z"));
  expect(profile.stepSeconds).toBe(60);
  // Minutes 10:00 .. 10:04: A and B start in 10:00, C in 10:01 (its init shifts it back), none in 10:02 or 10:03, D in 10:04.
  expect(profile.invocations).toEqual([2, 1, 0, 0, 1]);
  // A and B overlap 10:00:25–10:00:30; C still runs at the start of 10:02; 10:03 is idle.
  expect(profile.concurrency).toEqual([2, 1, 1, 0, 1]);
  // Each minute's mean duration, init excluded: (20,000 + 15,000) / 2, 3,000, none, none, 1,000.
  expect(profile.durationMs).toEqual([17_500, 3000, Number.NaN, Number.NaN, 1000]);
  expect(observed.functionName).toBe("orders");
  expect(observed.memoryMb).toBe(1024);
  // (20,000 + 15,000 + 3,000 + 1,000) / 4.
  expect(observed.meanDurationMs).toBe(9750);
  // Type 7 over 1,000, 3,000, 15,000, 20,000: p50 at rank 1.5 = 3,000 + 0.5 × 12,000;
  // p95 at 2.85 = 15,000 + 0.85 × 5,000; p99 at 2.97 = 15,000 + 0.97 × 5,000.
  expect(observed.durationPercentilesMs!.p50).toBeCloseTo(9000, 9);
  expect(observed.durationPercentilesMs!.p95).toBeCloseTo(19_250, 9);
  expect(observed.durationPercentilesMs!.p99).toBeCloseTo(19_850, 9);
  expect(observed.initDurationMs).toBe(4000);
  expect(observed.coldStartShare).toBe(0.25);
}

describe("profileFromLogFiles", () => {
  it("turns an export's REPORT lines into per-minute invocations and concurrency, starts shifted back by duration and init", async () => {
    const traffic = await profileFromLogFiles([ORDERS]);
    expectOrdersTraffic(traffic);
    expect(traffic.profile.origin).toBe(ORDERS);
  });

  it("reads what `metrics` reads: gzip, `aws logs tail` output, filter-log-events JSON and stdin", async () => {
    const exportText = readFileSync(ORDERS, "utf8");
    const gzipped = join(folder, "orders.log.gz");
    writeFileSync(gzipped, gzipSync(exportText));
    expectOrdersTraffic(await profileFromLogFiles([gzipped]));

    // `aws logs tail`: the time with microseconds and an offset, then the log stream.
    const tail = join(folder, "orders.txt");
    writeFileSync(
      tail,
      exportText.replace(
        /^(\S+)\.000Z /gm,
        (_, time: string) => `${time}.000000+00:00 2026/03/01/[$LATEST]4f1e2d3c `,
      ),
    );
    expectOrdersTraffic(await profileFromLogFiles([tail]));

    // `aws logs filter-log-events`: each event's timestamp is its own field, the message has none.
    const events = exportText
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line, index) => ({
        logStreamName: "2026/03/01/[$LATEST]4f1e2d3c",
        timestamp: Date.parse(line.slice(0, 24)),
        message: line.slice(25),
        ingestionTime: Date.parse(line.slice(0, 24)) + 500,
        eventId: String(index),
      }));
    const document = join(folder, "orders.json");
    writeFileSync(document, JSON.stringify({ events, searchedLogStreams: [] }, null, 2));
    expectOrdersTraffic(await profileFromLogFiles([document]));

    const fromStdin = await profileFromLogFiles(["-"], {
      functionName: "orders",
      stdin: Readable.from([Buffer.from(exportText)]),
    });
    expectOrdersTraffic(fromStdin);
    expect(fromStdin.profile.origin).toBe("stdin");
  });

  it("does not count an end that meets a start as an overlap: the freed environment serves the next request", async () => {
    const report = (id: number, durationMs: number) =>
      `REPORT RequestId: 7d0c0000-0000-4000-8000-00000000000${id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${durationMs} ms\tMemory Size: 256 MB\tMax Memory Used: 50 MB\t`;
    const file = join(folder, "relay.log");
    writeFileSync(
      file,
      [
        // 12:00:10–12:00:20, then 12:00:20–12:00:50 in the same environment, then 12:01:55–12:02:05.
        `2026-03-01T12:00:20.000Z ${report(1, 10_000)}`,
        `2026-03-01T12:00:50.000Z ${report(2, 30_000)}`,
        `2026-03-01T12:02:05.000Z ${report(3, 10_000)}`,
      ].join("\n"),
    );
    const { profile, observed } = await profileFromLogFiles([file]);
    expect(profile.startMs).toBe(Date.parse("2026-03-01T12:00:00Z"));
    expect(profile.invocations).toEqual([2, 1]);
    expect(profile.concurrency).toEqual([1, 1]);
    expect(observed.memoryMb).toBe(256);
    expect(observed.coldStartShare).toBe(0);
    expect(observed.initDurationMs).toBeUndefined();
  });

  it("counts overlaps carried across minutes, and leaves idle minutes between at zero", async () => {
    const report = (id: number, durationMs: number) =>
      `REPORT RequestId: 9e0c0000-0000-4000-8000-0000000000${String(id).padStart(2, "0")}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${durationMs} ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\t`;
    const file = join(folder, "long.log");
    const base = Date.parse("2026-03-01T08:00:00Z");
    const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
    writeFileSync(
      file,
      [
        // Three long invocations started in 08:00 that run into 08:02.
        `${at(2 * MINUTE + 10_000)} ${report(1, 2 * MINUTE)}`, // 08:00:10–08:02:10
        `${at(2 * MINUTE + 20_000)} ${report(2, 2 * MINUTE)}`, // 08:00:20–08:02:20
        `${at(2 * MINUTE + 30_000)} ${report(3, 2 * MINUTE)}`, // 08:00:30–08:02:30
        // One in 08:02 after they ended, then nothing until 08:06.
        `${at(2 * MINUTE + 45_000)} ${report(4, 5000)}`, // 08:02:40–08:02:45
        `${at(6 * MINUTE + 1000)} ${report(5, 1000)}`, // 08:06:00–08:06:01
      ].join("\n"),
    );
    const { profile } = await profileFromLogFiles([file]);
    expect(profile.invocations).toEqual([3, 0, 1, 0, 0, 0, 1]);
    // 08:01 starts nothing but three are running through it; 08:02 begins with three.
    expect(profile.concurrency).toEqual([3, 3, 3, 0, 0, 0, 1]);
  });

  it("shifts a SnapStart restore's start back by its restore duration, and counts it a cold start", async () => {
    const file = join(folder, "snap.log");
    writeFileSync(
      file,
      [
        // Ran 09:00:59.500 (restore 700 ms) to 09:01:00.500: it started in minute 09:00.
        "2026-03-01T09:01:00.500Z REPORT RequestId: 5a0c0000-0000-4000-8000-000000000001\tDuration: 300.00 ms\tBilled Duration: 421 ms\tMemory Size: 2048 MB\tMax Memory Used: 180 MB\tRestore Duration: 700.00 ms\tBilled Restore Duration: 120 ms\t",
        "2026-03-01T09:01:30.000Z REPORT RequestId: 5a0c0000-0000-4000-8000-000000000002\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 2048 MB\tMax Memory Used: 181 MB\t",
      ].join("\n"),
    );
    const { profile, observed } = await profileFromLogFiles([file]);
    expect(profile.startMs).toBe(Date.parse("2026-03-01T09:00:00Z"));
    expect(profile.invocations).toEqual([1, 1]);
    expect(profile.concurrency).toEqual([1, 1]);
    expect(observed.coldStartShare).toBe(0.5);
    // A restore is no init: the init duration is what inits measured, and there were none.
    expect(observed.initDurationMs).toBeUndefined();
  });

  it("reads several files of one function as one when told the function", async () => {
    const first = join(folder, "orders-part1.log");
    const second = join(folder, "orders-part2.log");
    const lines = readFileSync(ORDERS, "utf8").split("\n");
    writeFileSync(first, lines.slice(0, 7).join("\n"));
    writeFileSync(second, lines.slice(7).join("\n"));
    const traffic = await profileFromLogFiles([second, first], { functionName: "orders" });
    expectOrdersTraffic(traffic);
    expect(traffic.profile.origin).toBe(`${second}, ${first}`);
  });
});

describe("profileFromLogFiles: logs that cannot make a profile", () => {
  it("REPORT lines without timestamps, naming the files", async () => {
    const untimed = join(FIXTURES, "untimed.log");
    expect(await refusal(profileFromLogFiles([untimed]))).toBe(
      `${untimed}: the REPORT lines have no timestamp, and a profile needs when each invocation ran: give timestamped logs (a CloudWatch Logs export, \`aws logs tail\` output or \`aws logs filter-log-events\` JSON)`,
    );
    const mixed = join(folder, "mixed.log");
    writeFileSync(mixed, `${readFileSync(ORDERS, "utf8")}${readFileSync(untimed, "utf8")}`);
    expect(await refusal(profileFromLogFiles([mixed], { functionName: "orders" }))).toBe(
      `${mixed}: 3 of 7 REPORT lines have no timestamp, and a profile needs when each invocation ran: give timestamped logs (a CloudWatch Logs export, \`aws logs tail\` output or \`aws logs filter-log-events\` JSON)`,
    );
  });

  it("no REPORT line at all, naming the files", async () => {
    const starts = join(folder, "starts.log");
    writeFileSync(
      starts,
      readFileSync(ORDERS, "utf8")
        .split("\n")
        .filter((line) => !line.includes("REPORT"))
        .join("\n"),
    );
    const empty = join(folder, "empty.log");
    writeFileSync(empty, "");
    // The export's 8 other lines: two START, four END, an INIT_START and the function's own.
    expect(await refusal(profileFromLogFiles([starts, empty]))).toBe(
      `${starts}, ${empty}: no REPORT line among 8 lines read: plan needs Lambda's REPORT lines with their timestamps (a CloudWatch Logs export, \`aws logs tail\` output or \`aws logs filter-log-events\` JSON)`,
    );
  });

  it("several functions without a function named, listing them", async () => {
    const payments = join(folder, "payments.log");
    copyFileSync(ORDERS, payments);
    expect(await refusal(profileFromLogFiles([ORDERS, payments]))).toBe(
      `${ORDERS}, ${payments}: REPORT lines of several functions (orders, payments), named by their files or log groups: plan reads one function; give function to read every line as that function's`,
    );
  });

  it("a file that is not there is the reader's LogFileError (plan turns it into a UsageError)", async () => {
    const missing = join(folder, "missing.log");
    const error = await profileFromLogFiles([ORDERS, missing]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogFileError);
    expect((error as Error).message).toBe(`log file ${missing} does not exist`);
  });
});
