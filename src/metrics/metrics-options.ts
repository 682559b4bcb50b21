/**
 * What `metrics` can be asked, as one zod schema with its defaults and every
 * check: the CLI, a library caller and the MCP server all validate through it
 * (parseOptions), so a mistake reads the same on each surface, in its own
 * names (`--since` or `since`).
 *
 * Where the figures come from is one of three sources: log files (`logFiles`,
 * "-" for stdin), the embedded emulator's logs (`local`), or CloudWatch and
 * the Lambda API (`aws`, with `functions` or `all`; naming an ARN implies it).
 */
import { z } from "zod";
import { environmentRegion } from "../aws/environment-region.js";
import { ARCHITECTURES } from "../pricing/price-table.js";
import { DEFAULT_MAX_TUNE_AGE_DAYS } from "../tuning/tune-freshness.js";

/** The defaults every surface gets; the CLI's help shows them from here. */
export const METRICS_DEFAULTS = {
  /** The AWS window. */
  since: "14d",
  /** REPORT lines read from CloudWatch Logs per function. */
  maxLogEvents: 10_000,
  /** A function's last tune older than this is due again (the guide: quarterly). */
  retuneAfterDays: DEFAULT_MAX_TUNE_AGE_DAYS,
} as const;

const DURATION_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** A positive number and a unit: 90m, 24h, 14d, 2w, 1.5d. */
const DURATION = /^\s*(?=[\d.]*[1-9])(\d+(?:\.\d+)?)\s*([mhdw])\s*$/;
const DURATION_EXPECTED = "expected a length such as 90m, 24h, 14d or 2w";

/** "14d", "24h", "90m" or "2w", as milliseconds. */
export const DurationSchema = z
  .string({ error: DURATION_EXPECTED })
  .regex(DURATION, DURATION_EXPECTED)
  .transform((value) => {
    const [, amount, unit] = DURATION.exec(value)!;
    return Number(amount) * DURATION_UNIT_MS[unit as keyof typeof DURATION_UNIT_MS];
  });

const MAX_LOG_EVENTS_EXPECTED = "expected a whole number ≥ 0";
const RETUNE_DAYS_EXPECTED = "expected a whole number of days, 1 or more (90 for a quarter)";

const TIME_EXPECTED = "expected an ISO 8601 time such as 2026-11-28T00:00:00Z";
/** A date, or a date and time with or without an offset (CloudWatch's and Python's ISO forms). */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** "2026-11-28T00:00:00Z" as a Date; a time without an offset is UTC, as CloudWatch reads it. */
export const IsoTimeSchema = z
  .string({ error: TIME_EXPECTED })
  .trim()
  .regex(ISO_TIME, TIME_EXPECTED)
  .transform((value, context) => {
    const [, offset] = ISO_TIME.exec(value)!;
    // Date.parse reads a date-time without an offset as local time: say UTC, as AWS does.
    const utc = value.length > 10 && offset === undefined ? `${value.replace(" ", "T")}Z` : value;
    const time = new Date(utc);
    if (Number.isNaN(time.getTime())) {
      // Not "custom": parseOptions names the option and the value for a format issue.
      context.addIssue({
        code: "invalid_format",
        format: "datetime",
        message: TIME_EXPECTED,
        input: value,
      });
      return z.NEVER;
    }
    return time;
  });

/** An ARN rather than a name: it names a deployed function, so it means AWS. */
const isArn = (value: string) => value.startsWith("arn:");

