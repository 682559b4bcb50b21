/**
 * The user cache the tests share (src/emulator/runtimes/user-cache.ts): beside
 * the RIC build in node_modules/.cache, so a test run never writes to the
 * user's ~/.cache and every worktree sharing node_modules shares one download.
 * A value already set (by the suite's setup or the caller) is kept.
 */
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CACHE_DIR_VARIABLE } from "../../src/emulator/runtimes/user-cache.js";

const NODE_MODULES = fileURLToPath(new URL("../../node_modules", import.meta.url));

export const TEST_CACHE_DIR = join(realpathSync(NODE_MODULES), ".cache", "lambda-optimizer");

/** Point this test process (and the CLI subprocesses it starts) at the shared test cache. */
export function useTestCache(): string {
  process.env[CACHE_DIR_VARIABLE] ??= TEST_CACHE_DIR;
  return process.env[CACHE_DIR_VARIABLE];
}
