/**
 * What `esm simulate` (and the MCP tool `esm_simulate`) can be asked, as a
 * zod schema: checked and defaulted here once for every surface. Settings a
 * source does not have (shards for SQS, say) are refused, not ignored. Where
 * Lambda has a default (BatchSize 10 for SQS, 100 for streams), an unset
 * setting takes it when the scenario is built, so the run says what it used.
 */
import { z } from "zod";
import { ESM_EVENT_SOURCES } from "../../audit/esm-check-options.js";
import { environmentRegion } from "../../aws/environment-region.js";
import { EPHEMERAL_STORAGE_MB, MEMORY_MB, TIMEOUT_SECONDS } from "../../lambda/limits.js";
import { rangeSchema } from "../../lambda/range-schema.js";
import { ARCHITECTURES } from "../../pricing/price-table.js";

export const ESM_SIMULATE_DEFAULTS = {
  /** An hour: long enough for pollers to scale and a backlog to show. */
  seconds: 3_600,
  arrival: "poisson",
  recordBytes: 1_024,
  seed: 1,
  /**
   * About a minute of work on a busy core. A run takes about two events per invocation (its
   * start and its end) plus one per poll: a day at 1,000 records/s, 3 to 15 million.
   */
  maxEvents: 200_000_000,
  errorRate: 0,
  memoryMb: 1_024,
  architecture: "x86_64",
  timeoutSeconds: 3,
} as const;

const positive = (what: string) =>
  z.number({ error: `expected ${what} above 0` }).positive(`expected ${what} above 0`);
const whole = (minimum: number, maximum: number, what: string) => {
  const allowed = `expected a whole number${what ? ` of ${what}` : ""} from ${minimum.toLocaleString("en-US")} to ${maximum.toLocaleString("en-US")}`;
  return z.number({ error: allowed }).int(allowed).min(minimum, allowed).max(maximum, allowed);
};
const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, `expected ${what}`);
const SHARE = "expected a share from 0 to 1 (0.02 for 2%)";

/** The mapping's settings, in the simulator's names; each says which sources have it. */
export const EsmMappingSettingsFields = {
  source: z
    .enum(ESM_EVENT_SOURCES, { error: `expected one of ${ESM_EVENT_SOURCES.join(", ")}` })
    .describe("what feeds the mapping: sqs, kinesis, dynamodb or kafka"),
  batchSize: whole(1, 10_000, "records")
    .optional()
    .describe(
      "BatchSize: 1–10,000 (an SQS FIFO queue 1–10); default Lambda's: 10 for SQS, 100 for streams and Kafka",
    ),
  windowSeconds: whole(0, 300, "seconds")
    .optional()
    .describe("MaximumBatchingWindowInSeconds, 0–300 (default 0; Kafka's default is 0.5 s)"),
  maxConcurrency: whole(2, 1_000, "")
    .optional()
    .describe("SQS: ScalingConfig.MaximumConcurrency, 2–1,000 (default: unset)"),
  fifo: z.boolean({ error: "expected true or false" }).optional().describe("SQS: a FIFO queue"),
  messageGroups: whole(1, 100_000, "message groups")
    .optional()
    .describe("SQS FIFO: message groups the records spread over (default 1)"),
  visibilityTimeoutSeconds: whole(0, 43_200, "seconds")
    .optional()
    .describe("SQS: the queue's VisibilityTimeout (default 30)"),
  maxReceiveCount: whole(1, 1_000, "receives")
    .optional()
    .describe("SQS: the redrive policy's maxReceiveCount (default: no dead-letter queue)"),
  reportBatchItemFailures: z
    .boolean({ error: "expected true or false" })
    .optional()
    .describe("FunctionResponseTypes ReportBatchItemFailures: only failed records are retried"),
  shards: whole(1, 100_000, "shards").optional().describe("Kinesis, DynamoDB: shards (default 1)"),
  parallelization: whole(1, 10, "")
    .optional()
    .describe("Kinesis, DynamoDB: ParallelizationFactor, 1–10 (default 1)"),
  tumblingWindowSeconds: whole(0, 900, "seconds")
    .optional()
    .describe("Kinesis, DynamoDB: TumblingWindowInSeconds, 0–900 (default 0)"),
  maximumRetryAttempts: whole(-1, 10_000, "")
    .optional()
    .describe("Kinesis, DynamoDB: MaximumRetryAttempts, -1 (until expiry) to 10,000 (default -1)"),
  bisectOnError: z
    .boolean({ error: "expected true or false" })
    .optional()
    .describe("Kinesis, DynamoDB: BisectBatchOnFunctionError"),
  maximumRecordAgeSeconds: whole(-1, 604_800, "seconds")
    .optional()
    .describe("Kinesis, DynamoDB: MaximumRecordAgeInSeconds, -1 or 60–604,800 (default -1)"),
  partitions: whole(1, 100_000, "partitions")
    .optional()
    .describe("Kafka: the topic's partitions (default 1)"),
  pollers: whole(1, 2_000, "pollers")
    .optional()
    .describe("Kafka provisioned mode: event pollers (default: on-demand mode)"),
};

