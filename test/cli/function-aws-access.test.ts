/**
 * What a local function gets of AWS (src/emulator/function-aws-access.ts),
 * through the CLI: no credentials by default, even when the host has some;
 * placeholder credentials and AWS_ENDPOINT_URL with --aws-endpoint-url; the
 * host's own with --pass-aws-credentials. And a Python handler using boto3,
 * which the runtime provides, against a real moto_server.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_SHARED_AWS_FILE } from "../../src/emulator/function-aws-access.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { createTable, getItem } from "../support/moto-dynamodb.js";
import { startCli } from "./run-cli.js";

const ENV_PROBE = join(FIXTURES, "runtime-sdk/env.mjs:handler");
const PYTHON_TEMPLATE = join(FIXTURES, "python-boto3/template.yaml");

/** A host with credentials of every kind the SDKs read. */
const HOST = {
  AWS_ACCESS_KEY_ID: "AKIAHOSTCREDENTIALS1",
  AWS_SECRET_ACCESS_KEY: "host-secret",
  AWS_SESSION_TOKEN: "host-session-token",
  AWS_PROFILE: "host-profile",
  AWS_SHARED_CREDENTIALS_FILE: "/home/someone/.aws/credentials",
  AWS_CONFIG_FILE: "/home/someone/.aws/config",
};

async function cli(args: string[]) {
  const { finished } = startCli(args, {
    cwd: mkdtempSync(join(tmpdir(), "lo-aws-access-")),
    env: HOST,
  });
  return finished;
}

async function functionEnvironment(flags: string[]): Promise<Record<string, string | null>> {
  const run = await cli(["invoke", ENV_PROBE, ...flags, "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).payload;
}

describe("a local function's AWS credentials", () => {
  it("are none by default: no keys, no profile, no shared files, no instance metadata", async () => {
    expect(await functionEnvironment([])).toEqual({
      AWS_ENDPOINT_URL: null,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: null,
      AWS_SECRET_ACCESS_KEY: null,
      AWS_SESSION_TOKEN: null,
      AWS_PROFILE: null,
      AWS_SHARED_CREDENTIALS_FILE: NO_SHARED_AWS_FILE,
      AWS_CONFIG_FILE: NO_SHARED_AWS_FILE,
      AWS_EC2_METADATA_DISABLED: "true",
    });
  }, 120_000);

  it("are placeholders a local endpoint accepts with --aws-endpoint-url", async () => {
    expect(await functionEnvironment(["--aws-endpoint-url", "http://127.0.0.1:5000"])).toEqual({
      AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_SESSION_TOKEN: null,
      AWS_PROFILE: null,
      AWS_SHARED_CREDENTIALS_FILE: NO_SHARED_AWS_FILE,
      AWS_CONFIG_FILE: NO_SHARED_AWS_FILE,
      AWS_EC2_METADATA_DISABLED: "true",
    });
  }, 120_000);

  it("are the host's own with --pass-aws-credentials", async () => {
    expect(await functionEnvironment(["--pass-aws-credentials"])).toEqual({
      AWS_ENDPOINT_URL: null,
      AWS_REGION: "us-east-1",
      ...HOST,
      AWS_EC2_METADATA_DISABLED: "true",
    });
  }, 120_000);

  it.each([
    ["invoke", ENV_PROBE],
    ["tune", ENV_PROBE],
    ["emulate", ENV_PROBE],
  ])(
    "%s refuses an --aws-endpoint-url that is no http(s) URL: exit 2, one line",
    async (command, target) => {
      for (const url of ["127.0.0.1:5000", "ftp://127.0.0.1/", "not a url"]) {
        const run = await cli([command, target, "--aws-endpoint-url", url]);
        expect(run.code).toBe(2);
        expect(run.stderr.trim().split("\n")).toEqual([
          `lambda-optimizer: --aws-endpoint-url ${JSON.stringify(url)} is not valid: expected an http:// or https:// URL such as http://127.0.0.1:5000`,
        ]);
      }
    },
    120_000,
  );

  it("tune refuses the function-side flags for a deployed function", async () => {
    const run = await cli([
      "tune",
      "orders",
      "--aws",
      "--region",
      "us-east-1",
      "--aws-endpoint-url",
      "http://127.0.0.1:5000",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "--aws-endpoint-url is for functions on the embedded emulator: a deployed function keeps its own configuration",
    );
  }, 120_000);
});

describe("a Python handler with boto3, the SDK the runtime provides", () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    createTable(moto.endpoint, "PythonOrders", "orderId");
  }, 120_000);
  afterAll(() => moto?.stop());

  it("writes to moto_server with --aws-endpoint-url", async () => {
    const run = await cli([
      "invoke",
      "--template",
      PYTHON_TEMPLATE,
      "StoreOrder",
      "--payload",
      '{"orderId":"py-1"}',
      "--aws-endpoint-url",
      moto.endpoint,
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).payload).toEqual({ stored: "py-1", region: "us-east-1" });
    expect(getItem(moto.endpoint, "PythonOrders", { orderId: "py-1" })).toEqual({
      orderId: { S: "py-1" },
      writtenBy: { S: "boto3" },
    });
  }, 120_000);

  it("fails with boto3's own credentials error without it, and the CLI says why", async () => {
    const run = await cli([
      "invoke",
      "--template",
      PYTHON_TEMPLATE,
      "StoreOrder",
      "--payload",
      '{"orderId":"py-2"}',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('"errorType": "NoCredentialsError"');
    expect(run.stdout).toContain('"errorMessage": "Unable to locate credentials"');
    expect(run.stderr).toContain("note: the function ran without AWS credentials");
    expect(getItem(moto.endpoint, "PythonOrders", { orderId: "py-2" })).toBeNull();
  }, 120_000);
});
