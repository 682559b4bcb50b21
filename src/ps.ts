/**
 * Running `ps` so that its output reads the same on macOS, the BSDs and
 * Linux's procps: the C locale (English month names, no thousands separators)
 * and UTC (a start time that does not move with the user's zone), columns with
 * empty headers (`pid=`), and `lstart` last because it holds spaces.
 */
import { execFile, execFileSync } from "node:child_process";

const PS_ENV = { ...process.env, LC_ALL: "C", TZ: "UTC" };

/** Output large enough for every process's environment on a busy host. */
const MAX_BUFFER = 64 * 1024 * 1024;

function missing(error: unknown): Error {
  return new Error(`cannot run ps, which this host's processes are read through: ${error}`);
}

/** ps's stdout; ps exits 1 when `-p` matched nothing, which is an answer, not a failure. */
export function runPs(args: readonly string[]): string {
  try {
    return execFileSync("ps", args, {
      env: PS_ENV,
      encoding: "utf8",
      maxBuffer: MAX_BUFFER,
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch (error) {
    const { code, stdout } = error as NodeJS.ErrnoException & { stdout?: string };
    if (code === "ENOENT" || typeof stdout !== "string") throw missing(error);
    return stdout;
  }
}

/** runPs without blocking the event loop, for polling. */
export function runPsAsync(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "ps",
      args,
      { env: PS_ENV, encoding: "utf8", maxBuffer: MAX_BUFFER },
      (error, stdout) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") reject(missing(error));
        else resolve(stdout);
      },
    );
  });
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * `lstart` in the C locale and UTC ("Thu Dec  3 11:58:02 2026", strftime's %c on
 * every ps we know) as whole seconds since the epoch, or undefined if it is not that.
 */
export function parseLstart(text: string): string | undefined {
  const match =
    /^[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(
      text.trim(),
    );
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[1]!);
  if (month < 0) return undefined;
  const [day, hours, minutes, seconds, year] = match.slice(2).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return String(Date.UTC(year, month, day, hours, minutes, seconds) / 1000);
}

/** Whether a ps state column (`Z`, `Ss`, `R+`, …) is a process that has exited but not been reaped. */
export function isExitedState(state: string): boolean {
  return state.startsWith("Z") || state.startsWith("X");
}
