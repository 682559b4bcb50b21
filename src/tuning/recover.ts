/**
 * Recovery after a tune that did not finish (killed, or its Lambda API gone):
 * restore every function a pending journal names, and report each journal in
 * one entry. A journal whose tune is still running is left alone; one that
 * cannot be read, or whose function cannot be restored now, is reported and
 * the others are still recovered. `tune --recover` and the MCP server call
 * this; the CLI only prints the report.
 */
import { z } from "zod";
import { describeFailure } from "../aws/failure-description.js";
import { createLambdaClient } from "../aws/lambda-client.js";
import { Journal, UnreadableJournal } from "./journal.js";
import { LambdaTarget } from "./lambda-target.js";
import { restoreFunction } from "./restore.js";

export const RECOVERY_STATUSES = [
  /** The function is as it was before the tune; the journal is removed. */
  "restored",
  /** A local run's journal: its emulator is gone with it, so nothing outside changed. Removed. */
  "nothing-to-restore",
  /** Its tune is alive and will restore the function itself: left alone. */
  "still-running",
  /** The journal cannot be read: left in place, recovery incomplete. */
  "unreadable",
  /** The Lambda API refused or did not answer: left in place, to recover again later. */
  "not-restored",
] as const;
export type RecoveryStatus = (typeof RECOVERY_STATUSES)[number];

export const RecoveryEntrySchema = z.object({
  /** The journal file. */
  journal: z.string(),
  /** The function it names; null when the journal cannot be read. */
  functionName: z.string().nullable(),
  status: z.enum(RECOVERY_STATUSES),
  /** What happened, in words: "restored", "skipped: its tune is still running (pid 4242) ...". */
  outcome: z.string(),
});
export type RecoveryEntry = z.infer<typeof RecoveryEntrySchema>;

/** What `tune --recover --json` prints: one entry per journal, in file name (start time) order. */
export const RecoverReportSchema = z.object({ recovered: z.array(RecoveryEntrySchema) });
export type RecoverReport = z.infer<typeof RecoverReportSchema>;

export interface RecoverOptions {
  /** Where tunes keep their journals: every pending one there is recovered. */
  readonly journalFolder: string;
  /** Recover this journal file only; an unreadable one throws UnreadableJournal. */
  readonly journal?: string;
  /** Replace the journal's region, profile or endpoint (one that moved since the tune). */
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

export async function recoverJournals(options: RecoverOptions): Promise<RecoverReport> {
  const files =
    options.journal !== undefined ? [options.journal] : Journal.pending(options.journalFolder);
  const recovered: RecoveryEntry[] = [];
  for (const file of files) recovered.push(await recoverJournal(file, options));
  return { recovered };
}

/** Whether any journal is left to recover later: unreadable, or its function not restored. */
export function recoveryIncomplete(report: RecoverReport): boolean {
  return report.recovered.some(
    (entry) => entry.status === "unreadable" || entry.status === "not-restored",
  );
}

async function recoverJournal(file: string, options: RecoverOptions): Promise<RecoveryEntry> {
  let journal: Journal;
  try {
    journal = Journal.read(file);
  } catch (error) {
    if (!(error instanceof UnreadableJournal) || options.journal !== undefined) throw error;
    return {
      journal: file,
      functionName: null,
      status: "unreadable",
      outcome: `skipped: ${error.reason}`,
    };
  }
  const { target } = journal.contents;
  const entry = (status: RecoveryStatus, outcome: string): RecoveryEntry => ({
    journal: file,
    functionName: target.functionName,
    status,
    outcome,
  });
  const owner = journal.liveOwner();
  if (owner) {
    return entry(
      "still-running",
      `skipped: its tune is still running (pid ${owner.pid}) and will restore the function itself`,
    );
  }
  if (target.kind === "local") {
    // The embedded emulator lived and died with that run: nothing outside it changed.
    journal.close();
    return entry("nothing-to-restore", "local run: nothing to restore");
  }
  const endpointUrl = options.endpointUrl ?? target.endpointUrl;
  const profile = options.profile ?? target.profile;
  const client = createLambdaClient({
    region: options.region ?? target.region,
    ...(profile ? { profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
  });
  try {
    await restoreFunction(new LambdaTarget(client, target.functionName), journal);
    journal.close();
    return entry("restored", "restored");
  } catch (error) {
    return entry(
      "not-restored",
      `not restored yet: ${describeFailure(error)} (run --recover again)`,
    );
  } finally {
    client.destroy();
  }
}
