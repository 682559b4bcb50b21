/**
 * Processes read through `ps`, for hosts without /proc (macOS, the BSDs) and
 * for Linux when the portable mechanism is forced. One `ps -A` gives the whole
 * table (pid, parent, group, RSS, state, start time); every question asked in
 * the same turn of the event loop is answered from that one run, and a poll
 * fetches it without blocking (refresh).
 *
 * Orphans that left both the ancestry and the process group are found, as on
 * /proc, by an environment variable the sandbox set: ps prints a process's
 * environment after its arguments (`-E` on macOS, `-e` on the other BSDs, the
 * `e` modifier on procps). There is no other portable handle on such a
 * process: a new session (setsid) changes its session and group ids and a
 * dead parent changes its parent pid, while ps can read the environment of
 * one's own processes on every platform. The environment is printed space
 * separated after the arguments, so only values without spaces are found
 * (ours: owner marks and hex ids), and the last occurrence is taken (the
 * environment comes after any argument that happens to look like it).
 *
 * There is no high-water mark: memory is the resident set at each poll, so a
 * spike between two polls is missed (see sandbox.ts for the poll interval).
 */
import { isExitedState, parseLstart, runPs, runPsAsync } from "../../ps.js";
import type { ProcessMemory, ProcessReader } from "./process-reader.js";

export interface PsRow {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly rssKb: number;
  readonly state: string;
  /** lstart as seconds since the epoch (see ps.ts). */
  readonly startTime: string | undefined;
}

export const PS_TABLE_ARGS = ["-A", "-o", "pid=,ppid=,pgid=,rss=,state=,lstart="] as const;

/** Lines of `ps -A -o pid=,ppid=,pgid=,rss=,state=,lstart=`; anything else is skipped. */
export function parsePsTable(text: string): PsRow[] {
  const rows: PsRow[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!match) continue;
    rows.push({
      pid: Number(match[1]),
      ppid: Number(match[2]),
      pgid: Number(match[3]),
      rssKb: Number(match[4]),
      state: match[5]!,
      startTime: parseLstart(match[6]!),
    });
  }
  return rows;
}

/** ps's arguments for every process's pid and command line followed by its environment. */
export function psEnvironmentArgs(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === "linux") return ["axeww", "-o", "pid=,args="]; // procps: BSD-style `e`
  if (platform === "darwin") return ["-A", "-E", "-ww", "-o", "pid=,command="];
  return ["-A", "-e", "-ww", "-o", "pid=,command="]; // FreeBSD, OpenBSD, NetBSD
}

/** From psEnvironmentArgs' output: every pid whose line sets NAME=value (value without spaces). */
export function parsePsEnvironment(text: string, name: string): Map<number, string> {
  const found = new Map<number, string>();
  const setting = new RegExp(`(?:^|\\s)${name.replace(/[^\w]/g, "\\$&")}=(\\S*)`, "g");
  for (const line of text.split("\n")) {
    const match = /^\s*(\d+)\s(.*)$/.exec(line);
    if (!match) continue;
    const values = [...match[2]!.matchAll(setting)];
    if (values.length > 0) found.set(Number(match[1]), values.at(-1)![1]!);
  }
  return found;
}

class PsTable {
  readonly byPid = new Map<number, PsRow>();
  readonly byParent = new Map<number, number[]>();

  constructor(rows: readonly PsRow[]) {
    for (const row of rows) {
      this.byPid.set(row.pid, row);
      const siblings = this.byParent.get(row.ppid);
      if (siblings) siblings.push(row.pid);
      else this.byParent.set(row.ppid, [row.pid]);
    }
  }
}

export class PsReader implements ProcessReader {
  readonly source = "ps";
  /** The table of this turn of the event loop, dropped when the turn ends. */
  private current: PsTable | undefined;
  /** Raised by forget(): a table whose ps started before it is stale and is not kept. */
  private generation = 0;

  isAlive(pid: number): boolean {
    const row = this.table().byPid.get(pid);
    return row !== undefined && !isExitedState(row.state);
  }

  startTime(pid: number): string | undefined {
    return this.table().byPid.get(pid)?.startTime;
  }

  children(pid: number): number[] {
    return [...(this.table().byParent.get(pid) ?? [])];
  }

  memory(pid: number): ProcessMemory | undefined {
    const row = this.table().byPid.get(pid);
    return row && { peakRssKb: row.rssKb, rssKb: row.rssKb };
  }

  resetPeakRss(): void {
    // nothing kept between polls to reset: the meter's window restarts on its own
  }

  processesWithVariable(name: string): Map<number, string> {
    return parsePsEnvironment(runPs(psEnvironmentArgs()), name);
  }

  /** Not an inode (those are large): marks made through ps are told apart from /proc's by it. */
  pidNamespace(): string {
    return "1";
  }

  async refresh(): Promise<void> {
    const generation = this.generation;
    const table = new PsTable(parsePsTable(await runPsAsync(PS_TABLE_ARGS)));
    if (generation === this.generation) this.keep(table);
  }

  forget(): void {
    this.generation++;
    this.current = undefined;
  }

  private table(): PsTable {
    return this.current ?? this.keep(new PsTable(parsePsTable(runPs(PS_TABLE_ARGS))));
  }

  /** A table answers only the turn it was read in: processes come and go between turns. */
  private keep(table: PsTable): PsTable {
    this.current = table;
    setImmediate(() => {
      if (this.current === table) this.current = undefined;
    }).unref();
    return table;
  }
}
