/**
 * What `cost` can be asked, as one zod schema with its defaults and every
 * check: the CLI, a library caller and the MCP server (`estimate_cost`) all
 * validate through it (parseOptions), so a mistake reads the same on each
 * surface, in its own names (`--memory` or `memoryMb`).
 *
 * One check is not here: the region must be one the price table prices, and
 * the table may be the caller's own (priceFile). priceConfiguration makes it
 * once the table is read.
 */
import { z } from "zod";
import {
  DEFAULTS,
  DURATION_MS,
  EPHEMERAL_STORAGE_MB,
  FREE_EPHEMERAL_STORAGE_MB,
  INIT_DURATION_MS,
  MEMORY_MB,
  PAYLOAD_LIMIT_BYTES,
} from "../lambda/limits.js";
import { rangeSchema } from "../lambda/range-schema.js";
import { ARCHITECTURES } from "./price-table.js";

/** The defaults every surface gets; the CLI's help shows them from here. */
export const COST_DEFAULTS = {
  architecture: DEFAULTS.architecture,
  region: "us-east-1",
  ephemeralStorageMb: FREE_EPHEMERAL_STORAGE_MB,
  freeTier: false,
} as const;

/** A count of invocations or environments: whole, and small enough to be exact in a double. */
function count(what: string) {
  const allowed = `expected a whole number of ${what}, ≥ 0`;
  return z
    .number({ error: allowed })
    .int(allowed)
    .min(0, allowed)
    .max(Number.MAX_SAFE_INTEGER, allowed);
}

const SHARE_EXPECTED = "expected a share from 0 to 1 (0.02 for 2%)";
const STREAMED_BYTES_EXPECTED = `expected a whole number of bytes from 0 to ${PAYLOAD_LIMIT_BYTES.streamedResponse.toLocaleString("en-US")} (200 MB, the most a response may stream)`;

// Each option's description is what an MCP client lists for the argument.
export const CostOptionsSchema = z
  .strictObject({
    memoryMb: rangeSchema(MEMORY_MB).describe("memory size in MB, 128 to 10,240"),
    durationMs: rangeSchema(DURATION_MS).describe(
      "mean duration of an invocation in ms, 0 to 900,000 (billed duration rounds up to 1 ms)",
    ),
    invocations: count("invocations a month").describe("invocations a month, e.g. 10000000"),
    architecture: z
      .enum(ARCHITECTURES, { error: `expected one of ${ARCHITECTURES.join(", ")}` })
      .default(COST_DEFAULTS.architecture)
      .describe("the architecture priced; the other is priced beside it as the alternative"),
    region: z
      .string({ error: "expected a region such as us-east-1" })
      .min(1, "expected a region such as us-east-1")
      .default(COST_DEFAULTS.region)
      .describe("the AWS region whose prices apply: one the price table has"),
    ephemeralStorageMb: rangeSchema(EPHEMERAL_STORAGE_MB)
      .default(COST_DEFAULTS.ephemeralStorageMb)
      .describe("/tmp size in MB, 512 to 10,240; above 512 MB it is billed"),
    freeTier: z
      .boolean({ error: "expected true or false" })
      .default(COST_DEFAULTS.freeTier)
      .describe("subtract the monthly free tier (1M requests, 400,000 GB-s)"),
    initDurationMs: rangeSchema(INIT_DURATION_MS)
      .optional()
      .describe(
        "init duration of a cold start in ms (billed since 1 August 2025); give coldStartRate with it",
      ),
    coldStartRate: z
      .number({ error: SHARE_EXPECTED })
      .min(0, SHARE_EXPECTED)
      .max(1, SHARE_EXPECTED)
      .optional()
      .describe("share of invocations that are cold starts, 0 to 1; give initDurationMs with it"),
    streamedBytes: z
      .number({ error: STREAMED_BYTES_EXPECTED })
      .int(STREAMED_BYTES_EXPECTED)
      .min(0, STREAMED_BYTES_EXPECTED)
      .max(PAYLOAD_LIMIT_BYTES.streamedResponse, STREAMED_BYTES_EXPECTED)
      .optional()
      .describe(
        "bytes each invocation streams back (InvokeWithResponseStream, a RESPONSE_STREAM Function URL), up to 209715200; those beyond the first 6 MB (6291456) of each response are billed per GB",
      ),
    provisionedConcurrency: count("environments")
      .optional()
      .describe("also price this many provisioned-concurrency environments for a 730-hour month"),
    priceFile: z
      .string({ error: "expected a file name" })
      .min(1, "expected a file name")
      .optional()
      .describe("price with this table (JSON, docs/pricing.md) instead of the bundled one"),
  })
  .superRefine((options, context) => {
    if ((options.initDurationMs === undefined) !== (options.coldStartRate === undefined))
      context.addIssue({
        code: "custom",
        message: "{initDurationMs} and {coldStartRate} go together: give both or neither",
      });
  });

/** What a caller may give: memoryMb, durationMs and invocations; the rest has defaults. */
export type CostOptionsInput = z.input<typeof CostOptionsSchema>;
/** The options checked and defaulted. */
export type CostOptions = z.output<typeof CostOptionsSchema>;
