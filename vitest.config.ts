import { defineConfig } from "vitest/config";
import { TEST_CACHE_DIR } from "./test/support/user-cache.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // test/sandbox-vm boots a real kernel under qemu once (a few minutes under TCG) and runs every
    // cgroup v2 check in that one boot; `npm run test:cgroup2` runs just that file
    exclude: ["**/node_modules/**"],
    // Timeouts only catch a hang, never measure: many tests run the CLI, an emulator or
    // moto_server as subprocesses, which take several times longer on a loaded 2-core machine
    // (a 16 s test reached 30 s there), so the bounds are wide.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Builds AWS's official Runtime Interface Client once (about a minute) for the conformance
    // test and the cgroup v2 VM image (half a minute) for test/sandbox-vm, and fetches the
    // Node.js binaries the emulator runs nodejs22.x functions on.
    globalSetup: ["./test/setup/global-setup.ts"],
    // What the emulator fetches (Node.js binaries, the runtime SDK) goes beside the RIC build,
    // not into the user's ~/.cache (test/support/user-cache.ts).
    env: { LAMBDA_OPTIMIZER_CACHE_DIR: TEST_CACHE_DIR },
  },
});
