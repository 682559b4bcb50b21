/**
 * What `invoke`, `tune` and `emulate` say about the interpreter a local
 * function runs on: a warning on stderr when it is not the declared version
 * (the JSON results carry the same words), and the fetch of a Node.js binary
 * as progress on stderr.
 */
import type { RuntimeInterpreter } from "../emulator/runtimes/interpreter.js";

export function warnAboutInterpreter(interpreter: RuntimeInterpreter): void {
  if (interpreter.warning) process.stderr.write(`warning: ${interpreter.warning}\n`);
}

/** Progress lines of the emulator's own long work (fetching a Node.js binary). */
export function emulatorProgress(quiet = false): ((line: string) => void) | undefined {
  return quiet ? undefined : (line) => process.stderr.write(`${line}\n`);
}
