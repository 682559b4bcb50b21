/**
 * vitest globalSetup: builds AWS's Node.js Runtime Interface Client once before any test runs and
 * hands its location to the tests; builds the cgroup v2 VM image (a Debian kernel and a busybox +
 * node initramfs, ensure-cgroup2-vm.ts) that test/sandbox-vm boots, so a host that cannot build
 * it fails here, loudly, and the cached image costs a marker read on later runs; fetches the official Node.js binary of every major the tests
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
import { ensureCgroup2Vm } from "./ensure-cgroup2-vm.js";
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
  // independent builds (a minute and half a minute when cold): side by side
  const [ric] = await Promise.all([
    ensureRuntimeInterfaceClient(),
    ensureCgroup2Vm({ log: (line) => process.stderr.write(`[ensure-cgroup2-vm] ${line}\n`) }),
  ]);
  project.provide("awsLambdaRic", ric);
}
