/**
 * Makes sure Debian's Chromium is installed, for the tests that open a report in a real browser.
 *
 * playwright-core drives it (executablePath /usr/bin/chromium); Playwright's own browser download
 * cannot work here, since only the npm registry and Debian's packages are reachable. The package is
 * installed machine-wide by apt-get, so the lock that keeps concurrent vitest workers from running
 * apt twice lives in the system's temporary folder, not in the repository. When Chromium is already
 * there this returns at once without touching apt.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  acquireInstallLock,
  logTail,
  runLogged,
  seconds,
  wantsPackageLists,
} from "./install-support.js";

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

const LOG_TAIL_LINES = 40;

const fail = (message: string, options?: { cause?: unknown }) =>
  new ChromiumInstallError(message, options);

/** The last lines of apt-get's log and where the full log is, for an error message. */
const tail = (logPath: string) => logTail(logPath, LOG_TAIL_LINES);

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
  const release = await acquireInstallLock(lockPath, {
    timeoutMs: options.lockTimeoutMs ?? 15 * 60 * 1000,
    what: DEBIAN_PACKAGE,
    log,
    fail,
  });
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
    runLogged("apt-get", [...aptLockWait, "install", "-y", DEBIAN_PACKAGE], {
      logFile: logPath,
      log,
      fail,
    });

  let result = await install();
  if (result.code !== 0 && wantsPackageLists(result.output)) {
    log("apt-get has no usable package lists; running apt-get update and retrying");
    const update = await runLogged("apt-get", [...aptLockWait, "update"], {
      logFile: logPath,
      log,
      fail,
    });
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
