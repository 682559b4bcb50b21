/**
 * Writing a fixed template back: never a half-written file, never over an
 * edit made since the template was read. The new text goes to a temporary
 * file in the same folder (so the rename stays on one filesystem and is
 * atomic) with the original's mode; just before the rename the original is
 * read again, and if it changed the temporary file is removed and the
 * original left alone. A failure at any step removes the temporary file.
 */

import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import { basename, dirname, join } from "node:path";

/** The file system calls the writer makes: node:fs, or a stand-in that fails on purpose in tests. */
export type WriterFs = Pick<
  typeof nodeFs,
  | "chmodSync"
  | "readFileSync"
  | "realpathSync"
  | "renameSync"
  | "statSync"
  | "unlinkSync"
  | "writeFileSync"
>;

/** What the template was when it was read, to tell whether it changed since. */
export interface ReadSnapshot {
  readonly text: string;
  readonly mtimeMs: number;
  readonly size: number;
}

export type WriteOutcome =
  | { readonly written: true }
  | {
      readonly written: false;
      readonly reason: "changed-on-disk" | "write-failed";
      readonly message: string;
    };

/** Read a template with what it takes to notice a later change. */
export function readSnapshot(file: string, fs: WriterFs = nodeFs): ReadSnapshot {
  const stat = fs.statSync(file);
  return { text: fs.readFileSync(file, "utf8") as string, mtimeMs: stat.mtimeMs, size: stat.size };
}

/** Replace `file` with `text`, if it is still what `snapshot` read. Never throws for an I/O failure. */
export function writeFixedFile(
  file: string,
  text: string,
  snapshot: ReadSnapshot,
  fs: WriterFs = nodeFs,
): WriteOutcome {
  let target: string;
  let mode: number;
  try {
    // Through a symlink, replace the file it points at, not the link.
    target = fs.realpathSync(file);
    mode = fs.statSync(target).mode & 0o7777;
  } catch (error) {
    return failed(error);
  }
  const temporary = join(
    dirname(target),
    `.${basename(target)}.lambda-optimizer-${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    fs.writeFileSync(temporary, text, { flag: "wx", mode });
    fs.chmodSync(temporary, mode); // the umask narrowed the mode given at creation
    const now = readSnapshot(target, fs);
    if (
      now.text !== snapshot.text ||
      now.mtimeMs !== snapshot.mtimeMs ||
      now.size !== snapshot.size
    ) {
      removeQuietly(temporary, fs);
      return {
        written: false,
        reason: "changed-on-disk",
        message: "it changed on disk since the audit read it; run the audit again",
      };
    }
    fs.renameSync(temporary, target);
    return { written: true };
  } catch (error) {
    removeQuietly(temporary, fs);
    return failed(error);
  }
}

function failed(error: unknown): WriteOutcome {
  const { code, message } = error as NodeJS.ErrnoException;
  return {
    written: false,
    reason: "write-failed",
    message: `cannot write it (${code ?? message})`,
  };
}

function removeQuietly(file: string, fs: WriterFs): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Not created, or already gone: nothing to clean up.
  }
}
