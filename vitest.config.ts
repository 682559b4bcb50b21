import { defineConfig } from "vitest/config";
import { TEST_CACHE_DIR } from "./test/support/user-cache.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // the cgroup v2 VM tests boot a kernel under qemu: `npm run test:cgroup2` (not in `npm test` yet)
    exclude: ["**/node_modules/**", "test/sandbox-vm/**"],
    // Timeouts only catch a hang, never measure: many tests run the CLI, an emulator or
    // moto_server as subprocesses, which take several times longer on a loaded 2-core machine
    // (a 16 s test reached 30 s there), so the bounds are wide.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Builds AWS's official Runtime Interface Client once (about a minute) for the conformance
    // test, and fetches the Node.js binaries the emulator runs nodejs22.x functions on.
    globalSetup: ["./test/setup/global-setup.ts"],
    // What the emulator fetches (Node.js binaries, the runtime SDK) goes beside the RIC build,
    // not into the user's ~/.cache (test/support/user-cache.ts).
    env: { LAMBDA_OPTIMIZER_CACHE_DIR: TEST_CACHE_DIR },
  },
});
