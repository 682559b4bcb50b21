/**
 * Output files named on the command line are checked before any work starts:
 * a tune can take many minutes, and finding only at its end that `--html`
 * names a folder that does not exist wastes all of it. Nothing is created
 * by the check, which only reads what is on disk; writing them at the end
 * goes through one function, for one message when a write fails.
 */
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../errors.js";

/** Throws a one-line UsageError naming the flag if `file` cannot be written later. */
export function checkWritableOutput(flag: string, file: string | undefined): void {
  if (file === undefined) return;
  const path = resolve(file);
  const existing = statOrUndefined(path);
  if (existing?.isDirectory()) throw new UsageError(`${flag} ${file}: it is a folder, not a file`);
  const folder = dirname(path);
  const parent = statOrUndefined(folder);
  if (!parent) throw new UsageError(`${flag} ${file}: the folder ${folder} does not exist`);
  if (!parent.isDirectory()) throw new UsageError(`${flag} ${file}: ${folder} is not a folder`);
  try {
    accessSync(existing ? path : folder, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: ${existing ? "the file" : folder} is not writable`);
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Write an output file the user named; a failure is their path's fault: one line, exit 2. */
export function writeOutputFile(file: string, content: string): void {
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw new UsageError(
      `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
