/**
 * The journal as a lock and as a file that must never be half-written or
 * unreadable in a way that stops recovery of the others.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, UnreadableJournal } from "../../src/tuning/journal.js";
import { currentProcess, isAlive } from "../../src/tuning/owner.js";
import { exitedPid } from "../support/journal-files.js";

const folder = () => mkdtempSync(join(tmpdir(), "lo-journal-"));

function create(where: string, runId = "20260101T000000-abcdef"): Journal {
  return Journal.create(where, {
    runId,
    runMark: `lambda-optimizer tune ${runId}`,
    createdAt: "2026-01-01T00:00:00.000Z",
    target: {
      kind: "aws",
      functionName: "orders",
      region: "us-east-1",
      profile: null,
      endpointUrl: null,
    },
    original: { memoryMb: 1024, architecture: "x86_64", description: "", environment: {} },
    preexistingVersions: [],
  });
}

describe("the journal's owner", () => {
  it("is this process while it runs, and a reused pid with another start time is not it", async () => {
    const where = folder();
    const journal = create(where);
    const owner = Journal.read(journal.file).liveOwner();
    expect(owner).toEqual(currentProcess());
    expect(owner?.pid).toBe(process.pid);
    // Same pid, another start time: the pid was given to another process since.
    expect(isAlive({ ...currentProcess(), startTime: "1" })).toBe(
      currentProcess().startTime === null,
    );
    expect(isAlive({ pid: await exitedPid(), startTime: null, hostname: null })).toBe(false);
    // On another host a pid cannot be checked: it counts as alive, so recovery keeps off.
    expect(isAlive({ pid: await exitedPid(), startTime: null, hostname: "elsewhere" })).toBe(true);
  });
});

describe("Journal.read", () => {
  it("says in one line what is wrong with a journal it cannot use", () => {
    const where = folder();
    const cases: [string, string, RegExp][] = [
      ["empty.json", "", /: it is empty$/],
      ["cut.json", '{"runId": "2026', /: not valid JSON \(.+\)$/],
      ["other.json", JSON.stringify({ runId: 7 }), /: not a tuning journal: runId: .+$/],
    ];
    for (const [name, text, reason] of cases) {
      const file = join(where, name);
      writeFileSync(file, text);
      let thrown: unknown;
      try {
        Journal.read(file);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UnreadableJournal);
      expect((thrown as Error).message).toMatch(reason);
      expect((thrown as Error).message.startsWith(file)).toBe(true);
      expect((thrown as Error).message).not.toContain("\n");
    }
  });
});

describe("saving a journal", () => {
  it("leaves no temporary file when the write fails", () => {
    const where = folder();
    const journal = create(where);
    // The rename cannot replace a directory that holds something: the temporary is written, then the write fails.
    rmSync(journal.file);
    mkdirSync(journal.file);
    writeFileSync(join(journal.file, "in-the-way"), "");
    expect(() => journal.update((data) => ({ ...data, latestChanged: true }))).toThrow();
    expect(readdirSync(where)).toEqual(["20260101T000000-abcdef.json"]);
  });

  it("pending() removes temporaries of writers that are gone, and keeps a live writer's", async () => {
    const where = folder();
    create(where);
    const dead = join(where, `20260101T000000-abcdef.json.${await exitedPid()}.tmp`);
    const live = join(where, `20260101T000000-abcdef.json.${process.pid}.tmp`);
    writeFileSync(dead, "");
    writeFileSync(live, "");
    expect(Journal.pending(where)).toEqual([join(where, "20260101T000000-abcdef.json")]);
    expect(readdirSync(where).sort()).toEqual(
      ["20260101T000000-abcdef.json", `20260101T000000-abcdef.json.${process.pid}.tmp`].sort(),
    );
  });
});
