import { defineConfig } from "vitest/config";
import { TEST_CACHE_DIR } from "./test/support/user-cache.js";

// `npm run test:cgroup2`: only the cgroup v2 VM tests (test/sandbox-vm), which boot a real kernel
// under qemu's TCG and print the measured d(128)/d(1769); `npm test` runs them too. The test builds
// the VM image itself when missing (ensureCgroup2Vm), so this config needs no globalSetup.
export default defineConfig({
  test: {
    include: ["test/sandbox-vm/**/*.test.ts"],
    // a hang bound, not a measurement: building the image once and a TCG run take minutes
    testTimeout: 20 * 60 * 1000,
    env: { LAMBDA_OPTIMIZER_CACHE_DIR: TEST_CACHE_DIR },
  },
});
