/**
 * A view of node:fs in which /proc does not exist for the product's own code
 * (files under src/), as on macOS, and every attempt is recorded. A test file
 * installs it with
 *
 *   vi.mock("node:fs", async (original) => (await import("./proc-guard.js")).guardFs(await original()));
 *
 * (and the same for node:fs/promises) and then asserts procReads() is empty.
 * Only modules vitest loads see the mock: the product's code and the tests;
 * child processes (runtimes, ps, lsof) are not ours to watch, and on Linux ps
 * and lsof read /proc themselves, which is what they are for.
 * Test code (the fixtures' processExists, say) keeps the real /proc.
 */
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const GUARD = fileURLToPath(import.meta.url);

const reads: string[] = [];

/** Every /proc path the product tried to touch, with the source line that tried. */
export function procReads(): readonly string[] {
  return reads;
}

function pathOf(argument: unknown): string | undefined {
  if (typeof argument === "string") return argument;
  if (argument instanceof URL) return argument.protocol === "file:" ? argument.pathname : undefined;
  if (Buffer.isBuffer(argument)) return argument.toString();
  return undefined;
}

/** The first stack frame outside this file: the code that called fs. */
function caller(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  return frames.find((frame) => !frame.includes(GUARD))?.trim() ?? "";
}

function noSuchFile(path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`ENOENT: no such file or directory, '${path}'`);
  error.code = "ENOENT";
  error.path = path;
  return error;
}

export function guardFs<T extends object>(fs: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fs)) {
    if (typeof value !== "function" || /^[A-Z]/.test(name)) {
      guarded[name] = value;
      continue;
    }
    guarded[name] = function (this: unknown, ...args: unknown[]) {
      const path = pathOf(args[0]);
      if (path !== undefined && /^\/proc(\/|$)/.test(path)) {
        const from = caller();
        if (from.includes(SRC)) {
          reads.push(`${name}(${path}) ${from}`);
          throw noSuchFile(path);
        }
      }
      return (value as (...args: unknown[]) => unknown).apply(this, args);
    };
  }
  return { ...guarded, default: guarded } as T;
}
