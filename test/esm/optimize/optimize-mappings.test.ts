/**
 * optimizeEventSourceMappings over a template with an SQS queue (with its
 * queue declared), a Kinesis stream and a DynamoDB stream: what it reads
 * from the template, what it recommends and why, and the mistakes it refuses.
 * The search runs on the hand-checkable fake simulator here, so the figures
 * can be worked out; optimize-real-simulator.test.ts runs the same on the
 * real one.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { optimizeEventSourceMappings } from "../../../src/esm/optimize/optimize-mappings.js";
import { EsmOptimizeResultSchema } from "../../../src/esm/optimize/optimize-result.js";
import { flagName } from "../../../src/options.js";
import { fakeSimulate } from "./fake-simulator.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "esm-optimize");
const TEMPLATE = join(FIXTURES, "template.yaml");

const base = {
  template: TEMPLATE,
  rate: 50,
  arrival: "constant" as const,
  overheadMs: 50,
  recordMs: 5,
  maxAgeSeconds: 30,
};

describe("optimizeEventSourceMappings over a template (fake simulator)", () => {
  it("reads the three mappings with their sources and functions, and recommends cheaper settings within the bound", async () => {
    const progress: string[] = [];
    const result = await optimizeEventSourceMappings(base, undefined, {
      simulate: fakeSimulate,
      onProgress: (message) => progress.push(message),
    });
    expect(EsmOptimizeResultSchema.parse(result)).toEqual(result);
    expect(result.source).toBe("template");
    expect(result.mappings.map((m) => [m.id, m.eventSource, m.function])).toEqual([
      ["ClickMapping", "kinesis", "ClickConsumer"],
      ["OrderWorker/OrderQueue", "sqs", "OrderWorker"],
      ["AccountAudit/AccountChanges", "dynamodb", "AccountAudit"],
    ]);
    expect(progress).toEqual(result.mappings.map((m) => `searching the settings of ${m.label}`));

    const sqs = result.mappings.find((m) => m.eventSource === "sqs")!;
    expect(sqs.current).toEqual({
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      "ScalingConfig.MaximumConcurrency": null,
      VisibilityTimeout: 30,
    });
    expect(sqs.traffic).toEqual({
      source: "rate",
      meanPerSecond: 50,
      peakPerSecond: 50,
      periodSeconds: 3600,
    });
    expect(sqs.duration).toEqual({
      overheadMs: 50,
      perRecordMs: 5,
      source: "given: overheadMs + recordMs",
    });
    const recommended = sqs.recommended!;
    expect(recommended.BatchSize as number).toBeGreaterThan(10);
    expect(recommended.MaximumBatchingWindowInSeconds as number).toBeGreaterThanOrEqual(1);
    // 6 × the 10 s Timeout, plus the window.
    expect(recommended.VisibilityTimeout).toBe(
      60 + (recommended.MaximumBatchingWindowInSeconds as number),
    );
    const predicted = sqs.predicted;
    expect(predicted.current.meetsBound).toBe(true);
    expect(predicted.recommended!.meetsBound).toBe(true);
    expect(predicted.recommended!.ageP99Seconds).toBeLessThan(30);
    expect(predicted.recommended!.monthlyUsd).toBeLessThan(predicted.current.monthlyUsd);
    expect(predicted.recommended!.invocations).toBeLessThan(predicted.current.invocations);
    expect(sqs.reasons[0]).toBe(
      `The bound: a record processed within 30 s of its arrival at p99, with no throttles; ${sqs.searched} settings simulated.`,
    );
    expect(sqs.reasons.join("\n")).toContain(
      "The queue's VisibilityTimeout of 30 s is under 6× the function's 10 s timeout (AWS's advice)",
    );
    expect(sqs.reasons.join("\n")).toMatch(
      /The recommended settings keep p99 age at [\d.]+ s for \$[\d.]+ a month: \$[\d.]+ \(\d+%\) less\./,
    );
    expect(sqs.reasons.join("\n")).toMatch(
      /(BatchSize|MaximumBatchingWindowInSeconds) \S+ instead of today's \S+ matters most/,
    );
    // The guide's fixed advice: esm-config's visibility finding on the queue.
    expect(sqs.advice.map((finding) => finding.property)).toEqual(["VisibilityTimeout"]);

    const kinesis = result.mappings.find((m) => m.eventSource === "kinesis")!;
    expect(kinesis.current).toEqual({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
    });
    expect(kinesis.recommended!.ParallelizationFactor).toBeGreaterThanOrEqual(1);
    expect(kinesis.advice.map((finding) => finding.property).sort()).toEqual([
      "DestinationConfig",
      "FunctionResponseTypes",
    ]);
    const dynamodb = result.mappings.find((m) => m.eventSource === "dynamodb")!;
    expect(dynamodb.advice.map((finding) => finding.property)).toEqual(["FunctionResponseTypes"]);
    // The stream's ShardCount is read; a DynamoDB stream's shards are modelled.
    expect(result.modelled.map((figure) => figure.name)).toContain(
      "AccountAudit/AccountChanges: shards",
    );
    expect(result.modelled.map((figure) => figure.name)).not.toContain("ClickMapping: shards");
    expect(result.prices.region).toBe("us-east-1");
  });

  it("says when nothing meets the bound: the closest setting and the shards it would take", async () => {
    // 2,000 records/s on two shards at 200 ms + 5 ms a record: even 10 batches a shard at a time fall behind.
    const result = await optimizeEventSourceMappings(
      {
        ...base,
        mapping: "ClickMapping",
        rate: 20_000,
        overheadMs: 200,
        recordMs: 5,
        maxAgeSeconds: 5,
      },
      undefined,
      { simulate: fakeSimulate },
    );
    const [kinesis] = result.mappings;
    expect(kinesis!.recommended).toBeNull();
    expect(kinesis!.predicted.recommended).toBeNull();
    const reasons = kinesis!.reasons.join("\n");
    expect(reasons).toContain(
      "None of the settings searched meets the bound. The closest, BatchSize",
    );
    expect(reasons).toMatch(
      /2 shards × ParallelizationFactor 10 allow 20\. About \d+ shards would be needed/,
    );
  });

  it("takes the function's facts from the options before the template", async () => {
    const result = await optimizeEventSourceMappings(
      { ...base, mapping: "OrderWorker/OrderQueue", timeoutSeconds: 20, memoryMb: 2048 },
      undefined,
      { simulate: fakeSimulate },
    );
    const [sqs] = result.mappings;
    // 6 × the 20 s timeout given, not the template's 10 s.
    expect(sqs!.recommended!.VisibilityTimeout as number).toBeGreaterThanOrEqual(120);
    expect(sqs!.reasons.join("\n")).toContain("under 6× the function's 20 s timeout");
  });
});

describe("optimizeEventSourceMappings refuses mistakes, naming the option", () => {
  const refuse = async (input: Record<string, unknown>, message: string | RegExp) => {
    const run = optimizeEventSourceMappings(input as never, flagName, { simulate: fakeSimulate });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(message);
  };

  it("a rate of 0", () =>
    refuse({ ...base, rate: 0 }, "--rate 0 is not valid: expected records per second above 0"));
  it("no duration", () =>
    refuse(
      { template: TEMPLATE, rate: 5, maxAgeSeconds: 10 },
      /how long does a batch take\? Give --batch-ms, --record-ms with --overhead-ms, --tune-file or --log-files/,
    ));
  it("both batchMs and recordMs", () =>
    refuse({ ...base, batchMs: 100 }, "give --batch-ms or --record-ms + --overhead-ms, not both"));
  it("a mapping the template lacks", () =>
    refuse(
      { ...base, mapping: "Nope" },
      /--mapping Nope is not an event source mapping in .*template\.yaml: expected one of ClickMapping, OrderWorker\/OrderQueue, AccountAudit\/AccountChanges/,
    ));
  it("no traffic", () =>
    refuse(
      { template: TEMPLATE, batchMs: 5, maxAgeSeconds: 10 },
      "give the traffic: --rate or --rate-profile",
    ));
  it("a tune result that is not there", () =>
    refuse(
      {
        ...base,
        overheadMs: undefined,
        recordMs: undefined,
        tuneFile: join(FIXTURES, "missing.json"),
      },
      /--tune-file .*missing\.json: cannot read it \(no such file\)/,
    ));
});

describe("optimizeEventSourceMappings on one mapping given by its settings (fake simulator)", () => {
  const settingsBase = {
    rate: 2_000,
    arrival: "constant" as const,
    overheadMs: 50,
    recordMs: 1,
    maxAgeSeconds: 30,
  };

  it("reads a Kinesis mapping's settings as the Lambda API names them; the rest given or Lambda's defaults, labelled", async () => {
    const result = await optimizeEventSourceMappings(
      {
        ...settingsBase,
        settings: {
          EventSourceArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks",
          BatchSize: 50,
          ParallelizationFactor: 2,
          StartingPosition: "LATEST",
        },
        shards: 4,
      },
      undefined,
      { simulate: fakeSimulate },
    );
    expect(EsmOptimizeResultSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({ source: "settings", origin: "the settings given" });
    const [kinesis] = result.mappings;
    expect(kinesis).toMatchObject({
      id: "settings",
      eventSource: "kinesis",
      function: null,
      line: null,
    });
    expect(kinesis!.current).toMatchObject({ BatchSize: 50, ParallelizationFactor: 2 });
    // Shards were given; the function's memory, architecture and timeout were not.
    expect(result.modelled.map((figure) => [figure.name, figure.value, figure.why])).toEqual([
      ["settings: MemorySize", 128, "not given: Lambda's default"],
      ["settings: Architectures", "x86_64", "not given: Lambda's default"],
      ["settings: Timeout", 3, "not given: Lambda's default"],
    ]);
    // No template was read, so nothing is said to be missing from one.
    expect(JSON.stringify(result)).not.toContain("template");
    // esm-config's advice on the same settings: no on-failure destination, no partial batch responses.
    expect(kinesis!.advice.map((finding) => finding.property)).toEqual(
      expect.arrayContaining(["DestinationConfig", "FunctionResponseTypes"]),
    );
  });

  it("takes the source from eventSource when the settings have no ARN, and says the queue's attributes are SQS's defaults", async () => {
    const result = await optimizeEventSourceMappings(
      {
        ...settingsBase,
        rate: 50,
        settings: { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 5 } },
        eventSource: "sqs",
        memoryMb: 512,
        timeoutSeconds: 10,
      },
      undefined,
      { simulate: fakeSimulate },
    );
    const [sqs] = result.mappings;
    expect(sqs!.current).toEqual({
      BatchSize: 1,
      MaximumBatchingWindowInSeconds: 0,
      "ScalingConfig.MaximumConcurrency": 5,
      VisibilityTimeout: 30,
    });
    expect(result.modelled.map((figure) => figure.name)).toEqual(["settings: Architectures"]);
    expect(result.notes).toContain(
      "settings: the queue's VisibilityTimeout (30 s), retention and redrive policy are not in the settings given: SQS's defaults",
    );
    // 6 × the 10 s timeout given.
    expect(sqs!.recommended!.VisibilityTimeout as number).toBeGreaterThanOrEqual(60);
  });

  const refuse = async (input: Record<string, unknown>, message: string) => {
    const run = optimizeEventSourceMappings(input as never, flagName, { simulate: fakeSimulate });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(message);
  };
  it("refuses settings whose source cannot be told", () =>
    refuse(
      { ...settingsBase, settings: { BatchSize: 10 } },
      "--event-source is needed: say what feeds the mapping (sqs, kinesis, dynamodb or kafka), or give its EventSourceArn in --settings",
    ));
  it("refuses settings with a template", () =>
    refuse(
      { ...base, settings: { BatchSize: 10 }, eventSource: "sqs" },
      "give --template, --aws or --settings: one place the mappings come from",
    ));
  it("refuses eventSource without settings", () =>
    refuse(
      { ...base, eventSource: "sqs" },
      "--event-source and --fifo go with --settings: a template's or a deployed function's mappings are read with their sources",
    ));
});

describe("optimizeEventSourceMappings on a Kafka topic in provisioned mode (fake simulator)", () => {
  it("provisions pollers for the peak's bytes and invocations, citing 5 MB/s and 5 invocations a poller", async () => {
    // 20,000 records/s of 1 KiB: 19.53 MB/s, 4 pollers for the bytes; partitions 12 cap it.
    const result = await optimizeEventSourceMappings(
      {
        template: join(FIXTURES, "kafka.yaml"),
        rate: 20_000,
        arrival: "constant",
        partitions: 12,
        overheadMs: 20,
        recordMs: 0.1,
        maxAgeSeconds: 10,
      },
      undefined,
      { simulate: fakeSimulate },
    );
    const [kafka] = result.mappings;
    expect(kafka!.eventSource).toBe("kafka");
    expect(kafka!.current["ProvisionedPollerConfig.MinimumPollers"]).toBe(1);
    const pollers = kafka!.recommended!["ProvisionedPollerConfig.MinimumPollers"] as number;
    expect(pollers).toBeGreaterThanOrEqual(4);
    expect(pollers).toBeLessThanOrEqual(12);
    expect(kafka!.reasons.join("\n")).toContain(
      `Provisioned pollers: ${pollers}, for the peak of 20,000 records/s × 1,024 bytes = 19.53 MB/s at 5 MB/s and 5 concurrent invocations a poller`,
    );
    expect(kafka!.advice).toEqual([]);
  });
});

describe("optimizeEventSourceMappings on an SQS queue with reserved concurrency (fake simulator)", () => {
  it("caps MaximumConcurrency at the reservation, citing AWS's advice, and drops the throttles", async () => {
    // 200 records/s at 50 ms + 5 ms a record needs about 11 at once in batches of 1; 2 are reserved.
    const result = await optimizeEventSourceMappings(
      { ...base, mapping: "OrderWorker/OrderQueue", rate: 200, reservedConcurrency: 2 },
      undefined,
      { simulate: fakeSimulate },
    );
    const [sqs] = result.mappings;
    expect(sqs!.predicted.current.throttles).toBeGreaterThan(0);
    expect(sqs!.predicted.recommended!.throttles).toBe(0);
    expect(sqs!.reasons.join("\n")).toContain(
      "The function's reserved concurrency is 2 and ScalingConfig.MaximumConcurrency is unset: the pollers can invoke more at once than the reservation allows",
    );
  });
});
