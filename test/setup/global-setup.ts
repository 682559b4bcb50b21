/**
 * vitest globalSetup: builds AWS's Node.js Runtime Interface Client once before any test runs and
 * hands its location to the tests; fetches the official Node.js binary of every major the tests
 * run functions on (nodejs22.x, the default runtime of a handler file), so no test waits for a
 * download and a machine that cannot fetch it fails here, with the reason, not in every test.
 *
 * In a test:
 *   import { inject } from "vitest";
 *   const { ricEntry, version } = inject("awsLambdaRic");
 */
import type { TestProject } from "vitest/node";
import { officialNodeBinary } from "../../src/emulator/runtimes/node-binaries.js";
import { CACHE_DIR_VARIABLE } from "../../src/emulator/runtimes/user-cache.js";
import { TEST_CACHE_DIR } from "../support/user-cache.js";
import { ensureRuntimeInterfaceClient, type RuntimeInterfaceClient } from "./ensure-ric.js";
import { OTHER_NODE_MAJOR } from "./node-majors.js";

declare module "vitest" {
  export interface ProvidedContext {
    awsLambdaRic: RuntimeInterfaceClient;
  }
}

/** The Node.js majors the tests' functions declare and the emulator must fetch. */
const TEST_NODE_MAJORS = [OTHER_NODE_MAJOR];

export default async function setup(project: TestProject): Promise<void> {
  process.env[CACHE_DIR_VARIABLE] = TEST_CACHE_DIR;
  for (const major of TEST_NODE_MAJORS) {
    const binary = await officialNodeBinary(major, {
      cacheDir: TEST_CACHE_DIR,
      log: (line) => process.stderr.write(`[node-binaries] ${line}\n`),
    });
    if ("unavailable" in binary) {
      throw new Error(
        `the tests run nodejs${major}.x functions on Node.js ${major}, which could not be had: ${binary.unavailable}`,
      );
    }
  }
  const ric = await ensureRuntimeInterfaceClient();
  project.provide("awsLambdaRic", ric);
}
