/**
 * What the sandbox needs to know about processes, behind one interface with
 * two implementations: /proc (Linux only, proc-reader.ts) and `ps` (macOS, the
 * BSDs, and Linux when the portable mechanism is forced, ps-reader.ts). Nothing
 * outside those two files reads processes a platform-specific way.
 */
import { chooseMechanism } from "./mechanism-choice.js";
import { procReader } from "./proc-reader.js";
import { PsReader } from "./ps-reader.js";
import type { ForcedMechanism } from "./types.js";

export interface ProcessMemory {
  /**
   * The resident set's high-water mark: kept by the kernel on /proc (VmHWM, since start or
   * the last resetPeakRss); with ps, which has none, the resident set now.
   */
  readonly peakRssKb: number;
  readonly rssKb: number;
}

export interface ProcessReader {
  readonly source: "proc" | "ps";
  /** Exists and is not a zombie. */
  isAlive(pid: number): boolean;
  /** The pid's start time in this reader's clock (owner marks are judged with the reader that made them). */
  startTime(pid: number): string | undefined;
  /** The processes whose parent is pid. */
  children(pid: number): number[];
  memory(pid: number): ProcessMemory | undefined;
  /** Restart the kernel's high-water mark from the current RSS, where there is one. */
  resetPeakRss(pid: number): void;
  /** Every process whose environment sets NAME, with its value (pid -> value). */
  processesWithVariable(name: string): Map<number, string>;
  /**
   * The first field of an owner mark: the pid namespace's inode on /proc; with ps a fixed
   * tag, so that marks whose start times are in different clocks are never compared.
   */
  pidNamespace(): string;
  /**
   * Time pid's main thread has spent on a CPU, ms, since it started (Linux's schedstat: ns, not
   * clock ticks); absent where the host does not say (ps has only whole clock ticks).
   */
  cpuTimeMs?(pid: number): number | undefined;
  /** Read everything afresh without blocking, for a poll that follows (ps only). */
  refresh?(): Promise<void>;
  /** Drop what was read before now, in this turn or by a refresh still running, so the next question reads afresh (a new measurement window). */
  forget?(): void;
}

let psReader: PsReader | undefined;

/** The /proc reader, or (portable) the ps reader. */
export function processReader(portable: boolean): ProcessReader {
  if (!portable) return procReader;
  psReader ??= new PsReader();
  return psReader;
}

/** Whether a sandbox forced or left to detect would be portable here (mirrors detect.ts). */
export function portableChosen(force?: ForcedMechanism): boolean {
  return chooseMechanism(force).forced === "portable" || process.platform !== "linux";
}

/** This host's reader, as sandboxes forced to nothing would use it: /proc on Linux, ps elsewhere. */
export function hostProcessReader(): ProcessReader {
  return processReader(process.platform !== "linux");
}
