/**
 * A deployed function's traffic from CloudWatch, against a real AWS-API
 * server (moto 5) through the real SDK over HTTP: functions are created and
 * per-minute metrics put with PutMetricData, then read back by
 * profileFromCloudWatch, and every step is checked against what the test
 * seeded.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { planBilling } from "../../../src/planning/plan-billing.js";
import { profileFromCloudWatch } from "../../../src/planning/sources/profile-from-cloudwatch.js";
import {
  createFunction,
  createRole,
  motoClients,
  putLambdaMetrics,
  REGION,
} from "../../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../../setup/moto-server.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// A few seconds into a minute, so the window's end is rounded down to the last whole minute.
const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE + 20_000);
const lastWholeMinute = Math.floor(now.getTime() / MINUTE) * MINUTE;
/** The one-day window's first minute, as profileFromCloudWatch must choose it. */
const dayStart = Math.floor((now.getTime() - DAY) / MINUTE) * MINUTE;
/** The orders function's busy hour: 3 hours before the window's end. */
const busyStart = lastWholeMinute - 3 * HOUR;

/** Per minute of the busy hour: invocations (none put every 4th minute), concurrency, mean duration. */
const busyMinutes = Array.from({ length: 60 }, (_, minute) => ({
  at: busyStart + minute * MINUTE,
  invocations: minute % 4 === 3 ? undefined : 10 + (minute % 7),
  // Minute 10's ConcurrentExecutions is missing: it served 13 invocations, so at least 1 ran.
  concurrency: minute % 4 === 3 || minute === 10 ? undefined : 1 + (minute % 3),
  durationMs: 100 + minute,
}));

let moto: MotoServer;
const clients = () => {
  const { lambda, cloudwatch } = motoClients(moto.endpoint);
  return { lambda, cloudwatch };
};

beforeAll(async () => {
  moto = await startMotoServer();
  const { lambda, cloudwatch } = motoClients(moto.endpoint);
  await createRole(moto.endpoint);
  await createFunction(lambda, {
    FunctionName: "orders",
    MemorySize: 1769,
    Architectures: ["arm64"],
    Runtime: "python3.12",
    EphemeralStorage: { Size: 1024 },
  });
  await createFunction(lambda, { FunctionName: "quiet" });
  await createFunction(lambda, { FunctionName: "archive", MemorySize: 256 });
  const data = busyMinutes.flatMap((minute) => [
    ...(minute.invocations === undefined
      ? []
      : [
          // Two datapoints in the minute: CloudWatch's Sum adds them.
          {
            MetricName: "Invocations",
            Value: minute.invocations - 4,
            Unit: "Count" as const,
            Timestamp: new Date(minute.at + 5_000),
          },
          {
            MetricName: "Invocations",
            Value: 4,
            Unit: "Count" as const,
            Timestamp: new Date(minute.at + 45_000),
          },
          {
            MetricName: "Duration",
            StatisticValues: {
              SampleCount: minute.invocations,
              Sum: minute.invocations * minute.durationMs,
              Minimum: minute.durationMs - 50,
              Maximum: minute.durationMs + 50,
            },
            Unit: "Milliseconds" as const,
            Timestamp: new Date(minute.at + 30_000),
          },
        ]),
    ...(minute.concurrency === undefined
      ? []
      : [
          {
            MetricName: "ConcurrentExecutions",
            Value: minute.concurrency,
            Unit: "Count" as const,
            Timestamp: new Date(minute.at + 30_000),
          },
        ]),
  ]);
  // Outside the window: a day and a half ago, and in the minute still in progress.
  data.push(
    {
      MetricName: "Invocations",
      Value: 1000,
      Unit: "Count",
      Timestamp: new Date(now.getTime() - 36 * HOUR),
    },
    {
      MetricName: "Invocations",
      Value: 2000,
      Unit: "Count",
      Timestamp: new Date(lastWholeMinute + 5_000),
    },
  );
  // Twenty datapoints a call: moto answers a much larger PutMetricData with an HTML error page.
  for (let index = 0; index < data.length; index += 20)
    await putLambdaMetrics(cloudwatch, "orders", data.slice(index, index + 20));

  // 16 days ago, where only 5-minute data is left: two datapoints in one 5-minute step.
  const old = Math.floor((now.getTime() - 16 * DAY) / (5 * MINUTE)) * 5 * MINUTE;
  await putLambdaMetrics(cloudwatch, "archive", [
    { MetricName: "Invocations", Value: 2, Unit: "Count", Timestamp: new Date(old + MINUTE) },
    { MetricName: "Invocations", Value: 3, Unit: "Count", Timestamp: new Date(old + 3 * MINUTE) },
    {
      MetricName: "ConcurrentExecutions",
      Value: 1,
      Unit: "Count",
      Timestamp: new Date(old + MINUTE),
    },
    {
      MetricName: "ConcurrentExecutions",
      Value: 4,
      Unit: "Count",
      Timestamp: new Date(old + 3 * MINUTE),
    },
    { MetricName: "Duration", Value: 80, Unit: "Milliseconds", Timestamp: new Date(old + MINUTE) },
  ]);
});

