import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "cli/main": "src/cli/main.ts",
    // A worker thread runs a file of its own (src/metrics/sources/parallel-log-file.ts finds it).
    "log-range-worker": "src/metrics/sources/log-range-worker.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  splitting: true,
  silent: true,
});
