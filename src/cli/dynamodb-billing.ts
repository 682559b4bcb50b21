/**
 * `lambda-optimizer dynamodb-billing --table NAME`: which DynamoDB billing
 * mode fits a table's own traffic and its global secondary indexes',
 * ON_DEMAND or PROVISIONED with auto scaling. A thin surface over planTableBilling: flags become the library's
 * options through one table of names, every check is
 * TableBillingOptionsSchema's.
 */
import { Command } from "commander";
import { flagName } from "../options.js";
import { planTableBilling } from "../planning/dynamodb/plan-table-billing.js";
import {
  TABLE_BILLING_DEFAULTS,
  type TableBillingOptionsInput,
} from "../planning/dynamodb/table-billing-options.js";
import { renderTableBillingText } from "../report/table-billing-text.js";
import { printJson } from "./format.js";
import { numberOrText, shareOrText } from "./option-parsers.js";

interface DynamoDbBillingFlags {
  table?: string;
  days?: string;
  targetUtilization?: string;
  region?: string;
  priceFile?: string;
  profile?: string;
  endpointUrl?: string;
  json?: boolean;
  quiet?: boolean;
}

export function dynamoDbBillingCommand(): Command {
  return new Command("dynamodb-billing")
    .summary(
      "choose a DynamoDB table's billing mode from its own traffic: ON_DEMAND or PROVISIONED with auto scaling",
    )
    .description(
      "Read a DynamoDB table's consumed read and write capacity from CloudWatch\n" +
        "(ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits, minute by minute), and each\n" +
        "of its global secondary indexes' (found by ListMetrics), price them on ON_DEMAND (per\n" +
        "million request units) and on PROVISIONED with auto scaling (each hour's peak over the\n" +
        "target utilisation, per unit-hour, every index with its own capacity), and say which\n" +
        "mode to use and why: each mode's cost per month, the peak-to-mean ratio, the share of\n" +
        "idle hours, and how much of the provisioned capacity would do work against the\n" +
        "break-even utilisation.\n" +
        "Auto scaling is modelled simply; the answer lists every assumption.",
    )
    .option("--table <name>", "the DynamoDB table (required)")
    .option(
      "--days <n>",
      `days of CloudWatch data back from the last whole hour, 1–455 (default: ${TABLE_BILLING_DEFAULTS.days}, the most at one-minute resolution)`,
    )
    .option(
      "--target-utilization <share>",
      `the auto scaling target PROVISIONED is modelled at, 0.2–0.9: 0.7 or 70% (default: ${TABLE_BILLING_DEFAULTS.targetUtilization}, AWS's)`,
    )
    .option(
      "--region <region>",
      "the table's region, whose prices apply (default: AWS_REGION, else us-east-1; only us-east-1 is bundled)",
    )
    .option(
      "--price-file <file>",
      "price with this DynamoDB price table (JSON, docs/commands/dynamodb-billing.md) instead of the bundled one",
    )
    .option("--profile <name>", "the AWS profile")
    .option("--endpoint-url <url>", "another AWS endpoint (moto_server, LocalStack)")
    .option("--json", "print one JSON document (docs/commands/dynamodb-billing.md)")
    .option("--quiet", "no progress on stderr")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer dynamodb-billing --table orders\n" +
        "  $ lambda-optimizer dynamodb-billing --table orders --days 7 \\\n" +
        "      --target-utilization 50% --json\n" +
        "  $ lambda-optimizer dynamodb-billing --table events --region eu-west-1 \\\n" +
        "      --price-file ddb-eu-west-1.json\n",
    )
    .action((flags: DynamoDbBillingFlags) => runDynamoDbBilling(flags));
}

/** The flags as the library's options (syntax only: numbers and shares read; every check is the schema's). */
function optionsOf(flags: DynamoDbBillingFlags): TableBillingOptionsInput {
  return {
    table: flags.table,
    days: flags.days === undefined ? undefined : numberOrText(flags.days),
    targetUtilization:
      flags.targetUtilization === undefined ? undefined : shareOrText(flags.targetUtilization),
    region: flags.region,
    priceFile: flags.priceFile,
    profile: flags.profile,
    endpointUrl: flags.endpointUrl,
    // Values go to the schema as typed: it refuses what is not allowed, naming the flag.
  } as TableBillingOptionsInput;
}

async function runDynamoDbBilling(flags: DynamoDbBillingFlags): Promise<void> {
  const result = await planTableBilling(optionsOf(flags), flagName, {
    ...(flags.quiet ? {} : { onProgress: (message) => process.stderr.write(`${message}\n`) }),
  });
  if (flags.json) printJson(result);
  else process.stdout.write(`${renderTableBillingText(result)}\n`);
}
