/**
 * A content hash of a local function's code, recorded with each tune so that `metrics` and
 * `compare --max-age-days` can tell whether the code has changed since it was tuned (the guide:
 * re-tune after code changes). It hashes the function's code folder, the folder the emulator
 * runs as Lambda's /var/task: the handler's folder, or a template function's CodeUri. Every
 * file in it counts (the handler, what it imports, package.json and its lock file, data it
 * reads), except what is not the user's code or changes on its own: installed packages
 * (node_modules: package.json and the lock file already say which), our own state
 * (.lambda-optimizer), version control, and caches Python and SAM write.
 */
import { createHash } from "node:crypto";
import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Folders left out wherever they are in the code folder. */
export const FOLDERS_NOT_HASHED: ReadonlySet<string> = new Set([
  "node_modules",
  ".lambda-optimizer",
  ".git",
  ".aws-sam",
  "__pycache__",
]);

/**
 * Above this many files the folder is not a function's code but a project's (a handler at the
 * top of a repository): hashing it would be slow and would change with every unrelated file.
 */
export const MAX_HASHED_FILES = 5_000;

export interface CodeFolderHash {
  /** SHA-256 of every file's path (relative, with /) and content, in path order, base64 as Lambda writes CodeSha256. */
  readonly sha256: string;
  readonly files: number;
}

/**
 * The folder's hash, or undefined when it cannot be taken: the folder is missing or
 * unreadable, or holds more than MAX_HASHED_FILES files. Linked folders are not followed (a
 * link back up would never end); linked files are read.
 */
export function hashCodeFolder(folder: string): CodeFolderHash | undefined {
  const files: string[] = [];
  if (!listFiles(folder, "", files)) return undefined;
  files.sort();
  const hash = createHash("sha256");
  try {
    for (const file of files) {
      // The path and the length frame each file, so moving bytes between two files changes the hash.
      const content = readFileSync(join(folder, file));
      hash.update(`${file}\0${content.length}\0`);
      hash.update(content);
    }
  } catch {
    return undefined;
  }
  return { sha256: hash.digest("base64"), files: files.length };
}

/** Adds the folder's files (relative paths, with /) to `into`; false when it cannot be read or holds too many. */
function listFiles(folder: string, prefix: string, into: string[]): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(folder, prefix), { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (FOLDERS_NOT_HASHED.has(entry.name)) continue;
      if (!listFiles(folder, relative, into)) return false;
    } else if (entry.isFile() || (entry.isSymbolicLink() && isFile(join(folder, relative)))) {
      into.push(relative);
      if (into.length > MAX_HASHED_FILES) return false;
    }
  }
  return true;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
