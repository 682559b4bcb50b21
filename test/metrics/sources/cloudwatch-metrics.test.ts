import type { MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import {
  type CloudWatchSender,
  cloudWatchFigures,
  planCloudWatchWindow,
} from "../../../src/metrics/sources/cloudwatch-metrics.js";

const DAY = 86_400_000;
const now = new Date("2026-03-20T12:34:56.789Z");
const window = { start: new Date(now.getTime() - 14 * DAY), end: now };

interface GetMetricDataInput {
  MetricDataQueries: MetricDataQuery[];
  NextToken?: string;
  StartTime: Date;
  EndTime: Date;
}

/** A CloudWatch that answers GetMetricData through `answer`, recording each request. */
function fakeCloudWatch(
  answer: (input: GetMetricDataInput) => {
    MetricDataResults: MetricDataResult[];
    NextToken?: string;
  },
) {
  const requests: GetMetricDataInput[] = [];
  const sender = {
    send: async (command: { input: GetMetricDataInput }) => {
      requests.push(command.input);
      return answer(command.input);
    },
  } as unknown as CloudWatchSender;
  return { sender, requests };
}

/** Every query answered with one datapoint from `values` (by id), as real CloudWatch does. */
const oneDatapointEach =
  (values: Record<string, number>, at = window.start) =>
  (input: GetMetricDataInput) => ({
    MetricDataResults: input.MetricDataQueries.map((query) => ({
      Id: query.Id,
      StatusCode: "Complete" as const,
      Values: query.Id! in values ? [values[query.Id!]!] : [],
      Timestamps: query.Id! in values ? [at] : [],
    })),
  });

const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe("planCloudWatchWindow", () => {
  it("uses one-minute granularity within 15 days: start rounded down, one period over it all", () => {
    const plan = planCloudWatchWindow(window, now);
    expect(plan.start.toISOString()).toBe("2026-03-06T12:34:00.000Z");
    expect(plan.end).toBe(now);
    expect(plan.periodSeconds % 60).toBe(0);
    expect(plan.start.getTime() + plan.periodSeconds * 1000).toBeGreaterThanOrEqual(now.getTime());
    expect(plan.periodSeconds).toBe(14 * 86_400 + 60);
  });

  it("uses five-minute granularity between 15 and 63 days, and hours beyond", () => {
    const month = planCloudWatchWindow(
      { start: new Date(now.getTime() - 30 * DAY), end: now },
      now,
    );
    expect(month.start.toISOString()).toBe("2026-02-18T12:30:00.000Z");
    expect(month.periodSeconds % 300).toBe(0);
    expect(month.start.getTime() + month.periodSeconds * 1000).toBeGreaterThanOrEqual(
      now.getTime(),
    );

    const quarter = planCloudWatchWindow(
      { start: new Date(now.getTime() - 90 * DAY), end: now },
      now,
    );
    expect(quarter.start.toISOString()).toBe("2025-12-20T12:00:00.000Z");
    expect(quarter.periodSeconds % 3600).toBe(0);
    expect(quarter.start.getTime() + quarter.periodSeconds * 1000).toBeGreaterThanOrEqual(
      now.getTime(),
    );
  });
});

describe("cloudWatchFigures", () => {
  it("asks for every statistic in one GetMetricData call when CloudWatch answers them all", async () => {
    const { sender, requests } = fakeCloudWatch(
      oneDatapointEach({
        invocations: 1000,
        errors: 3,
        throttles: 0,
        durationAverage: 42.5,
        durationCount: 1000,
        durationMaximum: 900,
        durationP50: 30,
        durationP90: 80,
        durationP99: 400,
        concurrentExecutionsMax: 12,
        iteratorAgeMax: 1500,
      }),
    );
    const figures = await cloudWatchFigures(sender, "orders", window, { now });
    expect(requests).toHaveLength(1);
    const queries = requests[0]!.MetricDataQueries;
    expect(
      queries.map((query) => `${query.MetricStat!.Metric!.MetricName} ${query.MetricStat!.Stat}`),
    ).toEqual([
      "Invocations Sum",
      "Errors Sum",
      "Throttles Sum",
      "Duration Average",
      "Duration SampleCount",
      "Duration Maximum",
      "Duration p50",
      "Duration p90",
      "Duration p99",
      "ConcurrentExecutions Maximum",
      "IteratorAge Maximum",
    ]);
    for (const query of queries) {
      expect(query.MetricStat!.Metric!.Namespace).toBe("AWS/Lambda");
      expect(query.MetricStat!.Metric!.Dimensions).toEqual([
        { Name: "FunctionName", Value: "orders" },
      ]);
      expect(query.MetricStat!.Period).toBe(planCloudWatchWindow(window, now).periodSeconds);
    }
    expect(figures).toEqual({
      invocations: 1000,
      errors: 3,
      throttles: 0,
      durationMs: { average: 42.5, maximum: 900, p50: 30, p90: 80, p99: 400 },
      concurrentExecutionsMax: 12,
      iteratorAgeMsMax: 1500,
    });
  });

  it("combines several periods: sums add, maxima take the largest, averages weigh by sample count", async () => {
    const t1 = new Date("2026-03-10T00:00:00Z");
    const t2 = new Date("2026-03-11T00:00:00Z");
    const series: Record<string, number[]> = {
      invocations: [10, 30],
      errors: [1, 2],
      throttles: [0, 4],
      durationAverage: [100, 20],
      durationCount: [10, 30],
      durationMaximum: [300, 900],
      durationP50: [90, 10],
      durationP90: [150, 40],
      durationP99: [290, 800],
      concurrentExecutionsMax: [3, 2],
      iteratorAgeMax: [5, 7],
    };
    const { sender } = fakeCloudWatch((input) => ({
      MetricDataResults: input.MetricDataQueries.map((query) => ({
        Id: query.Id,
        StatusCode: "Complete",
        // Newest first, as CloudWatch returns them by default.
        Values: [...series[query.Id!]!].reverse(),
        Timestamps: [t2, t1],
      })),
    }));
    const figures = await cloudWatchFigures(sender, "orders", window, { now });
    expect(figures).toEqual({
      invocations: 40,
      errors: 3,
      throttles: 4,
      durationMs: {
        average: (100 * 10 + 20 * 30) / 40,
        maximum: 900,
        p50: (90 * 10 + 10 * 30) / 40,
        p90: (150 * 10 + 40 * 30) / 40,
        p99: (290 * 10 + 800 * 30) / 40,
      },
      concurrentExecutionsMax: 3,
      iteratorAgeMsMax: 7,
    });
  });

  it("follows NextToken and joins each statistic's pages", async () => {
    const { sender, requests } = fakeCloudWatch((input) =>
      input.NextToken
        ? {
            MetricDataResults: [
              { Id: "invocations", StatusCode: "Complete", Values: [5], Timestamps: [now] },
            ],
          }
        : {
            MetricDataResults: [
              {
                Id: "invocations",
                StatusCode: "PartialData",
                Values: [7],
                Timestamps: [window.start],
              },
            ],
            NextToken: "page-2",
          },
    );
    const figures = await cloudWatchFigures(sender, "orders", window, { now });
    expect(requests.map((request) => request.NextToken)).toEqual([undefined, "page-2"]);
    expect(figures.invocations).toBe(12);
    // Never answered at all: missing, not zero.
    expect(figures.errors).toBeNull();
  });

  it("leaves a statistic whose result is InternalError empty and keeps the rest", async () => {
    const { sender } = fakeCloudWatch((input) => ({
      MetricDataResults: input.MetricDataQueries.map((query) => ({
        Id: query.Id,
        StatusCode: query.Id === "durationP99" ? "InternalError" : "Complete",
        Values: query.Id === "durationP99" ? [] : [1],
        Timestamps: query.Id === "durationP99" ? [] : [window.start],
      })),
    }));
    const figures = await cloudWatchFigures(sender, "orders", window, { now });
    expect(figures.durationMs.p99).toBeNull();
    expect(figures.durationMs.p90).toBe(1);
    expect(figures.invocations).toBe(1);
  });

  it("asks again without the percentiles when the batch fails (moto), each percentile alone", async () => {
    const notes: string[] = [];
    const { sender, requests } = fakeCloudWatch((input) => {
      const ids = input.MetricDataQueries.map((query) => query.Id);
      if (ids.some((id) => id === "durationP50" || id === "durationP99")) {
        throw awsError("InternalFailure", 500);
      }
      return oneDatapointEach({
        invocations: 8,
        durationAverage: 12,
        durationCount: 8,
        durationP90: 20,
      })(input);
    });
    const figures = await cloudWatchFigures(sender, "orders", window, {
      now,
      onNote: (note) => notes.push(note),
    });
    expect(requests.map((request) => request.MetricDataQueries.length)).toEqual([11, 8, 1, 1, 1]);
    expect(figures.invocations).toBe(8);
    expect(figures.durationMs).toEqual({
      average: 12,
      maximum: null,
      p50: null,
      p90: 20,
      p99: null,
    });
    expect(notes).toEqual([
      expect.stringContaining("orders: CloudWatch did not answer Duration p50, p99"),
    ]);
  });

  it("throws when even the plain statistics fail: that is not a missing statistic", async () => {
    const { sender } = fakeCloudWatch(() => {
      throw awsError("AccessDenied", 403);
    });
    await expect(cloudWatchFigures(sender, "orders", window, { now })).rejects.toMatchObject({
      name: "AccessDenied",
    });
  });

  it("does not split a batch that stayed throttled: the SDK has retried it already", async () => {
    const { sender: alwaysThrottled, requests } = fakeCloudWatch(() => {
      throw awsError("Throttling", 400);
    });
    await expect(
      cloudWatchFigures(alwaysThrottled, "orders", window, { now }),
    ).rejects.toMatchObject({ name: "Throttling" });
    expect(requests).toHaveLength(1);
  });
});
