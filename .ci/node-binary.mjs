#!/usr/bin/env node
// Prints the path of the official Node.js binary of one major (`node .ci/node-binary.mjs 22`),
// fetched once from the npm registry by the emulator's own fetcher (officialNodeBinary in
// src/emulator/runtimes/node-binaries.ts), so CI uses no second download mechanism. Needs dist/
// (npm run build). The binaries go where the test suite keeps them (test/support/user-cache.ts),
// so the suite and CI share one download.
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { officialNodeBinary } from "../dist/index.js";

const major = Number(process.argv[2]);
if (!Number.isInteger(major) || major < 1) {
  process.stderr.write(
    `usage: node .ci/node-binary.mjs <major>, e.g. 22 (got ${process.argv[2] ?? "nothing"})\n`,
  );
  process.exit(2);
}
const cacheDir = join(
  realpathSync(fileURLToPath(new URL("../node_modules", import.meta.url))),
  ".cache",
  "lambda-optimizer",
);
const binary = await officialNodeBinary(major, {
  cacheDir,
  log: (line) => process.stderr.write(`[node-binary] ${line}\n`),
});
if ("unavailable" in binary) {
  process.stderr.write(`Node.js ${major} could not be had: ${binary.unavailable}\n`);
  process.exit(1);
}
process.stdout.write(`${binary.command}\n`);
