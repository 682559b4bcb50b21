/** The fixture functions the emulator tests run, by name. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll } from "vitest";
import { LambdaApiServer } from "../../src/emulator/control-api/lambda-api-server.js";
import type { Emulator } from "../../src/emulator/emulator.js";
import {
  functionFromHandlerSpec,
  type HandlerSpecOverrides,
} from "../../src/emulator/functions/from-handler.js";
import type { FunctionDefinition } from "../../src/emulator/functions/function-definition.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/functions/", import.meta.url));

export function fixture(
  spec: string,
  overrides: HandlerSpecOverrides & { name: string },
): FunctionDefinition {
  return functionFromHandlerSpec(join(FIXTURES, spec), overrides);
}

export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), "lo-emulator-"));
}

export const FAULTS = [
  "throws",
  "spins",
  "exits",
  "allocates",
  "uncaught",
  "promiseStorm",
  "orphan",
  "bigResponse",
  "ok",
].map((handler) =>
  fixture(`node-faults/index.mjs:${handler}`, {
    name: `fault-${handler}`,
    // Allocating 7 MB or a heap at 7% of a CPU is slow on a busy machine: let these fail as
    // their tests mean them to (out of memory, response too large), not by running out of time.
    timeoutSeconds: handler === "allocates" || handler === "bigResponse" ? 15 : 1,
    // A 7 MB response is the string, its JSON and the request's buffer: the runtime holds
    // 121-122 MB while sending it where nothing limits it (measured at 256 MB). 128 MB is the
    // edge: a v1 cgroup, which charges page cache too, holds it at 114 MB by reclaiming as it
    // goes (reclaim is what can stall it past its timeout on a busy host), and RSS polling
    // killed it as out of memory in 1 run of 4. The test is about the size limit, so the
    // function gets room for its response.
    ...(handler === "bigResponse" ? { memoryMb: 256 } : {}),
    // An endless storm of promises allocates as fast as it runs, and V8 collects lazily: at
    // 128 MB it held 70 MB at its 1 s timeout under a cgroup, but 100-128 MB under the portable
    // path with both cores busy (wall time charged, V8's collector threads running free), so it
    // ran out of memory first in 1 run of 4. The test is about the timeout: at 1,024 MB it held
    // 125 MB (cgroup) and 190-199 MB (portable, both cores busy).
    ...(handler === "promiseStorm" ? { memoryMb: 1024 } : {}),
  }),
);

/** Whether a process still exists (a zombie counts as gone). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

/**
 * The emulator's Lambda API on loopback for this test file, with the real SDK client pointed at
 * it (no retries: a test sees the first answer); both stopped, and the emulator, after the file.
 */
export function servedLambdaApi(emulator: Emulator): () => LambdaClient {
  const server = new LambdaApiServer(emulator);
  let lambda: LambdaClient | undefined;
  beforeAll(async () => {
    lambda = new LambdaClient({
      endpoint: await server.listen(0),
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    lambda?.destroy();
    await server.close();
    await emulator.stop();
  });
  return () => {
    if (!lambda) throw new Error("the Lambda API is served from beforeAll on");
    return lambda;
  };
}
