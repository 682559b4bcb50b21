/**
 * What `dynamodb-billing` can be asked, as one zod schema with its defaults
 * and every check: the CLI, a library caller and the MCP server
 * (`plan_dynamodb_billing`) all validate through it, so a mistake reads the
 * same on each surface, in its own names (`--target-utilization` or
 * `targetUtilization`).
 */
import { z } from "zod";
import { environmentRegion } from "../../aws/environment-region.js";
import { DEFAULT_TARGET_UTILIZATION, TARGET_UTILIZATION_RANGE } from "./table-billing.js";

/** The defaults every surface gets; the CLI's help and docs/commands/dynamodb-billing.md show them from here. */
export const TABLE_BILLING_DEFAULTS = {
  /** Days of CloudWatch data: 14 is the longest CloudWatch keeps at one-minute resolution. */
  days: 14,
  targetUtilization: DEFAULT_TARGET_UTILIZATION,
} as const;

const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, `expected ${what}`);
const DAYS_EXPECTED = "expected a whole number of days from 1 to 455";
const TARGET_EXPECTED = `expected a share from ${TARGET_UTILIZATION_RANGE.minimum} to ${TARGET_UTILIZATION_RANGE.maximum} (0.7 for 70%), as auto scaling accepts`;

// Each option's description is what an MCP client lists for the argument.
export const TableBillingOptionsSchema = z.strictObject({
  table: text("a table name")
    .regex(
      /^[A-Za-z0-9_.-]{3,255}$/,
      "expected a DynamoDB table name: 3 to 255 of A-Z a-z 0-9 _ - .",
    )
    .describe("the DynamoDB table whose consumed capacity is read from CloudWatch"),
  days: z
    .number({ error: DAYS_EXPECTED })
    .int(DAYS_EXPECTED)
    .min(1, DAYS_EXPECTED)
    .max(455, DAYS_EXPECTED)
    .default(TABLE_BILLING_DEFAULTS.days)
    .describe(
      "days of CloudWatch data back from the last whole hour (up to 14 at one-minute resolution, then 5-minute, then hourly)",
    ),
  targetUtilization: z
    .number({ error: TARGET_EXPECTED })
    .min(TARGET_UTILIZATION_RANGE.minimum, TARGET_EXPECTED)
    .max(TARGET_UTILIZATION_RANGE.maximum, TARGET_EXPECTED)
    .default(TABLE_BILLING_DEFAULTS.targetUtilization)
    .describe("the auto scaling target utilisation PROVISIONED is modelled at (AWS's default 0.7)"),
  region: text("a region such as us-east-1")
    .default(() => environmentRegion() ?? "us-east-1")
    .describe(
      "the table's AWS region, whose prices apply (default: AWS_REGION, else us-east-1; only us-east-1 is bundled)",
    ),
  priceFile: text("a file name")
    .optional()
    .describe(
      "price with this DynamoDB price table (JSON, the bundled one's shape) instead of the bundled one",
    ),
  profile: text("a profile name")
    .optional()
    .describe("an AWS profile from the shared config files"),
  endpointUrl: z
    .url({ error: "expected a URL such as http://127.0.0.1:5000" })
    .optional()
    .describe("another AWS endpoint (moto_server, LocalStack)"),
});

export type TableBillingOptionsInput = z.input<typeof TableBillingOptionsSchema>;
export type TableBillingOptions = z.output<typeof TableBillingOptionsSchema>;
