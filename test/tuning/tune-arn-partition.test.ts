/**
 * `lambda-optimizer tune ARN --endpoint-url` outside the `aws` partition: an
 * account in China (cn-north-1) served by `lambda-optimizer emulate`, tuned by
 * its function ARN. The run must address the function by the ARN the user gave,
 * `arn:aws-cn:...`, not one rebuilt as `arn:aws:...`, and leave it as it was.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";
import { startCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { CREDENTIALS, type EmulatedAccount, startEmulatedAccount } from "./emulated-account.js";

const FUNCTION_ARN = "arn:aws-cn:lambda:cn-north-1:123456789012:function:x";

function template(): string {
  const file = join(mkdtempSync(join(tmpdir(), "lo-emulate-")), "template.yaml");
  writeFileSync(
    file,
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  X:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      FunctionName: x",
      `      CodeUri: ${join(FIXTURES, "node-faults")}`,
      "      Handler: index.ok",
      "      Runtime: nodejs22.x",
      "      MemorySize: 1024",
    ].join("\n"),
  );
  return file;
}

/**
 * The bundled table has no prices for China's regions (they are in CNY): this
 * run prices cn-north-1 on us-east-1's figures, marked modelled.
 */
function priceFile(): string {
  const table = structuredClone(BUNDLED_PRICE_TABLE);
  table.regions["cn-north-1"] = { priceSet: "us-east-1", modelled: true };
  const file = join(mkdtempSync(join(tmpdir(), "lo-price-")), "prices.json");
  writeFileSync(file, JSON.stringify(table));
  return file;
}

let account: EmulatedAccount;
let prices: string;

beforeAll(async () => {
  prices = priceFile();
  account = await startEmulatedAccount(template(), "cn-north-1");
});
afterAll(() => account.stop());

async function tune(target: string, priced = true) {
  const { finished } = startCli(
    [
      "tune",
      target,
      "--endpoint-url",
      account.endpoint,
      "--memory",
      "128,512",
      "--num",
      "2",
      ...(priced ? ["--price-file", prices] : []),
      "--json",
      "--quiet",
    ],
    // AWS_REGION says us-east-1: the region, like the partition, must come from the ARN.
    { cwd: mkdtempSync(join(tmpdir(), "lo-tune-")), env: CREDENTIALS },
  );
  return finished;
}

describe("tune by an aws-cn function ARN", () => {
  it("keeps the partition and region of the ARN, and leaves the function as it was", async () => {
    const before = await account.snapshot("x");
    const result = await tune(FUNCTION_ARN);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.target).toMatchObject({
      kind: "aws",
      functionName: FUNCTION_ARN,
      // What the Lambda API answered for the function: the emulator's ARN is in its region's partition.
      functionArn: FUNCTION_ARN,
      region: "cn-north-1",
    });
    expect(document.original).toMatchObject({ memoryMb: 1024 });
    expect(
      document.results.map((entry: { memoryMb: number; status: string }) => [
        entry.memoryMb,
        entry.status,
      ]),
    ).toEqual([
      [128, "ok"],
      [512, "ok"],
    ]);
    expect(await account.snapshot("x")).toEqual(before);
  });

  it("tunes the function itself when the ARN names its $LATEST, keeping the partition", async () => {
    const result = await tune(`${FUNCTION_ARN}:$LATEST`);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).target.functionName).toBe(FUNCTION_ARN);
  });

  it("exits 2 on an ARN that is not a function's, naming the form it wants", async () => {
    const result = await tune("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:jobs");
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "lambda-optimizer: arn:aws-us-gov:sqs:us-gov-west-1:123456789012:jobs is not a Lambda function ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])",
    );
    expect(result.stdout).toBe("");
  });

  it("exits 2 before it starts when the region has no prices, naming it and the way out", async () => {
    const before = await account.snapshot("x");
    const result = await tune(FUNCTION_ARN, false);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^lambda-optimizer: no prices for region cn-north-1: give a --price-file that covers it \(docs\/pricing\.md\), or tune in one of .*us-east-1/,
    );
    expect(result.stdout).toBe("");
    expect(await account.snapshot("x")).toEqual(before);
  });
});
