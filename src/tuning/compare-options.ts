/**
 * What `compare` can be asked, as one zod schema with its defaults and every
 * check: the CLI, a library caller and the MCP server (`compare_runs`) all
 * validate through it (parseOptions), so a mistake reads the same on each
 * surface, in its own names (`--max-cost-increase` or `maxCostIncrease`).
 */
import { z } from "zod";

/** The gates' defaults: what CI gets without saying. */
export const COMPARE_DEFAULTS = {
  maxCostIncrease: 0.05,
  maxP95Increase: 0.1,
} as const;

const SHARE_EXPECTED = "expected a share from 0 to 1 (0.05 for 5%)";
const share = z.number({ error: SHARE_EXPECTED }).min(0, SHARE_EXPECTED).max(1, SHARE_EXPECTED);

const DAYS_EXPECTED = "expected a whole number of days, 1 or more (90 for a quarter)";

const RUN_EXPECTED = "expected a tuning result's file, or a saved run's id";

// Each option's description is what an MCP client lists for the argument.
export const CompareOptionsSchema = z.strictObject({
  oldFile: z
    .string({ error: RUN_EXPECTED })
    .min(1, RUN_EXPECTED)
    .describe(
      "the earlier run, the baseline: a file tune --out wrote, or a run saved under .lambda-optimizer/runs/ by its id or file name",
    ),
  newFile: z
    .string({ error: RUN_EXPECTED })
    .min(1, RUN_EXPECTED)
    .describe("the later run, named the same ways"),
  maxCostIncrease: share
    .default(COMPARE_DEFAULTS.maxCostIncrease)
    .describe("largest allowed rise in mean cost per invocation, as a fraction (0.05 = 5%)"),
  maxP95Increase: share
    .default(COMPARE_DEFAULTS.maxP95Increase)
    .describe("largest allowed rise in p95 duration, as a fraction (0.1 = 10%)"),
  maxAgeDays: z
    .number({ error: DAYS_EXPECTED })
    .int(DAYS_EXPECTED)
    .min(1, DAYS_EXPECTED)
    .optional()
    .describe(
      "also fail when the newer run is older than this many days, or its function's code has changed since it was tuned (the guide: re-tune quarterly and after code changes); a deployed function's code is asked of the Lambda API (GetFunctionConfiguration's CodeSha256)",
    ),
  force: z
    .boolean({ error: "expected true or false" })
    .default(false)
    .describe("compare runs of two different functions anyway"),
  cwd: z
    .string({ error: "expected a folder" })
    .min(1, "expected a folder")
    .optional()
    .describe(
      "the folder relative paths and saved runs are read from (default: the current folder)",
    ),
});

/** What a caller may give: the two runs; the gates have defaults. */
export type CompareOptionsInput = z.input<typeof CompareOptionsSchema>;
/** The options checked and defaulted. */
export type CompareOptions = z.output<typeof CompareOptionsSchema>;
