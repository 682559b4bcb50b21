/**
 * memory-unmeasured: a deployed function with no REPORT line read has no
 * Max Memory Used, so the report quotes the guide's starting point for what
 * its event source mappings suggest, as guidance; once one REPORT line is
 * read, the measured memory rules speak and this one is silent.
 */
import { describe, expect, it } from "vitest";
import { MetricsAggregator } from "../../src/metrics/aggregate.js";
import type { AwsFunctionObservations } from "../../src/metrics/aws-observations.js";
import { buildMetricsReport } from "../../src/metrics/build-report.js";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";

const START = Date.UTC(2026, 10, 1);
const DAY_MS = 86_400_000;

function deployed(
  memoryMb: number,
  eventSources: AwsFunctionObservations["configuration"]["eventSources"] = [],
): AwsFunctionObservations {
  return {
    configuration: {
      functionName: "orders",
      functionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders",
      runtime: "nodejs22.x",
      memoryMb,
      architecture: "arm64",
      timeoutSeconds: 10,
      ephemeralStorageMb: 512,
      reservedConcurrency: null,
      provisionedConcurrency: 0,
      packageType: "Zip",
      eventSources,
    },
    cloudWatch: {
      invocations: 4_000,
      errors: 0,
      throttles: 0,
      durationMs: { average: 40, maximum: 90, p50: null, p90: null, p99: null },
      concurrentExecutionsMax: 2,
      iteratorAgeMsMax: null,
    },
    logSample: { events: 0, capped: false },
    window: { start: new Date(START).toISOString(), end: new Date(START + DAY_MS).toISOString() },
  };
}

const SQS = {
  service: "sqs",
  arn: "arn:aws:sqs:us-east-1:123456789012:orders",
  state: "Enabled",
};

function recommendations(aws: AwsFunctionObservations, aggregator = new MetricsAggregator()) {
  const report = buildMetricsReport({
    aggregator,
    aws: [aws],
    source: { kind: "aws", inputs: ["orders"], region: "us-east-1" },
    priceTable: BUNDLED_PRICE_TABLE,
    window: { start: new Date(START), end: new Date(START + DAY_MS) },
    problems: [],
  });
  return report.functions[0]!.recommendations;
}

const GUIDANCE =
  "That is guidance, not measurement: no REPORT line was read, so nothing measured its memory; run `lambda-optimizer tune` to measure.";

describe("memory-unmeasured", () => {
  it("fed by SQS, no REPORT line: 128 or 512 MB by the guide, against the 1024 MB it has", () => {
    const found = recommendations(deployed(1024, [SQS])).find(
      ({ id }) => id === "memory-unmeasured",
    );
    expect(found).toEqual({
      id: "memory-unmeasured",
      severity: "info",
      message: `The guide's starting points for a queue or stream consumer (sqs event source mapping) are 128 MB (lightweight tasks: routing, simple transformations) or 512 MB (standard API handlers, moderate data processing); its code was not read to tell light work from moderate; it has 1024 MB. ${GUIDANCE}`,
      evidence:
        "no REPORT line read for 4,000 invocations, so no Max Memory Used; 1024 MB configured; fed by sqs (event source mappings)",
      // A guessed size is never priced.
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    });
  });

  it("with no event source mapping, the guide's table whole", () => {
    const found = recommendations(deployed(512)).find(({ id }) => id === "memory-unmeasured");
    expect(found!.message).toBe(
      `The guide's starting points by workload are 128 MB (lightweight tasks: routing, simple transformations), 512 MB (standard API handlers, moderate data processing), 1024 MB (compute-intensive tasks, image processing) and 3008+ MB (ML inference, large data processing); nothing known of it says which workload it is; it has 512 MB. ${GUIDANCE}`,
    );
    expect(found!.evidence).toContain("no event source mapping");
  });

  it("measured memory wins: one REPORT line read and the measured rules speak, not the guide", () => {
    const aggregator = new MetricsAggregator();
    for (let index = 0; index < 30; index++) {
      aggregator.report(
        "orders",
        {
          requestId: `r-${index}`,
          durationMs: 40,
          billedDurationMs: 40,
          memorySizeMb: 1024,
          maxMemoryUsedMb: 90,
        },
        START + index * 1000,
      );
    }
    const ids = recommendations(deployed(1024, [SQS]), aggregator).map(({ id }) => id);
    expect(ids).toContain("memory-oversized");
    expect(ids).not.toContain("memory-unmeasured");
  });
});
