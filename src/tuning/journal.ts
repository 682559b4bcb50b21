/**
 * The tuning journal: before the tuner changes anything in a function, it
 * writes down what the function was and, as it goes, every version and alias
 * it creates or touches. Whatever ends the run — success, failure, Ctrl-C, or
 * a kill -9 followed by `tune --recover` — the journal is how the function is
 * put back exactly as it was. One JSON file per run, replaced atomically.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ARCHITECTURES } from "../pricing/price-table.js";

export const JournalSchema = z.object({
  runId: z.string(),
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
      "createdVersions" | "createdAliases" | "touchedAliases" | "latestChanged"
    >,
  ): Journal {
    mkdirSync(folder, { recursive: true });
    const journal = new Journal(join(folder, `${data.runId}.json`), {
      ...data,
      createdVersions: [],
      createdAliases: [],
      touchedAliases: [],
      latestChanged: false,
    });
    journal.save();
    return journal;
  }

  static read(file: string): Journal {
    return new Journal(file, JournalSchema.parse(JSON.parse(readFileSync(file, "utf8"))));
  }

  /** Journals left behind by runs that did not finish. */
  static pending(folder: string): string[] {
    try {
      return readdirSync(folder)
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => join(folder, name));
    } catch {
      return [];
    }
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
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temporary, this.file);
  }
}
