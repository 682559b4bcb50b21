/**
 * An account to tune against: `lambda-optimizer emulate` serving a template,
 * as a subprocess, with an SDK client on it and a snapshot of everything a
 * tune may change in a function (so a test can say "left as it was").
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { startEmulate } from "../cli/run-cli.js";

/** What the CLI subprocesses get: the emulator takes any credentials. */
export const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
};

export interface EmulatedAccount {
  readonly endpoint: string;
  readonly lambda: LambdaClient;
  snapshot(name: string): Promise<FunctionSnapshot>;
  stop(): Promise<void>;
}

export type FunctionSnapshot = Awaited<ReturnType<typeof takeSnapshot>>;

/** `region` is the one the emulated account is in; its ARNs carry that region's partition. */
export async function startEmulatedAccount(
  templateFile: string,
  region = "us-east-1",
): Promise<EmulatedAccount> {
  const emulate = await startEmulate(["--template", templateFile, "--region", region], {
    cwd: mkdtempSync(join(tmpdir(), "lo-emulate-state-")),
  });
  const lambda = new LambdaClient({
    endpoint: emulate.endpoint,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return {
    endpoint: emulate.endpoint,
    lambda,
    snapshot: (name) => takeSnapshot(lambda, name),
    async stop() {
      lambda.destroy();
      await emulate.stop();
    },
  };
}

async function takeSnapshot(lambda: LambdaClient, name: string) {
  const configuration = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: name }),
  );
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: name }));
  return {
    memoryMb: configuration.MemorySize,
    architectures: configuration.Architectures,
    description: configuration.Description,
    environment: configuration.Environment?.Variables,
    versions: versions.Versions?.map((version) => version.Version),
    aliases: aliases.Aliases?.map((alias) => `${alias.Name}->${alias.FunctionVersion}`),
  };
}

/** Resolve once `check` holds, polling; fail after `timeoutMs` (a bound, not a measurement). */
export async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
