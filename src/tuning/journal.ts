/**
 * The tuning journal: before the tuner changes anything in a function, it
 * writes down what the function was and, as it goes, every version and alias
 * it creates or touches. Whatever ends the run — success, failure, Ctrl-C, or
 * a kill -9 followed by `tune --recover` — the journal is how the function is
 * put back exactly as it was. One JSON file per run, replaced atomically
 * (a temporary file, then rename; the temporary is removed if the write fails).
 *
 * The journal is also the run's lock: it names the process that owns it (pid,
 * and the kernel's start time of that pid where /proc has it, so a reused pid
 * does not count), and recovery leaves alone a journal whose owner is alive.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ARCHITECTURES } from "../pricing/price-table.js";
import { STATE_FOLDER } from "../state-folder.js";
import { currentProcess, isAlive, type ProcessIdentity, ProcessIdentitySchema } from "./owner.js";

/** Where a tune keeps its journals unless told otherwise (relative to the current folder), and `tune --recover` looks. */
export const JOURNAL_FOLDER = join(STATE_FOLDER, "journal");

export const JournalSchema = z.object({
  runId: z.string(),
  /** The tune that writes this journal; absent in journals written before the lock existed. */
  owner: ProcessIdentitySchema.optional(),
  /** The description prefix of every version this run publishes. */
  runMark: z.string(),
  createdAt: z.string(),
  target: z.object({
    kind: z.enum(["local", "aws"]),
    functionName: z.string(),
    region: z.string(),
    profile: z.string().nullable(),
    endpointUrl: z.string().nullable(),
  }),
  original: z.object({
    memoryMb: z.number(),
    architecture: z.enum(ARCHITECTURES),
    description: z.string(),
    environment: z.record(z.string(), z.string()),
  }),
  /** Versions that existed before the run: never deleted, whatever PublishVersion returns. */
  preexistingVersions: z.array(z.string()),
  /** Versions this run published (deleted at the end). */
  createdVersions: z.array(z.string()),
  /** Aliases this run created (deleted at the end). */
  createdAliases: z.array(z.string()),
  /** Aliases that existed and that the run repointed (--apply --alias): restored at the end unless applied. */
  touchedAliases: z.array(z.object({ name: z.string(), functionVersion: z.string() })),
  /** True between an update of $LATEST and its restore. */
  latestChanged: z.boolean(),
});
export type JournalData = z.infer<typeof JournalSchema>;

export class Journal {
  private constructor(
    readonly file: string,
    private data: JournalData,
  ) {}

  static create(
    folder: string,
    data: Omit<
      JournalData,
      "owner" | "createdVersions" | "createdAliases" | "touchedAliases" | "latestChanged"
    >,
  ): Journal {
    mkdirSync(folder, { recursive: true });
    const journal = new Journal(join(folder, `${data.runId}.json`), {
      ...data,
      owner: currentProcess(),
      createdVersions: [],
      createdAliases: [],
      touchedAliases: [],
      latestChanged: false,
    });
    journal.save();
    return journal;
  }

  /** Throws UnreadableJournal, whose message is one line: what is wrong and where. */
  static read(file: string): Journal {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new UnreadableJournal(file, `cannot read it (${errorCode(error)})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new UnreadableJournal(
        file,
        text.trim() === "" ? "it is empty" : `not valid JSON (${(error as Error).message})`,
      );
    }
    const parsed = JournalSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
      throw new UnreadableJournal(
        file,
        `not a tuning journal: ${where}: ${issue?.message ?? "invalid"}`,
      );
    }
    return new Journal(file, parsed.data);
  }

  /**
   * Journals left behind by runs that did not finish. Temporary files of
   * writers that are gone (a kill between write and rename) are removed.
   */
  static pending(folder: string): string[] {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return [];
    }
    for (const name of names) {
      const writer = /\.(\d+)\.tmp$/.exec(name);
      if (writer && !isAlive({ pid: Number(writer[1]), startTime: null, hostname: null }))
        rmSync(join(folder, name), { force: true });
    }
    return names
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => join(folder, name));
  }

  /** The live process that owns this journal, if any: recovery must not touch its function. */
  liveOwner(): ProcessIdentity | undefined {
    const owner = this.data.owner;
    return owner && isAlive(owner) ? owner : undefined;
  }

  get contents(): Readonly<JournalData> {
    return this.data;
  }

  update(change: (data: JournalData) => JournalData): void {
    this.data = change(this.data);
    this.save();
  }

  /** The run is over and the function is as it was (or as --apply left it). */
  close(): void {
    rmSync(this.file, { force: true });
  }

  private save(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
      renameSync(temporary, this.file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

/** A journal file that cannot be used: a one-line reason, never a dump. */
export class UnreadableJournal extends Error {
  override readonly name = "UnreadableJournal";
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