afterAll(async () => {
  await moto?.stop();
});

describe("profileFromCloudWatch", () => {
  it("reads a day of per-minute Invocations, ConcurrentExecutions and Duration, and the function's configuration", async () => {
    const progress: string[] = [];
    const { profile, observed } = await profileFromCloudWatch(clients(), "orders", {
      days: 1,
      now,
      onProgress: (message) => progress.push(message),
    });
    expect(progress).toEqual([
      "reading CloudWatch metrics for orders, 1 day at 1-minute resolution",
    ]);
    expect(profile.source).toBe("cloudwatch");
    expect(profile.origin).toBe("orders");
    expect(profile.stepSeconds).toBe(60);
    expect(profile.startMs).toBe(dayStart);
    // Whole minutes from a day back to the last whole one: 1,440.
    expect(profile.invocations).toHaveLength(1440);
    const busyStep = (busyStart - dayStart) / MINUTE;
    const expectedInvocations = new Array<number>(1440).fill(0);
    const expectedConcurrency = new Array<number>(1440).fill(0);
    const expectedDuration = new Array<number>(1440).fill(Number.NaN);
    for (const [minute, seeded] of busyMinutes.entries()) {
      if (seeded.invocations === undefined) continue;
      expectedInvocations[busyStep + minute] = seeded.invocations;
      expectedConcurrency[busyStep + minute] = seeded.concurrency ?? 1;
      expectedDuration[busyStep + minute] = seeded.durationMs;
    }
    expect(profile.invocations).toEqual(expectedInvocations);
    expect(profile.concurrency).toEqual(expectedConcurrency);
    expect(profile.durationMs).toEqual(expectedDuration);
    // Spot checks of the seeding above: minute 0 = 10 invocations of 100 ms at concurrency 1;
    // minute 5 = 15 of 105 ms at 3; minute 10 = 13 with no concurrency datapoint, so 1.
    expect(profile.invocations.slice(busyStep, busyStep + 4)).toEqual([10, 11, 12, 0]);
    expect(profile.concurrency![busyStep + 5]).toBe(3);
    expect(profile.concurrency![busyStep + 10]).toBe(1);
    expect(profile.invocations[busyStep + 10]).toBe(13);

    let weighted = 0;
    let total = 0;
    for (const seeded of busyMinutes) {
      if (seeded.invocations === undefined) continue;
      weighted += seeded.invocations * seeded.durationMs;
      total += seeded.invocations;
    }
    expect(total).toBe(profile.invocations.reduce((sum, count) => sum + count, 0));
    expect(observed).toEqual({
      functionName: "orders",
      memoryMb: 1769,
      architecture: "arm64",
      runtime: "python3.12",
      ephemeralStorageMb: 1024,
      meanDurationMs: weighted / total,
    });
  });

  it("falls back to 5-minute steps where the window reaches past CloudWatch's 15 days of 1-minute data", async () => {
    const progress: string[] = [];
    const { profile, observed } = await profileFromCloudWatch(clients(), "archive", {
      days: 20,
      now,
      onProgress: (message) => progress.push(message),
    });
    expect(progress).toEqual([
      "reading CloudWatch metrics for archive, 20 days at 5-minute resolution",
    ]);
    expect(profile.stepSeconds).toBe(300);
    // 20 days of 5-minute steps.
    expect(profile.invocations).toHaveLength(5760);
    const old = Math.floor((now.getTime() - 16 * DAY) / (5 * MINUTE)) * 5 * MINUTE;
    const step = (old - profile.startMs) / (5 * MINUTE);
    expect(profile.invocations[step]).toBe(5);
    expect(profile.concurrency![step]).toBe(4);
    expect(profile.invocations.reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(observed.memoryMb).toBe(256);
    expect(observed.meanDurationMs).toBe(80);
  });

  it("returns a window without invocations as zeros, leaving concurrency to the planner", async () => {
    const { profile, observed } = await profileFromCloudWatch(clients(), "quiet", { days: 1, now });
    expect(profile.invocations).toHaveLength(1440);
    expect(profile.invocations.every((count) => count === 0)).toBe(true);
    expect(profile.concurrency).toBeUndefined();
    expect(observed.meanDurationMs).toBeUndefined();
    expect(observed.memoryMb).toBe(128);
    expect(observed.architecture).toBe("x86_64");
  });

  it("refuses a function that does not exist as a UsageError, before reading any metric", async () => {
    const progress: string[] = [];
    const error = await profileFromCloudWatch(clients(), "nope", {
      days: 1,
      now,
      onProgress: (message) => progress.push(message),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "function nope not found: check the name or ARN, the region and the AWS profile",
    );
    expect(progress).toEqual([]);
  });
});

describe("planBilling with aws", () => {
  it("exits 2 (a UsageError) for a function the account does not have", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    try {
      const error = await planBilling(
        { aws: true, function: "nope", region: REGION, endpointUrl: moto.endpoint },
        undefined,
        { now },
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        "function nope not found: check the name or ARN, the region and the AWS profile",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
