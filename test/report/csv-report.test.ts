import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, renderCsv } from "../../src/report/csv-report.js";
import { configuration, tuneResult } from "./fixture.js";

/** A small RFC 4180 reader, enough to check what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index++;
    } else field += char;
  }
  return rows;
}

describe("renderCsv", () => {
  it("writes a header and one CRLF-terminated row per configuration, in table order", () => {
    const result = tuneResult();
    const csv = renderCsv(result);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replaceAll("\r\n", "")).not.toMatch(/\n/);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(CSV_COLUMNS.map((column) => column.name));
    expect(rows).toHaveLength(result.results.length);
    const keys = rows.map((row) => `${row[1]} ${row[2]}`);
    expect(keys.slice(0, 4)).toEqual(["128 x86_64", "128 arm64", "256 x86_64", "256 arm64"]);
    for (const row of rows) expect(row).toHaveLength(header!.length);
  });

  it("writes the measurements, the winner and the ties", () => {
    const result = tuneResult();
    const rows = parseCsv(renderCsv(result)).slice(1);
    const column = (name: string) => CSV_COLUMNS.findIndex((c) => c.name === name);
    const winner = rows.find((row) => row[column("recommended")] === "true")!;
    expect(`${winner[column("memory_mb")]} ${winner[column("architecture")]}`).toBe(
      `${result.recommendation!.memoryMb} ${result.recommendation!.architecture}`,
    );
    const winnerResult = result.results.find(
      (r) =>
        r.memoryMb === result.recommendation!.memoryMb &&
        r.architecture === result.recommendation!.architecture,
    )!;
    expect(Number(winner[column("cost_per_invocation_usd")])).toBeCloseTo(
      winnerResult.costPerInvocationUsd,
      15,
    );
    expect(Number(winner[column("duration_p95_ms")])).toBe(winnerResult.durationMs.p95);
    expect(rows.filter((row) => row[column("tied_with_recommended")] === "true")).toHaveLength(
      result.recommendation!.tiedWith.length,
    );
  });

  it("writes small amounts in plain decimals, never in exponent notation", () => {
    const csv = renderCsv(tuneResult());
    expect(csv).not.toMatch(/\de-\d/i);
    expect(csv).toMatch(/,0\.0000055\d+,/);
  });

  it("leaves a failed configuration's measurements empty and keeps its error", () => {
    const rows = parseCsv(renderCsv(tuneResult())).slice(1);
    const failed = rows.find((row) => row[3] === "failed")!;
    const column = (name: string) => CSV_COLUMNS.findIndex((c) => c.name === name);
    expect(failed[column("error_type")]).toBe("Runtime.OutOfMemory");
    expect(failed[column("duration_p50_ms")]).toBe("");
    expect(failed[column("cost_per_invocation_usd")]).toBe("");
  });

  it("quotes fields holding commas, quotes and line breaks (RFC 4180)", () => {
    const message = 'Task timed out, said "handler"\nat line 2';
    const result = tuneResult({
      results: [
        configuration({
          memoryMb: 128,
          architecture: "x86_64",
          durationMs: 0,
          failed: { type: "Sandbox.Timedout", message },
        }),
        configuration({ memoryMb: 256, architecture: "x86_64", durationMs: 100 }),
      ],
    });
    const csv = renderCsv(result);
    expect(csv).toContain(`"Task timed out, said ""handler""\nat line 2"`);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(3);
    expect(rows[1]![CSV_COLUMNS.findIndex((c) => c.name === "error_message")]).toBe(message);
  });

  it("keeps user text from starting a spreadsheet formula", () => {
    const result = tuneResult({
      target: { ...tuneResult().target, functionName: "=HYPERLINK(1)" },
    });
    const rows = parseCsv(renderCsv(result));
    expect(rows[1]![0]).toBe("'=HYPERLINK(1)");
  });
});
