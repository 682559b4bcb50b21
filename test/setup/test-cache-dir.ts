/**
 * The folder the test suite caches downloads in: node_modules/.cache/lambda-optimizer, beside the
 * RIC build (ensure-ric.ts), not the user's ~/.cache. vitest.config.ts hands it to every test (and
 * so to every CLI the tests start) as LAMBDA_OPTIMIZER_CACHE_DIR.
 */
import { realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

// The real path: worktrees sharing one node_modules through a symlink share one cache.
export const TEST_CACHE_DIR = join(
  realpathSync(join(REPO_ROOT, "node_modules")),
  ".cache",
  "lambda-optimizer",
);
