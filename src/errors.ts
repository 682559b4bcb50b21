/**
 * A mistake in what the user typed or pointed us at, raised anywhere in the
 * core (which owns this module: dependencies point inward). The CLI prints its
 * message as one line and exits 2; it never shows a stack trace.
 */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}

/** Exit codes every command keeps (see docs/cli.md). */
export const EXIT = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
  runtime: 3,
} as const;