/** Every metrics option, before the check that one source is chosen (a surface may extend it). */
export const MetricsOptionsFields = z.strictObject({
  /** Log files to read (CloudWatch exports, `aws logs tail` output, plain or gzip); "-" reads stdin. */
  logFiles: z.array(z.string().min(1, "expected a file name")).optional(),
  /** Read the embedded emulator's logs under `<cwd>/.lambda-optimizer/logs/`. */
  local: z.boolean().default(false),
  /** Measure deployed functions through CloudWatch and the Lambda API. */
  aws: z.boolean().default(false),
  /** With aws: every function in the region. */
  all: z.boolean().default(false),
  /** With aws: function names or ARNs; with local: only these functions' logs. */
  functions: z.array(z.string().min(1, "expected a function name")).optional(),
  /**
   * The function log files belong to (default: from the log group, else the
   * file name); with local, only this function: a name or a handler such as
   * app.mjs:handler.
   */
  function: z.string().min(1, "expected a function name").optional(),
  /** The AWS window, back from `end` (default now), in milliseconds once parsed: "14d", "24h", "90m". */
  since: DurationSchema.prefault(METRICS_DEFAULTS.since),
  /** The AWS window's start, an ISO 8601 time (instead of `since`). */
  start: IsoTimeSchema.optional(),
  /** The AWS window's end, an ISO 8601 time (default: now). */
  end: IsoTimeSchema.optional(),
  /** What log files without timestamps cover, for monthly figures: "1d", "7d". */
  period: DurationSchema.optional(),
  /** At most this many REPORT lines read from CloudWatch Logs per function. */
  maxLogEvents: z
    .number({ error: MAX_LOG_EVENTS_EXPECTED })
    .int(MAX_LOG_EVENTS_EXPECTED)
    .min(0, MAX_LOG_EVENTS_EXPECTED)
    .default(METRICS_DEFAULTS.maxLogEvents),
  /**
   * Recommend re-tuning a function whose last tune saved under `<cwd>/.lambda-optimizer/runs/`
   * is older than this many days (retune-due); a change to its code since is due at any age.
   */
  retuneAfterDays: z
    .number({ error: RETUNE_DAYS_EXPECTED })
    .int(RETUNE_DAYS_EXPECTED)
    .min(1, RETUNE_DAYS_EXPECTED)
    .default(METRICS_DEFAULTS.retuneAfterDays),
  /** Price functions seen only in logs as this architecture (default: x86_64, and said to be assumed). */
  architecture: z
    .enum(ARCHITECTURES, { error: `expected one of ${ARCHITECTURES.join(", ")}` })
    .optional(),
  /** The AWS region, and the prices used (default: AWS_REGION, else us-east-1). */
  region: z
    .string()
    .min(1, "expected a region such as us-east-1")
    .default(() => environmentRegion() ?? "us-east-1"),
  /** An AWS profile from the shared config files. */
  profile: z.string().min(1, "expected a profile name").optional(),
  /** Another AWS endpoint (moto_server, LocalStack). */
  endpointUrl: z.url({ error: "expected a URL such as http://127.0.0.1:5000" }).optional(),
  /** Price with this table (JSON, docs/pricing.md) instead of the bundled one. */
  priceFile: z.string().min(1, "expected a file name").optional(),
  /** The project folder whose emulator logs `local` reads, and whose saved tunes retune-due looks at (default: the current folder). */
  cwd: z.string().min(1, "expected a folder").optional(),
});

/**
 * The checks across options: one source, and a window that makes sense. A
 * surface that extends the fields (the MCP tool) runs the same checks.
 */
export function checkMetricsOptions(
  options: z.output<typeof MetricsOptionsFields>,
  context: z.RefinementCtx,
): void {
  const fail = (message: string) => context.addIssue({ code: "custom", message });
  const named = options.functions ?? [];
  const aws = options.aws || options.all || named.some(isArn);
  if (options.all && named.length > 0) fail("give {functions} or {all}, not both");
  else if (aws && options.local) fail("{local} reads the emulator's logs: leave out {aws}");
  else if (options.logFiles !== undefined && (aws || options.local))
    fail("give {logFiles}, {local} or {aws}: one source");
  else if (aws && !options.all && named.length === 0)
    fail("{aws} needs function names, ARNs, or {all}");
  else if (!aws && !options.local && named.length > 0)
    fail(
      "{functions} are measured with {aws} or {local}; name the function of log files with {function}",
    );
  else if (!aws && !options.local && (options.logFiles ?? []).length === 0)
    fail("give {logFiles} (or - for stdin), {local}, or {aws}");
  else if (!aws && (options.start !== undefined || options.end !== undefined))
    fail(
      "{start} and {end} set the CloudWatch window of {aws}; log files cover what they hold (give {period} for monthly figures)",
    );
  else if (options.start && options.start >= (options.end ?? new Date()))
    fail(
      `{start} (${options.start.toISOString()}) must be before {end} (${options.end ? options.end.toISOString() : "now"})`,
    );
}

export const MetricsOptionsSchema = MetricsOptionsFields.superRefine(checkMetricsOptions);

/** What a caller may give: every option but a source is optional. */
export type MetricsOptionsInput = z.input<typeof MetricsOptionsSchema>;
/** The options checked and defaulted (durations in milliseconds). */
export type MetricsOptions = z.output<typeof MetricsOptionsSchema>;

/** Where the figures come from, as the options choose it. */
export function metricsSourceKind(options: MetricsOptions): "files" | "local" | "aws" {
  if (options.aws || options.all || (options.functions ?? []).some(isArn)) return "aws";
  return options.local ? "local" : "files";
}
