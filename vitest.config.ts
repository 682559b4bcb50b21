import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 30_000,
    // Builds AWS's official Runtime Interface Client once (about a minute) for the conformance test.
    globalSetup: ["./test/setup/global-setup.ts"],
  },
});
