/**
 * Where lambda-optimizer keeps what it downloads once and reuses (the official
 * Node.js binaries the emulator runs declared runtimes on). A user cache, not
 * the project's .lambda-optimizer state folder: one download serves every
 * project on the machine, and a globally installed CLI may not be able to
 * write beside its own files.
 *
 * LAMBDA_OPTIMIZER_CACHE_DIR names the folder outright (the test suite points
 * it at node_modules/.cache/lambda-optimizer, where the RIC build is cached);
 * otherwise the XDG convention: $XDG_CACHE_HOME/lambda-optimizer, else
 * ~/.cache/lambda-optimizer.
 */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export const CACHE_DIR_VARIABLE = "LAMBDA_OPTIMIZER_CACHE_DIR";

export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[CACHE_DIR_VARIABLE];
  if (named) return resolve(named);
  // The XDG specification says a relative XDG_CACHE_HOME is invalid and is to be ignored.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "lambda-optimizer");
  return join(homedir(), ".cache", "lambda-optimizer");
}
