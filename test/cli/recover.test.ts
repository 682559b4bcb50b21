/**
 * `tune --recover --json` as a user runs it: one JSON document whose shape is
 * RecoverReportSchema, a line per journal without --json, exit 3 while a
 * journal is left to recover, and exit 2 for a named journal it cannot read.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RecoverReportSchema } from "../../src/tuning/recover.js";
import { exitedPid, writeJournalFile } from "../support/journal-files.js";
import { runCli } from "./run-cli.js";

/** A loopback port nothing listens on: a Lambda API that has gone away. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A journal a killed tune left: a version published and $LATEST changed, both to undo. */
function writeJournal(
  folder: string,
  runId: string,
  target: { kind: "local" | "aws"; functionName: string; endpointUrl: string | null },
  pid: number,
): string {
  return writeJournalFile(folder, runId, {
    ...target,
    owner: { pid, startTime: null, hostname: null },
    createdVersions: ["3"],
    latestChanged: true,
  });
}

describe("lambda-optimizer tune --recover", () => {
  it("prints RecoverReportSchema with --json, and exits 3 while a function is not restored", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-recover-cli-"));
    const folder = join(cwd, ".lambda-optimizer", "journal");
    mkdirSync(folder, { recursive: true });
    const pid = await exitedPid();
    const gone = `http://127.0.0.1:${await closedPort()}`;
    const local = writeJournal(
      folder,
      "20260101T000000-aaaaaa",
      { kind: "local", functionName: "handler", endpointUrl: null },
      pid,
    );
    const stranded = writeJournal(
      folder,
      "20260102T000000-bbbbbb",
      { kind: "aws", functionName: "orders", endpointUrl: gone },
      pid,
    );
    const env = {
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_MAX_ATTEMPTS: "1",
    };

    const json = runCli(["tune", "--recover", "--json"], { cwd, env });
    expect(json.stderr).toBe("");
    expect(json.status).toBe(3);
    const report = RecoverReportSchema.parse(JSON.parse(json.stdout));
    expect(report.recovered).toEqual([
      {
        journal: local,
        functionName: "handler",
        status: "nothing-to-restore",
        outcome: "local run: nothing to restore",
      },
      {
        journal: stranded,
        functionName: "orders",
        status: "not-restored",
        outcome: expect.stringMatching(
          /^not restored yet: ECONNREFUSED: .*connect ECONNREFUSED 127\.0\.0\.1:\d+ \(run --recover again\)$/,
        ),
      },
    ]);
    expect(existsSync(local)).toBe(false);
    expect(existsSync(stranded)).toBe(true);

    const text = runCli(["tune", "--recover"], { cwd, env });
    expect(text.status).toBe(3);
    expect(text.stdout).toMatch(
      /^orders: not restored yet: ECONNREFUSED: .+ \(run --recover again\) \(.+20260102T000000-bbbbbb\.json\)\n$/,
    );
  });

  it("prints an empty report when no tune left a journal, and exits 0", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-recover-cli-"));
    const json = runCli(["tune", "--recover", "--json"], { cwd });
    expect(json.status).toBe(0);
    expect(RecoverReportSchema.parse(JSON.parse(json.stdout))).toEqual({ recovered: [] });
    const text = runCli(["tune", "--recover"], { cwd });
    expect(text.stdout).toBe("Nothing to recover: no unfinished tuning journal.\n");
  });

  it("exits 2 in one line for a named journal it cannot read", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-recover-cli-"));
    const file = join(cwd, "broken.json");
    writeFileSync(file, '{"runId": 7}');
    const result = runCli(["tune", "--recover", file, "--json"], { cwd });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `lambda-optimizer: --recover ${file}: not a tuning journal: runId: Invalid input: expected string, received number\n`,
    );
  });
});
