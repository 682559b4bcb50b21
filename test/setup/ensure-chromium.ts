/**
 * Makes sure Debian's Chromium is installed, for the tests that open a report in a real browser.
 *
 * playwright-core drives it (executablePath /usr/bin/chromium); Playwright's own browser download
 * cannot work here, since only the npm registry and Debian's packages are reachable. The package is
 * installed machine-wide by apt-get, so the lock that keeps concurrent vitest workers from running
 * apt twice lives in the system's temporary folder, not in the repository. When Chromium is already
 * there this returns at once without touching apt.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, mkdir, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const CHROMIUM_EXECUTABLE = "/usr/bin/chromium";
const DEBIAN_PACKAGE = "chromium";

export interface EnsureChromiumOptions {
  /** Where the browser must end up (default /usr/bin/chromium, where Debian's package puts it). */
  executablePath?: string;
  /** Install lock (default: in the system's temporary folder, shared by every checkout). */
  lockPath?: string;
  /** apt-get's full output goes here (default: beside the lock). */
  logPath?: string;
  /** Progress lines go here (default: stderr). */
  log?: (line: string) => void;
  /** How long to wait for another process that holds the install lock (default 15 minutes). */
  lockTimeoutMs?: number;
}

export class ChromiumInstallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ChromiumInstallError";
  }
}

const LOCK_STALE_MS = 30 * 60 * 1000;
const LOCK_POLL_MS = 500;
const HEARTBEAT_MS = 30_000;
const LOG_TAIL_LINES = 40;

/** Returns Chromium's executable path, installing Debian's `chromium` package first if need be. */
export async function ensureChromium(options: EnsureChromiumOptions = {}): Promise<string> {
  const executablePath = options.executablePath ?? CHROMIUM_EXECUTABLE;
  if (existsSync(executablePath)) return executablePath;

  const lockPath = options.lockPath ?? join(tmpdir(), "lambda-optimizer-chromium-install.lock");
  const logPath = options.logPath ?? join(tmpdir(), "lambda-optimizer-chromium-install.log");
  const log =
    options.log ?? ((line: string) => process.stderr.write(`[ensure-chromium] ${line}\n`));
  assertCanInstall(executablePath);

  await mkdir(dirname(lockPath), { recursive: true });
  const release = await acquireLock(lockPath, options.lockTimeoutMs ?? 15 * 60 * 1000, log);
  try {
    // Another worker may have finished the install while we waited for the lock.
    if (existsSync(executablePath)) return executablePath;
    await installWithApt(logPath, log);
    if (!existsSync(executablePath)) {
      throw new ChromiumInstallError(
        `apt-get installed ${DEBIAN_PACKAGE} but ${executablePath} does not exist.\n${tail(logPath)}`,
      );
    }
    verifyStarts(executablePath);
    return executablePath;
  } finally {
    await release();
  }
}

function assertCanInstall(executablePath: string): void {
  const install = `apt-get install -y ${DEBIAN_PACKAGE}`;
  if (process.platform !== "linux" || spawnSync("apt-get", ["--version"]).status !== 0) {
    throw new ChromiumInstallError(
      `${executablePath} is missing and this is not a Debian-like system with apt-get. ` +
        `The browser tests expect Debian's Chromium there (${install}).`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new ChromiumInstallError(
      `${executablePath} is missing and installing it needs root. Run: sudo ${install}`,
    );
  }
}

async function installWithApt(logPath: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  await writeFile(logPath, `# ${new Date().toISOString()} installing ${DEBIAN_PACKAGE}\n`);
  log(`installing Debian's ${DEBIAN_PACKAGE} package (log: ${logPath})`);
  // Wait for another apt (unattended upgrades, a parallel CI step) instead of failing on its lock.
  const aptLockWait = ["-o", "DPkg::Lock::Timeout=300"];
  const install = () =>
    runLogged("apt-get", [...aptLockWait, "install", "-y", DEBIAN_PACKAGE], logPath, log);

  let result = await install();
  if (result.code !== 0 && wantsPackageLists(result.output)) {
    log("apt-get has no usable package lists; running apt-get update and retrying");
    const update = await runLogged("apt-get", [...aptLockWait, "update"], logPath, log);
    if (update.code !== 0) {
      throw new ChromiumInstallError(
        `apt-get update failed (exit ${update.code}).\n${tail(logPath)}`,
      );
    }
    result = await install();
  }
  if (result.code !== 0) {
    throw new ChromiumInstallError(
      `apt-get install -y ${DEBIAN_PACKAGE} failed (exit ${result.code}).\n${tail(logPath)}`,
    );
  }
  log(`${DEBIAN_PACKAGE} installed in ${seconds(Date.now() - started)}`);
}

/** apt's ways of saying its package lists are missing or stale. */
function wantsPackageLists(output: string): boolean {
  return /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found|is not available, but is referred to/i.test(
    output,
  );
}

/** A browser that is installed but cannot start would fail every test with a worse message. */
function verifyStarts(executablePath: string): void {
  const result = spawnSync(executablePath, ["--version"], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) {
    throw new ChromiumInstallError(
      `${executablePath} --version failed (exit ${result.status}, signal ${result.signal}):\n` +
        `${result.stderr}${result.stdout}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Lock: a file created with O_EXCL holding the owner's pid. A lock whose owner is gone (or that is
// older than any install could take) is taken over, so a killed run never wedges later ones.

async function acquireLock(
  lockPath: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStaleLock(lockPath)) {
      log(`removing stale lock ${lockPath}`);
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new ChromiumInstallError(
        `timed out after ${seconds(timeoutMs)} waiting for ${lockPath}; if no install is running, delete it`,
      );
    }
    if (!announced) {
      log(`another process is installing ${DEBIAN_PACKAGE}; waiting for ${lockPath}`);
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
    // Half-written by an owner that is still writing, or left by one that died mid-write.
    return Date.now() - mtimeMs > 10_000;
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

interface RunResult {
  code: number;
  output: string;
}

function runLogged(
  command: string,
  args: string[],
  logPath: string,
  log: (line: string) => void,
): Promise<RunResult> {
  const label = `${command} ${args.filter((arg) => !arg.startsWith("-")).join(" ")}`;
  return new Promise((resolveRun, reject) => {
    const started = Date.now();
    let output = "";
    let writes = appendFile(logPath, `\n$ ${command} ${args.join(" ")}\n`);
    const child = spawn(command, args, {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const append = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      writes = writes.then(() => appendFile(logPath, chunk));
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    const heartbeat = setInterval(
      () => log(`${label} still running (${seconds(Date.now() - started)})`),
      HEARTBEAT_MS,
    );
    child.on("error", (error) => {
      clearInterval(heartbeat);
      reject(
        new ChromiumInstallError(`could not run ${command}: ${error.message}`, { cause: error }),
      );
    });
    child.on("close", (code, signal) => {
      clearInterval(heartbeat);
      writes
        .then(() => appendFile(logPath, `# exit ${code ?? signal}\n`))
        .then(() => resolveRun({ code: code ?? 128, output }), reject);
    });
  });
}

function tail(logPath: string, lines = LOG_TAIL_LINES): string {
  try {
    const all = readFileSync(logPath, "utf8").trimEnd().split("\n");
    const last = all.slice(-lines);
    return `--- last ${last.length} lines of ${logPath} ---\n${last.join("\n")}\nFull log: ${logPath}`;
  } catch {
    return `(no log at ${logPath})`;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
