/**
 * Where a mapping's traffic and the function's duration come from when they
 * are not given as plain numbers: a profile file (records per step), a rate
 * with a burst, a tune result (one size, or every size with searchMemory),
 * and REPORT lines; and the split of a measured mean into overhead and
 * per-record, which is modelled and says so.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { optimizeEventSourceMappings } from "../../../src/esm/optimize/optimize-mappings.js";
import {
  durationFromLogFiles,
  durationFromTuneResult,
  MEASURED_OVERHEAD_SHARE,
  splitMeasuredMean,
} from "../../../src/esm/sources/batch-duration.js";
import { busiestWindow } from "../../../src/esm/sources/cloudwatch-traffic.js";
import { readGivenTraffic } from "../../../src/esm/sources/given-traffic.js";
import { fieldName, flagName } from "../../../src/options.js";
import { TuneResultSchema } from "../../../src/tuning/tune-result.js";
import { configurationResult, tuneResult } from "../../tuning/fixtures.js";
import { fakeSimulate } from "../optimize/fake-simulator.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "esm-optimize");
const folder = mkdtempSync(join(tmpdir(), "lo-esm-sources-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function writeTuneFile(): string {
  const file = join(folder, "tune.json");
  const result = TuneResultSchema.parse(
    tuneResult([
      configurationResult({ memoryMb: 256, costUsd: 3e-7, meanMs: 400 }),
      configurationResult({ memoryMb: 512, costUsd: 3e-7, meanMs: 200 }),
      configurationResult({ memoryMb: 1024, costUsd: 4e-7, meanMs: 110 }),
    ]),
  );
  writeFileSync(file, JSON.stringify(result));
  return file;
}

describe("traffic given", () => {
  it("reads a profile's records per step as rates", async () => {
    const inCwd = (file: string) => join(FIXTURES, file);
    const traffic = await readGivenTraffic(
      { rateProfile: "records.csv", arrival: "constant" },
      inCwd,
      fieldName,
    );
    expect(Array.from(traffic.arrivals.perSecond)).toEqual([10, 20, 50, 10]);
    expect(traffic.arrivals.stepSeconds).toBe(60);
    expect(traffic.summary).toEqual({
      source: "profile",
      meanPerSecond: 22.5,
      peakPerSecond: 50,
      periodSeconds: 240,
    });
    const start = await readGivenTraffic(
      { rateProfile: "records.csv", arrival: "poisson", seconds: 120 },
      inCwd,
      fieldName,
    );
    expect(Array.from(start.arrivals.perSecond)).toEqual([10, 20]);
    expect(start.summary.periodSeconds).toBe(120);
  });

  it("refuses a profile with a bad row, naming the file and the line", async () => {
    const run = optimizeEventSourceMappings(
      {
        template: join(FIXTURES, "template.yaml"),
        rateProfile: join(FIXTURES, "bad-records.csv"),
        batchMs: 100,
        maxAgeSeconds: 10,
      },
      flagName,
      { simulate: fakeSimulate },
    );
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/bad-records\.csv line 3: invocations "lots" is not valid/);
  });

  it("puts a burst on a constant rate, a quarter of the way in by default", async () => {
    const traffic = await readGivenTraffic(
      { rate: 10, seconds: 8, arrival: "constant", burstRate: 100, burstSeconds: 2 },
      (file) => file,
      fieldName,
    );
    expect(Array.from(traffic.arrivals.perSecond)).toEqual([10, 10, 100, 100, 10, 10, 10, 10]);
    expect(traffic.summary.peakPerSecond).toBe(100);
    expect(traffic.summary.meanPerSecond).toBe(32.5);
    const steady = await readGivenTraffic(
      { rate: 10, seconds: 3600, arrival: "poisson" },
      (file) => file,
      fieldName,
    );
    expect(steady.arrivals).toEqual({
      perSecond: [10],
      stepSeconds: 3600,
      process: "poisson",
    });
  });

  it("finds CloudWatch's busiest stretch", () => {
    expect(busiestWindow(Float64Array.from([1, 5, 2, 8, 1, 0]), 2)).toEqual({ from: 2, to: 4 });
    expect(busiestWindow(Float64Array.from([1, 5]), 5)).toEqual({ from: 0, to: 2 });
  });
});

describe("the function's duration per batch", () => {
  it("splits a measured mean half per batch, half per record, as a modelled figure", () => {
    expect(MEASURED_OVERHEAD_SHARE).toBe(0.5);
    expect(splitMeasuredMean(200, 10)).toEqual({ overheadMs: 100, perRecordMs: 10 });
  });

  it("takes a tune result's mean at the function's memory size, or every size with searchMemory", () => {
    const file = writeTuneFile();
    const fn = { memoryMb: 512, architecture: "x86_64" as const };
    const one = durationFromTuneResult(file, fn, 10, false, fieldName);
    expect(one).toMatchObject({ overheadMs: 100, perRecordMs: 10, memory: [] });
    expect(one.source).toBe(`tune result ${file} at 512 MB (200 ms mean)`);
    expect(one.modelled[0]!.why).toContain(
      "measured a mean of 200 ms per batch at 10 records a batch",
    );
    const all = durationFromTuneResult(file, fn, 10, true, fieldName);
    expect(all.memory).toEqual([
      { memoryMb: 256, overheadMs: 200, perRecordMs: 20 },
      { memoryMb: 512, overheadMs: 100, perRecordMs: 10 },
      { memoryMb: 1024, overheadMs: 55, perRecordMs: 5.5 },
    ]);
    expect(() =>
      durationFromTuneResult(file, { ...fn, memoryMb: 2048 }, 10, false, flagName),
    ).toThrow(
      `--tune-file ${file} measured 256, 512, 1024 MB, not the function's 2048 MB: give --memory-mb one of them, or --search-memory`,
    );
  });

  it("searches the memory sizes a tune result measured, and says MemorySize", async () => {
    const result = await optimizeEventSourceMappings(
      {
        template: join(FIXTURES, "template.yaml"),
        mapping: "OrderWorker/OrderQueue",
        rate: 20,
        arrival: "constant",
        tuneFile: writeTuneFile(),
        searchMemory: true,
        maxAgeSeconds: 30,
      },
      undefined,
      { simulate: fakeSimulate },
    );
    const [sqs] = result.mappings;
    expect(sqs!.current.MemorySize).toBe(512);
    expect([256, 512, 1024]).toContain(sqs!.recommended!.MemorySize);
    expect(sqs!.duration.source).toContain("at 512 MB (200 ms mean)");
  });

  it("takes REPORT lines' mean", async () => {
    const duration = await durationFromLogFiles(
      [join(FIXTURES, "order-worker.log")],
      "OrderWorker",
      10,
      undefined,
      fieldName,
    );
    expect(duration.overheadMs).toBeCloseTo(60, 9);
    expect(duration.perRecordMs).toBeCloseTo(6, 9);
    expect(duration.source).toBe("REPORT lines (3 of order-worker, 120 ms mean)");
    await expect(
      durationFromLogFiles([join(FIXTURES, "nope.log")], null, 10, undefined, flagName),
    ).rejects.toThrow(/--log-files: log file .*nope\.log does not exist/);
  });
});
