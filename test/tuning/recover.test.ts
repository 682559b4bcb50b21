/**
 * recoverJournals without a Lambda API: what it does with each kind of journal
 * it can judge on its own (a local run's, a live tune's, an unreadable one),
 * and the report it returns. Restoring a function over the Lambda API is
 * covered end to end in tune-aws-path.test.ts and tune-weather.test.ts.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, UnreadableJournal } from "../../src/tuning/journal.js";
import { currentProcess } from "../../src/tuning/owner.js";
import {
  RecoverReportSchema,
  recoverJournals,
  recoveryIncomplete,
} from "../../src/tuning/recover.js";
import { exitedPid, writeJournalFile } from "../support/journal-files.js";

function journalFile(
  folder: string,
  runId: string,
  kind: "local" | "aws",
  functionName: string,
  owner: { pid: number; startTime: string | null; hostname: string | null },
): string {
  return writeJournalFile(folder, runId, { kind, functionName, owner });
}

describe("recoverJournals", () => {
  it("reports every pending journal in start order: a local run's is removed, a live tune's and an unreadable one kept", async () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-recover-"));
    const dead = { pid: await exitedPid(), startTime: null, hostname: null };
    const local = journalFile(folder, "20260101T000000-aaaaaa", "local", "handler", dead);
    const live = journalFile(folder, "20260102T000000-bbbbbb", "aws", "orders", currentProcess());
    const corrupt = join(folder, "20260103T000000-cccccc.json");
    writeFileSync(corrupt, "");

    const report = await recoverJournals({ journalFolder: folder });

    expect(RecoverReportSchema.parse(report)).toEqual({
      recovered: [
        {
          journal: local,
          functionName: "handler",
          status: "nothing-to-restore",
          outcome: "local run: nothing to restore",
        },
        {
          journal: live,
          functionName: "orders",
          status: "still-running",
          outcome: `skipped: its tune is still running (pid ${process.pid}) and will restore the function itself`,
        },
        {
          journal: corrupt,
          functionName: null,
          status: "unreadable",
          outcome: "skipped: it is empty",
        },
      ],
    });
    expect(existsSync(local)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(corrupt)).toBe(true);
    expect(recoveryIncomplete(report)).toBe(true);
  });

  it("recovers one named journal, and throws UnreadableJournal when that one cannot be read", async () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-recover-"));
    const dead = { pid: await exitedPid(), startTime: null, hostname: null };
    const local = journalFile(folder, "20260101T000000-aaaaaa", "local", "handler", dead);
    const other = journalFile(folder, "20260102T000000-bbbbbb", "local", "other", dead);
    const report = await recoverJournals({ journalFolder: folder, journal: local });
    expect(report.recovered.map((entry) => entry.functionName)).toEqual(["handler"]);
    expect(recoveryIncomplete(report)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(Journal.pending(folder)).toEqual([other]);

    const missing = join(folder, "gone.json");
    const refused = recoverJournals({ journalFolder: folder, journal: missing });
    await expect(refused).rejects.toBeInstanceOf(UnreadableJournal);
    await expect(refused).rejects.toThrow(`${missing}: cannot read it (ENOENT)`);
  });

  it("reports nothing, and nothing incomplete, where no tune left a journal", async () => {
    const report = await recoverJournals({ journalFolder: join(tmpdir(), "lo-no-such-folder") });
    expect(report).toEqual({ recovered: [] });
    expect(recoveryIncomplete(report)).toBe(false);
  });
});
