import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LogStore } from "../../../src/emulator/log-store.js";
import { endLines, startLine, timeoutLine } from "../../../src/emulator/platform-log.js";
import type { Report } from "../../../src/lambda/report-line.js";
import { readEmulatorLogs } from "../../../src/metrics/sources/emulator-logs.js";
import { LogFileError } from "../../../src/metrics/sources/log-files.js";
import { generateLog } from "../generate-logs.js";
import { RecordingSink } from "../recording-sink.js";

/** Write invocations through the emulator's own LogStore and platform lines. */
async function writeEmulatorLogs(
  stateDir: string,
  format: "Text" | "JSON",
  functionNames: string[],
) {
  const store = new LogStore(join(stateDir, "logs"));
  const log = generateLog({
    functionNames,
    invocationsPerFunction: 120,
    format: "text",
    seed: 31,
    withXray: true,
  });
  for (const { functionName, report, timedOut } of log.invocations) {
    store.append(functionName, startLine(format, report.requestId, "$LATEST"));
    store.append(functionName, `2026-11-28T10:00:00.000Z\t${report.requestId}\tINFO\twork`);
    if (timedOut) store.append(functionName, timeoutLine(format, report.requestId, 3));
    for (const line of endLines(format, report)) store.append(functionName, line);
  }
  await store.close();
  return log.invocations;
}

describe("readEmulatorLogs", () => {
  it.each(["Text", "JSON"] as const)(
    "reads every function's %s logs, named by the folder",
    async (format) => {
      const stateDir = mkdtempSync(join(tmpdir(), "lo-emulator-logs-"));
      const invocations = await writeEmulatorLogs(stateDir, format, ["orders", "payments"]);
      const sink = new RecordingSink();
      const result = await readEmulatorLogs(stateDir, sink);
      expect(result.functions).toEqual(["orders", "payments"]);
      expect(result.problems).toEqual([]);
      for (const name of ["orders", "payments"]) {
        const truth = invocations.filter((i) => i.functionName === name);
        // The emulator keeps an event's line breaks as \r, so even the X-Ray tail is read.
        expect(sink.reports.get(name)).toEqual(truth.map((i) => i.report as Report));
        expect(sink.timeouts.get(name) ?? 0).toBe(truth.filter((i) => i.timedOut).length);
      }
      // START, the function's line, and END in the text format.
      const perInvocation = format === "Text" ? 3 : 2;
      expect(sink.skippedLines).toBe(invocations.length * perInvocation);
    },
  );

  it("reads only the functions asked for and the days since a date", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "lo-emulator-logs-"));
    const folder = join(stateDir, "logs", "orders");
    mkdirSync(folder, { recursive: true });
    mkdirSync(join(stateDir, "logs", "other"), { recursive: true });
    const report = (day: string) =>
      `REPORT RequestId: ${day}-0000-0000\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n`;
    for (const day of ["2026-11-26", "2026-11-27", "2026-11-28"]) {
      writeFileSync(join(folder, `${day}.log`), report(day));
    }
    writeFileSync(join(folder, "notes.txt"), "not a day file\n");
    writeFileSync(join(stateDir, "logs", "other", "2026-11-28.log"), report("2026-11-28"));
    const sink = new RecordingSink();
    const result = await readEmulatorLogs(stateDir, sink, {
      functionNames: ["orders"],
      since: new Date("2026-11-27T15:00:00Z"),
    });
    expect(result).toMatchObject({ functions: ["orders"], files: 2, lines: 2 });
    expect(sink.reports.get("orders")?.map((r) => r.requestId)).toEqual([
      "2026-11-27-0000-0000",
      "2026-11-28-0000-0000",
    ]);
    expect(sink.reports.has("other")).toBe(false);
  });

  it("names an unknown function and the functions that have logs", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "lo-emulator-logs-"));
    mkdirSync(join(stateDir, "logs", "orders"), { recursive: true });
    const reading = readEmulatorLogs(stateDir, new RecordingSink(), { functionNames: ["nope"] });
    await expect(reading).rejects.toBeInstanceOf(LogFileError);
    await expect(reading).rejects.toThrow(
      /no emulator logs for nope .*functions with logs: orders/,
    );
  });

  it("finds no functions where nothing ran yet", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "lo-emulator-logs-"));
    expect(await readEmulatorLogs(stateDir, new RecordingSink())).toEqual({
      functions: [],
      files: 0,
      lines: 0,
      problems: [],
    });
  });
});
