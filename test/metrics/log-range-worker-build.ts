/**
 * The parallel log reader's worker for a test. A worker runs JavaScript, and vitest runs the
 * sources as TypeScript: the worker is bundled from src/ with esbuild first, as the build does,
 * and handed to the reader by URL. (test/cli/metrics.test.ts runs the built one.)
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export async function buildLogRangeWorker(): Promise<URL> {
  const folder = join(mkdtempSync(join(tmpdir(), "lo-log-worker-")), "worker");
  mkdirSync(folder);
  const outfile = join(folder, "log-range-worker.js");
  await build({
    entryPoints: [join(import.meta.dirname, "../../src/metrics/sources/log-range-worker.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "warning",
  });
  writeFileSync(join(folder, "package.json"), '{ "type": "module" }\n');
  return pathToFileURL(outfile);
}
