/**
 * Support code shared by the test-setup installers (ensure-ric.ts, ensure-chromium.ts): an install
 * lock file, running a child process with its output in a log file, and reading that log back.
 *
 * Errors are built by the caller's `fail`, so each installer keeps throwing its own error class.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { open, readFile, rm, stat } from "node:fs/promises";

/** Builds the caller's own error (RicInstallError, ChromiumInstallError) from a message. */
export type Fail = (message: string, options?: { cause?: unknown }) => Error;

const LOCK_STALE_MS = 30 * 60 * 1000;
const LOCK_POLL_MS = 500;
/** A lock file that cannot be parsed this long after it was written is left over, not half-written. */
const LOCK_UNREADABLE_STALE_MS = 10_000;
const HEARTBEAT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Lock

export interface InstallLockOptions {
  /** How long to wait for another process that holds the lock before failing. */
  timeoutMs: number;
  /** What is being installed, for the "waiting" line, e.g. "chromium" or "aws-lambda-ric". */
  what: string;
  /** Progress lines. */
  log: (line: string) => void;
  fail: Fail;
}

/**
 * A lock file created with O_EXCL holding the owner's pid. A lock whose owner is gone (or that is
 * older than any install could take) is taken over, so a killed run never wedges later ones.
 * Returns the function that releases the lock.
 */
export async function acquireInstallLock(
  lockPath: string,
  options: InstallLockOptions,
): Promise<() => Promise<void>> {
  const { timeoutMs, what, log, fail } = options;
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      await handle.close();
      return async () => {
        await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStaleLock(lockPath)) {
      log(`removing stale lock ${lockPath}`);
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw fail(
        `timed out after ${seconds(timeoutMs)} waiting for ${lockPath}; if no other install is running, delete it`,
      );
    }
    if (!announced) {
      log(`another process is installing ${what}; waiting for ${lockPath}`);
      announced = true;
    }
    await new Promise((done) => setTimeout(done, LOCK_POLL_MS));
  }
}

async function isStaleLock(lockPath: string): Promise<boolean> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(lockPath)).mtimeMs;
  } catch {
    return false; // gone: the next open() will tell
  }
  if (Date.now() - mtimeMs > LOCK_STALE_MS) return true;
  let pid: unknown;
  try {
    pid = (JSON.parse(await readFile(lockPath, "utf8")) as { pid?: unknown }).pid;
  } catch {
    // Half-written by an owner that is still writing, left by one that died mid-write, or released
    // (and perhaps taken again) since the stat above: look at the file that is there now.
    try {
      mtimeMs = (await stat(lockPath)).mtimeMs;
    } catch {
      return false; // gone: the next open() will tell
    }
    return Date.now() - mtimeMs > LOCK_UNREADABLE_STALE_MS;
  }
  if (typeof pid !== "number") return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

// ---------------------------------------------------------------------------------------------
// Processes and logs

export interface RunResult {
  code: number;
  /** Everything the command printed (also appended to the log file). */
  output: string;
}

export interface RunLoggedOptions {
  /** The command's output is appended here. */
  logFile: string;
  /** Progress lines (a heartbeat every 30 s while the command runs). */
  log: (line: string) => void;
  /** Builds the error thrown when the command cannot be started. */
  fail: Fail;
  /** Names the command in heartbeat lines (default: the command and its non-option arguments). */
  label?: string;
  /** The child's environment (default process.env); DEBIAN_FRONTEND=noninteractive is added. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs a command, appending what it prints to a log file; resolves with its exit code. */
export function runLogged(
  command: string,
  args: string[],
  options: RunLoggedOptions,
): Promise<RunResult> {
  const { logFile, log, fail } = options;
  const label =
    options.label ?? `${command} ${args.filter((arg) => !arg.startsWith("-")).join(" ")}`;
  return new Promise((resolveRun, reject) => {
    const fd = openSync(logFile, "a");
    const started = Date.now();
    let output = "";
    let finished = false;
    const heartbeat = setInterval(() => {
      log(`${label} still running (${seconds(Date.now() - started)})`);
    }, HEARTBEAT_MS);
    // A child that cannot be spawned emits "error" and then "close": finish only once, and never
    // write to the log's descriptor after closing it.
    const finish = (last?: string): boolean => {
      if (finished) return false;
      finished = true;
      clearInterval(heartbeat);
      try {
        if (last !== undefined) writeSyncAll(fd, Buffer.from(last));
      } finally {
        closeSync(fd);
      }
      return true;
    };
    const append = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (!finished) writeSyncAll(fd, chunk);
    };
    let child: ReturnType<typeof spawn>;
    try {
      writeSyncAll(fd, Buffer.from(`\n$ ${command} ${args.join(" ")}\n`));
      child = spawn(command, args, {
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), DEBIAN_FRONTEND: "noninteractive" },
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      finish();
      throw error;
    }
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    child.on("error", (error) => {
      if (finish()) reject(fail(`could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.on("close", (code, signal) => {
      if (finish(`# exit ${code ?? signal}\n`)) resolveRun({ code: code ?? 128, output });
    });
  });
}

function writeSyncAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset);
}

/** The last lines of a log file and where the full log is, for an error message. */
export function logTail(logFile: string, lines: number): string {
  try {
    const last = readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines);
    return `--- last ${last.length} lines of ${logFile} ---\n${last.join("\n")}\nFull log: ${logFile}`;
  } catch {
    return `(no log at ${logFile})`;
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** apt's ways of saying its package lists are missing or stale (so `apt-get update` may help). */
export function wantsPackageLists(output: string): boolean {
  return /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found|Package '.*' has no|is not available, but is referred to/i.test(
    output,
  );
}