/** How long a batch takes: given, from a tune result, or measured in REPORT lines. */
export const EsmFunctionFields = {
  batchMs: positive("milliseconds")
    .optional()
    .describe("the function's duration per batch in ms, whatever its size"),
  recordMs: z
    .number({ error: "expected milliseconds from 0" })
    .min(0, "expected milliseconds from 0")
    .optional()
    .describe(
      "ms per record in a batch (with overheadMs): duration = overheadMs + recordMs × batch size",
    ),
  overheadMs: z
    .number({ error: "expected milliseconds from 0" })
    .min(0, "expected milliseconds from 0")
    .optional()
    .describe("ms per batch whatever its size (with recordMs)"),
  tuneFile: text("a tune result file")
    .optional()
    .describe("a saved `tune --json` result: the batch duration at the function's memory size"),
  logFiles: z
    .array(text("a log file"), { error: "expected a list of log files" })
    .min(1, "expected at least one log file")
    .optional()
    .describe("REPORT lines of the function: its mean duration per batch"),
  errorRate: z
    .number({ error: SHARE })
    .min(0, SHARE)
    .max(1, SHARE)
    .default(ESM_SIMULATE_DEFAULTS.errorRate)
    .describe("the share of batches that fail (of records, with reportBatchItemFailures)"),
  reservedConcurrency: whole(0, 100_000, "")
    .optional()
    .describe("the function's reserved concurrency (default: unreserved)"),
  timeoutSeconds: rangeSchema(TIMEOUT_SECONDS)
    .default(ESM_SIMULATE_DEFAULTS.timeoutSeconds)
    .describe("the function's timeout in seconds"),
  memoryMb: rangeSchema(MEMORY_MB)
    .default(ESM_SIMULATE_DEFAULTS.memoryMb)
    .describe("memory size in MB, for the cost"),
  architecture: z
    .enum(ARCHITECTURES, { error: `expected one of ${ARCHITECTURES.join(", ")}` })
    .default(ESM_SIMULATE_DEFAULTS.architecture)
    .describe("x86_64 or arm64, for the cost"),
  ephemeralStorageMb: rangeSchema(EPHEMERAL_STORAGE_MB).optional().describe("/tmp size in MB"),
};

/** How records arrive: a rate (with an optional burst) or a profile file. */
export const EsmTrafficFields = {
  rate: positive("records per second").optional().describe("records arriving per second"),
  rateProfile: text("a profile file")
    .optional()
    .describe(
      "records per step from a CSV or JSON lines file as `plan --profile` reads (timestamp, invocations = records)",
    ),
  arrival: z
    .enum(["constant", "poisson"], { error: "expected constant or poisson" })
    .default(ESM_SIMULATE_DEFAULTS.arrival)
    .describe("constant: evenly spaced; poisson: random gaps (seeded)"),
  burstRate: positive("records per second")
    .optional()
    .describe("a burst: records per second during it, instead of rate"),
  burstAtSeconds: z
    .number({ error: "expected seconds from 0" })
    .min(0, "expected seconds from 0")
    .optional()
    .describe("when the burst starts (default: a quarter of the way in)"),
  burstSeconds: positive("seconds")
    .optional()
    .describe("how long the burst lasts (default: to the end: a step)"),
  recordBytes: whole(1, 6_291_456, "bytes")
    .default(ESM_SIMULATE_DEFAULTS.recordBytes)
    .describe("the size of one record (a batch's payload is at most 6 MB)"),
};

export const EsmSimulateOptionsFields = z.strictObject({
  ...EsmMappingSettingsFields,
  ...EsmTrafficFields,
  ...EsmFunctionFields,
  seconds: positive("seconds")
    .optional()
    .describe(
      `how long to simulate (default: the profile's length, else ${ESM_SIMULATE_DEFAULTS.seconds})`,
    ),
  seed: z
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .default(ESM_SIMULATE_DEFAULTS.seed)
    .describe("the random seed: the same seed gives the same run"),
  maxEvents: whole(1_000, 10_000_000_000, "events")
    .default(ESM_SIMULATE_DEFAULTS.maxEvents)
    .describe("stop with an error past this many simulated events"),
  region: text("a region such as us-east-1")
    .default(() => environmentRegion() ?? "us-east-1")
    .describe("the region whose prices apply (default: AWS_REGION, else us-east-1)"),
  priceFile: text("a file name")
    .optional()
    .describe("price with this table instead of the bundled one"),
  cwd: text("a folder").optional().describe("the folder file names are relative to"),
});

export const EsmSimulateOptionsSchema = EsmSimulateOptionsFields;
export type EsmSimulateOptionsInput = z.input<typeof EsmSimulateOptionsSchema>;
export type EsmSimulateOptions = z.output<typeof EsmSimulateOptionsSchema>;
