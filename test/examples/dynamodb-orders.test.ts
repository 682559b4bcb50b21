/**
 * examples/dynamodb-orders, a SAM app in the shape of serverless-patterns'
 * apigw-lambda-dynamodb, run as a user would run it: the CLI against a real
 * moto_server. Its function imports @aws-sdk/client-dynamodb and
 * @aws-sdk/lib-dynamodb without bundling them (the runtime's SDK), finds its
 * table through `TABLE_NAME: !Ref OrdersTable`, and writes real items.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { startCli, startEmulate } from "../cli/run-cli.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { countItems, createTable, getItem } from "../support/moto-dynamodb.js";
import { useTestCache } from "../support/user-cache.js";

useTestCache();
const EXAMPLE = fileURLToPath(new URL("../../examples/dynamodb-orders/", import.meta.url));
const TEMPLATE = join(EXAMPLE, "template.yaml");
const FUNCTION = "CreateOrderFunction";
/** `TABLE_NAME: !Ref OrdersTable` is the logical id locally, as with sam local. */
const TABLE = "OrdersTable";
/** The first run installs the runtime's SDK from the npm registry; a busy machine is slow. */
const SLOW_MS = 600_000;

const workdir = () => mkdtempSync(join(tmpdir(), "lo-dynamodb-orders-"));

function orderEvent(orderId: string): string {
  const event = JSON.parse(readFileSync(join(EXAMPLE, "events/create-order.json"), "utf8"));
  event.body = JSON.stringify({ ...JSON.parse(event.body), orderId });
  return JSON.stringify(event);
}

/** The CLI with a host that has (made-up) real-looking credentials and a profile. */
async function cli(args: string[]) {
  const { finished } = startCli(args, {
    cwd: workdir(),
    env: {
      AWS_ACCESS_KEY_ID: "AKIAHOSTCREDENTIALS1",
      AWS_SECRET_ACCESS_KEY: "host-secret-that-must-not-leak",
      AWS_PROFILE: "host-profile",
    },
  });
  return finished;
}

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMotoServer();
  createTable(moto.endpoint, TABLE, "orderId");
}, 120_000);
afterAll(() => moto?.stop());

describe("examples/dynamodb-orders against moto_server", () => {
  it(
    "invoke --aws-endpoint-url: the order lands in the table",
    async () => {
      const run = await cli([
        "invoke",
        "--template",
        TEMPLATE,
        FUNCTION,
        "--payload",
        orderEvent("order-invoke-1"),
        "--aws-endpoint-url",
        moto.endpoint,
        "--json",
      ]);
      expect(run.code, run.stderr).toBe(0);
      const document = JSON.parse(run.stdout);
      expect(document.functionError).toBeNull();
      expect(document.payload.statusCode).toBe(201);
      expect(JSON.parse(document.payload.body)).toEqual({
        orderId: "order-invoke-1",
        totalCents: 2 * 450 + 1200,
      });
      expect(getItem(moto.endpoint, TABLE, { orderId: "order-invoke-1" })).toMatchObject({
        orderId: { S: "order-invoke-1" },
        customerId: { S: "c-42" },
        totalCents: { N: "2100" },
      });
    },
    SLOW_MS,
  );

  it(
    "tune --aws-endpoint-url: measured end to end at each memory size, every write in moto",
    async () => {
      const before = countItems(moto.endpoint, TABLE);
      const run = await cli([
        "tune",
        "--template",
        TEMPLATE,
        FUNCTION,
        "--memory",
        "128,512",
        "--num",
        "3",
        "--payload-file",
        join(EXAMPLE, "events/create-order.json"),
        "--aws-endpoint-url",
        moto.endpoint,
        "--json",
        "--quiet",
      ]);
      expect(run.code, run.stderr).toBe(0);
      const result = TuneResultSchema.parse(JSON.parse(run.stdout));
      expect(result.target).toMatchObject({ kind: "local", functionName: FUNCTION });
      expect(result.results.map((configuration) => configuration.memoryMb)).toEqual([128, 512]);
      for (const configuration of result.results) {
        expect(configuration).toMatchObject({ status: "ok", invocations: 3, errors: 0 });
        expect(configuration.samples).toHaveLength(3);
        // the SDK's import is init work: a cold start, never counted in the samples
        expect(configuration.coldStart?.initDurationMs).toBeGreaterThan(0);
      }
      expect(result.recommendation?.memoryMb).toBeOneOf([128, 512]);
      // per memory size: one warm-up and --num 3 invocations, each writing a new order
      expect(countItems(moto.endpoint, TABLE) - before).toBe(2 * (1 + 3));
    },
    SLOW_MS,
  );

  it(
    "emulate --aws-endpoint-url: an Invoke through the Lambda API writes to moto",
    async () => {
      const emulate = await startEmulate([
        "--template",
        TEMPLATE,
        "--aws-endpoint-url",
        moto.endpoint,
      ]);
      const lambda = new LambdaClient({
        region: "us-east-1",
        endpoint: emulate.endpoint,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      try {
        const answer = await lambda.send(
          new InvokeCommand({ FunctionName: FUNCTION, Payload: orderEvent("order-emulate-1") }),
        );
        expect(answer.FunctionError).toBeUndefined();
        const response = JSON.parse(Buffer.from(answer.Payload!).toString("utf8"));
        expect(response.statusCode).toBe(201);
        expect(getItem(moto.endpoint, TABLE, { orderId: "order-emulate-1" })).toMatchObject({
          orderId: { S: "order-emulate-1" },
        });
      } finally {
        lambda.destroy();
        await emulate.stop();
      }
    },
    SLOW_MS,
  );

  it(
    "without --aws-endpoint-url or --pass-aws-credentials the function has no credentials, though the host has some",
    async () => {
      const before = countItems(moto.endpoint, TABLE);
      const run = await cli([
        "invoke",
        "--template",
        TEMPLATE,
        FUNCTION,
        "--payload",
        orderEvent("order-no-credentials"),
        "--json",
      ]);
      expect(run.code, run.stderr).toBe(0);
      const document = JSON.parse(run.stdout);
      expect(document.functionError).toBe("Unhandled");
      expect(document.payload).toMatchObject({
        errorType: "CredentialsProviderError",
        errorMessage: "Could not load credentials from any providers",
      });
      expect(run.stdout).not.toContain("host-secret-that-must-not-leak");
      expect(run.stderr).toContain("note: the function ran without AWS credentials");
      expect(run.stderr).toContain("--aws-endpoint-url URL");
      // a tune without them: every invocation fails for want of credentials, and says so
      const tune = await cli([
        "tune",
        "--template",
        TEMPLATE,
        FUNCTION,
        ...["--memory", "128", "--num", "2", "--payload", orderEvent("order-tune-no-credentials")],
        "--json",
        "--quiet",
      ]);
      expect(tune.code, tune.stderr).toBe(3);
      expect(JSON.parse(tune.stdout).results[0].error.type).toBe("CredentialsProviderError");
      expect(tune.stderr).toContain("note: the function ran without AWS credentials");
      expect(countItems(moto.endpoint, TABLE)).toBe(before);
    },
    SLOW_MS,
  );
});
