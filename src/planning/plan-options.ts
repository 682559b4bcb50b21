/**
 * What `plan` can be asked, as one zod schema with its defaults and every
 * check: the CLI, a library caller and the MCP server (`plan_billing`) all
 * validate through it (parseOptions), so a mistake reads the same on each
 * surface, in its own names (`--profile` or `trafficFile`).
 *
 * The traffic comes from exactly one source: a profile file (`trafficFile`),
 * REPORT lines (`logFiles`), or a deployed function (`aws` with `function`).
 * The function's facts (memory, duration, architecture, runtime, init) come
 * from these options first, then a template, then what the source observed.
 */
import { z } from "zod";
import { environmentRegion } from "../aws/environment-region.js";
import {
  DURATION_MS,
  EPHEMERAL_STORAGE_MB,
  INIT_DURATION_MS,
  MEMORY_MB,
} from "../lambda/limits.js";
import { rangeSchema } from "../lambda/range-schema.js";
import { ARCHITECTURES } from "../pricing/price-table.js";

/** The defaults every surface gets; the CLI's help and docs/commands/plan.md show them from here. */
export const PLAN_DEFAULTS = {
  /** Days of CloudWatch data read for a deployed function. */
  days: 14,
  /**
   * Minutes an idle environment is kept before Lambda reclaims it. AWS does
   * not publish this; docs/commands/plan.md gives the measurements it rests
   * on, and every output lists it as modelled.
   */
  idleReclaimMinutes: 10,
  /** The share of an EC2 price an EC2 Savings Plan takes off (0 = none). */
  savingsPlanDiscount: 0,
  /** Connections in one Managed Instances environment's pool: pg's Pool and mysql2's createPool default. */
  connectionPoolSize: 10,
} as const;

const SHARE_EXPECTED = "expected a share from 0 to 1 (0.02 for 2%)";
const share = () =>
  z.number({ error: SHARE_EXPECTED }).min(0, SHARE_EXPECTED).max(1, SHARE_EXPECTED);
const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, `expected ${what}`);
const wholeFrom = (minimum: number, maximum: number, what: string) => {
  const allowed = `expected a whole number of ${what} from ${minimum} to ${maximum.toLocaleString("en-US")}`;
  return z.number({ error: allowed }).int(allowed).min(minimum, allowed).max(maximum, allowed);
};

