/**
 * Which process holds the client end of a loopback TCP connection, asked only
 * about the processes we expect (an environment's own runtime), so the answer
 * is cheap: "is it one of these?".
 *
 * Linux: the client socket's inode from /proc/net/tcp{,6} (its local port is
 * our peer's port, its remote port ours), then whether one of the pids has a
 * file descriptor linked to socket:[inode]. Elsewhere (macOS, the BSDs):
 * `lsof` restricted to those pids, and on Linux too when the caller reads no
 * /proc (the portable sandbox, which stands in for those hosts). Where
 * neither exists the answer is "unknown" and the caller decides.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export type Ownership = "owned" | "foreign" | "unknown";

export interface ConnectionEnds {
  /** The client's port: the remote port of the socket we accepted. */
  readonly clientPort: number;
  /** Our listening port. */
  readonly serverPort: number;
}

const TCP_TABLES = ["/proc/net/tcp", "/proc/net/tcp6"];

export interface TraceOptions {
  /** Never read /proc, even where it exists: go straight to lsof. */
  readonly withoutProc?: boolean;
}

export async function connectionOwner(
  ends: ConnectionEnds,
  pids: readonly number[],
  options: TraceOptions = {},
): Promise<Ownership> {
  const tables = options.withoutProc ? undefined : readTcpTables();
  if (tables !== undefined) return ownerFromProc(tables, ends, pids);
  return ownerFromLsof(ends, pids);
}

function readTcpTables(): string[] | undefined {
  const tables: string[] = [];
  for (const path of TCP_TABLES) {
    try {
      tables.push(readFileSync(path, "latin1"));
    } catch {
      // no IPv6 table is fine; no table at all means no /proc
    }
  }
  return tables.length > 0 ? tables : undefined;
}

/** Inodes of the client ends: sockets whose local port is the client's and remote port ours. */
export function socketInodes(tables: readonly string[], ends: ConnectionEnds): Set<string> {
  const local = `:${hexPort(ends.clientPort)}`;
  const remote = `:${hexPort(ends.serverPort)}`;
  const inodes = new Set<string>();
  for (const table of tables) {
    for (const line of table.split("\n").slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      if (fields[1]!.endsWith(local) && fields[2]!.endsWith(remote) && fields[9] !== "0")
        inodes.add(fields[9]!);
    }
  }
  return inodes;
}

function ownerFromProc(
  tables: readonly string[],
  ends: ConnectionEnds,
  pids: readonly number[],
): Ownership {
  const inodes = socketInodes(tables, ends);
  // Not in this network namespace's table: not a process of ours.
  if (inodes.size === 0) return "foreign";
  const links = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited
    }
    for (const fd of fds) {
      try {
        if (links.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return "owned";
      } catch {
        // closed while we looked
      }
    }
  }
  return "foreign";
}

function ownerFromLsof(ends: ConnectionEnds, pids: readonly number[]): Promise<Ownership> {
  if (pids.length === 0) return Promise.resolve("foreign");
  return new Promise((resolve) => {
    execFile(
      "lsof",
      ["-nP", "-a", "-p", pids.join(","), `-iTCP:${ends.clientPort}`, "-Fn"],
      { timeout: 5000 },
      (error, stdout) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === "ENOENT") return resolve("unknown");
        // lsof exits 1 when nothing matched: a foreign process.
        resolve(lsofShowsConnection(stdout, ends) ? "owned" : "foreign");
      },
    );
  });
}

/** In lsof -Fn output, a name line n<host>:<clientPort>-><host>:<serverPort>. */
export function lsofShowsConnection(output: string, ends: ConnectionEnds): boolean {
  return output
    .split("\n")
    .some(
      (line) =>
        line.startsWith("n") &&
        line.includes(`:${ends.clientPort}->`) &&
        line.endsWith(`:${ends.serverPort}`),
    );
}

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, "0");
}
