/** DynamoDB's capacity prices: the bundled us-east-1 figures, and a user's price file checked as strictly. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLED_DYNAMODB_PRICES, loadDynamoDbPrices } from "../../src/pricing/dynamodb-prices.js";

const NAMES = { priceFile: "--price-file", region: "--region" };

function priceFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "lo-ddb-prices-")), "prices.json");
  writeFileSync(file, content);
  return file;
}

describe("DynamoDB prices", () => {
  it("bundles us-east-1's Standard table class prices since the 2024-11-01 cut, with source and date", () => {
    expect(loadDynamoDbPrices(undefined, "us-east-1", NAMES)).toEqual({
      region: "us-east-1",
      source: BUNDLED_DYNAMODB_PRICES.source,
      date: BUNDLED_DYNAMODB_PRICES.date,
      onDemandPerMillionReadUnits: 0.125,
      onDemandPerMillionWriteUnits: 0.625,
      provisionedPerReadUnitHour: 0.00013,
      provisionedPerWriteUnitHour: 0.00065,
    });
    expect(BUNDLED_DYNAMODB_PRICES.source).toContain("https://aws.amazon.com/dynamodb/pricing/");
  });

  it("refuses a region it has no prices for, naming the option and the way out", () => {
    expect(() => loadDynamoDbPrices(undefined, "eu-west-1", NAMES)).toThrow(
      '--region "eu-west-1" is not valid: expected a region the DynamoDB price table has: one of us-east-1 (or a --price-file that covers it)',
    );
  });

  it("refuses a price file that is not JSON or not in the bundled table's shape, naming the file", () => {
    const broken = priceFile("{");
    expect(() => loadDynamoDbPrices(broken, "us-east-1", NAMES)).toThrow(
      new RegExp(`^--price-file ${broken}: not valid JSON`),
    );
    const misshapen = priceFile(
      JSON.stringify({
        currency: "USD",
        service: "x",
        source: "y",
        date: "2026-12-03",
        regions: { "eu-west-1": { onDemandPerMillionReadUnits: -1 } },
      }),
    );
    expect(() => loadDynamoDbPrices(misshapen, "eu-west-1", NAMES)).toThrow(
      `--price-file ${misshapen}: not a DynamoDB price table: regions.eu-west-1.onDemandPerMillionReadUnits: Too small: expected number to be >=0 (see docs/commands/dynamodb-billing.md for the format)`,
    );
  });
});