// Each option's description is what an MCP client lists for the argument.
export const PlanOptionsFields = z.strictObject({
  trafficFile: text("a file name")
    .optional()
    .describe(
      "traffic profile: CSV or JSON lines with timestamp and invocations (optional concurrency, duration_ms), one row per fixed step",
    ),
  logFiles: z
    .array(text("a file name"))
    .min(1, "expected at least one file")
    .optional()
    .describe(
      "log files of REPORT lines (CloudWatch exports, `aws logs tail` output, plain or gzip), turned into per-minute traffic",
    ),
  aws: z
    .boolean({ error: "expected true or false" })
    .default(false)
    .describe("read a deployed function's traffic from CloudWatch (give function)"),
  function: text("a function name")
    .optional()
    .describe(
      "with aws: the deployed function (name or ARN); with template: its logical id; with logFiles: every REPORT line is read as this function's, whatever its file or log group is called",
    ),
  days: wholeFrom(1, 455, "days")
    .default(PLAN_DEFAULTS.days)
    .describe("with aws: days of CloudWatch data back from now"),
  template: text("a template file")
    .optional()
    .describe(
      "a SAM or CloudFormation template holding the function's memory, architecture and runtime",
    ),
  memoryMb: rangeSchema(MEMORY_MB).optional().describe("memory size in MB, 128 to 10,240"),
  durationMs: rangeSchema(DURATION_MS)
    .optional()
    .describe("mean duration of an invocation in ms, where the traffic does not give it"),
  architecture: z
    .enum(ARCHITECTURES, { error: `expected one of ${ARCHITECTURES.join(", ")}` })
    .optional()
    .describe("x86_64 or arm64 (default: the function's, else x86_64)"),
  runtime: text("a runtime such as python3.12")
    .optional()
    .describe(
      "the Lambda runtime id, e.g. java21 or python3.12: decides whether SnapStart applies and what it costs",
    ),
  initDurationMs: rangeSchema(INIT_DURATION_MS)
    .optional()
    .describe("init duration of a cold start in ms (default: what the logs measured)"),
  ephemeralStorageMb: rangeSchema(EPHEMERAL_STORAGE_MB)
    .optional()
    .describe("/tmp size in MB, 512 to 10,240 (SnapStart needs 512)"),
  region: text("a region such as us-east-1")
    .default(() => environmentRegion() ?? "us-east-1")
    .describe("the AWS region whose prices apply (default: AWS_REGION, else us-east-1)"),
  idleReclaimMinutes: z
    .number({ error: "expected minutes from 1 to 120" })
    .min(1, "expected minutes from 1 to 120")
    .max(120, "expected minutes from 1 to 120")
    .default(PLAN_DEFAULTS.idleReclaimMinutes)
    .describe("minutes an idle environment lives before Lambda reclaims it (modelled)"),
  maxColdStartShare: share()
    .optional()
    .describe(
      "recommend only a model whose cold starts stay at or under this share of invocations",
    ),
  latencySensitive: z
    .boolean({ error: "expected true or false" })
    .default(false)
    .describe("the function serves users synchronously: cold starts count against a model"),
  maxConcurrencyPerEnvironment: wholeFrom(1, 1600, "requests")
    .optional()
    .describe(
      "Managed Instances: concurrent requests one environment serves (default: AWS's for the runtime)",
    ),
  savingsPlanDiscount: share()
    .default(PLAN_DEFAULTS.savingsPlanDiscount)
    .describe(
      "Managed Instances: the share an EC2 Savings Plan takes off instance prices, e.g. 0.3",
    ),
  connectionPoolSize: wholeFrom(1, 1000, "connections")
    .default(PLAN_DEFAULTS.connectionPoolSize)
    .describe(
      "Managed Instances: connections in one environment's database pool, to count the connections each model holds (default: 10, pg's and mysql2's)",
    ),
  priceFile: text("a file name")
    .optional()
    .describe("price with this table (JSON, docs/pricing.md) instead of the bundled one"),
  profile: text("a profile name")
    .optional()
    .describe("with aws: an AWS profile from the shared config files"),
  endpointUrl: z
    .url({ error: "expected a URL such as http://127.0.0.1:5000" })
    .optional()
    .describe("with aws: another AWS endpoint (moto_server, LocalStack)"),
  cwd: text("a folder")
    .optional()
    .describe("the folder file names are relative to (default: the current folder)"),
});

/** Exactly one traffic source, and the options that go with it. */
function sourceProblem(options: z.output<typeof PlanOptionsFields>): string | undefined {
  const sources = [
    options.trafficFile !== undefined,
    options.logFiles !== undefined,
    options.aws,
  ].filter(Boolean).length;
  if (sources === 0) return "give the traffic: {trafficFile}, {logFiles} or {aws} with {function}";
  if (sources > 1)
    return "give one traffic source: {trafficFile}, {logFiles} or {aws}, not several";
  if (options.aws && options.function === undefined)
    return "{aws} needs {function}: the deployed function";
  if (!options.aws && (options.profile !== undefined || options.endpointUrl !== undefined))
    return "{profile} and {endpointUrl} go with {aws}";
  return undefined;
}

export const PlanOptionsSchema = PlanOptionsFields.superRefine((options, context) => {
  const problem = sourceProblem(options);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

export type PlanOptionsInput = z.input<typeof PlanOptionsSchema>;
export type PlanOptions = z.output<typeof PlanOptionsSchema>;
