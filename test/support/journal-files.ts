/**
 * Journals as a tune leaves them, for the tests of `tune --recover` and the
 * journal's lock: a file written by hand, owned by a process that has exited
 * (so the tune that wrote it is over) or by a live one.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** The pid of a process that has just exited: the owner of a tune that was killed. */
export async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid ?? 999_999;
}

export interface JournalFileOptions {
  readonly kind: "local" | "aws";
  readonly functionName: string;
  readonly owner: { pid: number; startTime: string | null; hostname: string | null };
  readonly endpointUrl?: string | null;
  /** A version the tune published and did not delete: something left to restore. */
  readonly createdVersions?: readonly string[];
  readonly latestChanged?: boolean;
}

/** A journal file as a tune writes it, in `folder`; returns its path. */
export function writeJournalFile(
  folder: string,
  runId: string,
  options: JournalFileOptions,
): string {
  const file = join(folder, `${runId}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      runId,
      owner: options.owner,
      runMark: `lambda-optimizer tune ${runId}`,
      createdAt: "2026-01-01T00:00:00.000Z",
      target: {
        kind: options.kind,
        functionName: options.functionName,
        region: "us-east-1",
        profile: null,
        endpointUrl: options.endpointUrl ?? null,
      },
      original: { memoryMb: 512, architecture: "x86_64", description: "", environment: {} },
      preexistingVersions: [],
      createdVersions: options.createdVersions ?? [],
      createdAliases: [],
      touchedAliases: [],
      latestChanged: options.latestChanged ?? false,
    }),
  );
  return file;
}
