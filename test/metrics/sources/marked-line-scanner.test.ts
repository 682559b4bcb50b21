import { describe, expect, it } from "vitest";
import { LINE_MARKERS, SCAN_MARKERS } from "../../../src/metrics/sources/log-lines.js";
import {
  type AnchoredMarker,
  MarkedLineScanner,
} from "../../../src/metrics/sources/marked-line-scanner.js";
import { seededRandom } from "../generate-logs.js";

const MARKERS = ["MARK", "flag!"];

function scan(chunks: Buffer[], maxLineBytes?: number) {
  const marked: string[] = [];
  let unmarked = 0;
  const scanner = new MarkedLineScanner(
    MARKERS,
    { marked: (line) => marked.push(line), unmarked: (count) => (unmarked += count) },
    maxLineBytes,
  );
  for (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  return {
    marked,
    unmarked,
    lines: scanner.lines,
    blank: scanner.blankLines,
    bytes: scanner.bytes,
  };
}

/** The obvious, slow splitter the scanner must agree with. */
function naive(text: string) {
  const lines = text === "" ? [] : text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  const stripped = lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  const blank = stripped.filter((line) => line.length === 0).length;
  const marked = stripped.filter((line) => MARKERS.some((marker) => line.includes(marker)));
  return {
    marked,
    unmarked: stripped.length - blank - marked.length,
    lines: stripped.length,
    blank,
  };
}

function chunked(bytes: Buffer, random: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * 40);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe("MarkedLineScanner", () => {
  it("agrees with a naive split at every chunk boundary", () => {
    const random = seededRandom(7);
    const words = [
      "MARK",
      "flag!",
      "x",
      "é",
      "\r",
      "",
      "plain words",
      "MARK and flag!",
      "MAR",
      "K",
    ];
    for (let round = 0; round < 200; round += 1) {
      const lines = Array.from({ length: Math.floor(random() * 30) }, () =>
        Array.from(
          { length: Math.floor(random() * 4) },
          () => words[Math.floor(random() * words.length)],
        ).join(" "),
      );
      const text = lines.join(random() < 0.5 ? "\n" : "\r\n") + (random() < 0.5 ? "\n" : "");
      const bytes = Buffer.from(text);
      const expected = naive(text);
      const whole = scan([bytes]);
      const pieces = scan(chunked(bytes, random));
      for (const result of [whole, pieces]) {
        expect(result.marked).toEqual(expected.marked);
        expect(result.unmarked).toBe(expected.unmarked);
        expect(result.lines).toBe(expected.lines);
        expect(result.blank).toBe(expected.blank);
        expect(result.bytes).toBe(bytes.length);
      }
    }
  });

  it("hands a line holding two markers over once", () => {
    expect(scan([Buffer.from("MARK flag! MARK\n")]).marked).toEqual(["MARK flag! MARK"]);
  });

  it("does not cut a multi-byte character split across chunks", () => {
    const bytes = Buffer.from("MARK é ü 日本\n");
    const result = scan(Array.from(bytes, (byte) => Buffer.from([byte])));
    expect(result.marked).toEqual(["MARK é ü 日本"]);
  });

  it("drops a line longer than the limit as one unmarked line, and goes on after it", () => {
    const long = `MARK ${"x".repeat(100)}`;
    const bytes = Buffer.from(`before MARK\n${long}\nafter MARK\n`);
    const result = scan(chunked(bytes, seededRandom(3)), 50);
    expect(result.marked).toEqual(["before MARK", "after MARK"]);
    expect(result.unmarked).toBe(1);
    expect(result.lines).toBe(3);
  });

  it("drops a line longer than the limit however the chunks fall (one chunk, or many)", () => {
    const long = `MARK ${"x".repeat(100)}`;
    const bytes = Buffer.from(`before MARK\n${long}\r\nafter MARK`);
    const expected = { marked: ["before MARK", "after MARK"], unmarked: 1, lines: 3 };
    for (const chunks of [[bytes], Array.from(bytes, (byte) => Buffer.from([byte]))]) {
      const { marked, unmarked, lines } = scan(chunks, 50);
      expect({ marked, unmarked, lines }).toEqual(expected);
    }
  });

  it("keeps a partial last line out when the input breaks off", () => {
    const marked: string[] = [];
    const scanner = new MarkedLineScanner(MARKERS, {
      marked: (line) => marked.push(line),
      unmarked: () => {},
    });
    scanner.push(Buffer.from("MARK one\nMARK tw"));
    expect(scanner.abandon()).toEqual({ partialLineBytes: 7 });
    scanner.end();
    expect(marked).toEqual(["MARK one"]);
  });

  it("finds a marker through its anchor exactly where the plain marker is", () => {
    const random = seededRandom(11);
    const anchored: AnchoredMarker[] = [
      { text: "MARK", anchor: "RK" },
      { text: "flag!", anchor: "g!" },
    ];
    // Anchors without their marker, markers cut at either end, markers at a line's start and end.
    const words = [
      "MARK",
      "flag!",
      "RK",
      "ARK",
      "MAR",
      "g!",
      "ag!",
      "fla",
      "MARRK",
      "flg!",
      "x",
      "\r",
      "",
    ];
    const run = (markers: readonly (string | AnchoredMarker)[], chunks: Buffer[]) => {
      const marked: string[] = [];
      let unmarked = 0;
      const scanner = new MarkedLineScanner(markers, {
        marked: (line) => marked.push(line),
        unmarked: (count) => (unmarked += count),
      });
      for (const chunk of chunks) scanner.push(chunk);
      scanner.end();
      return { marked, unmarked, lines: scanner.lines };
    };
    for (let round = 0; round < 300; round += 1) {
      const lines = Array.from({ length: Math.floor(random() * 30) }, () =>
        Array.from(
          { length: Math.floor(random() * 4) },
          () => words[Math.floor(random() * words.length)],
        ).join(random() < 0.5 ? " " : ""),
      );
      const text = lines.join("\n") + (random() < 0.5 ? "\n" : "");
      const bytes = Buffer.from(text);
      const expected = naive(text);
      for (const chunks of [[bytes], chunked(bytes, random)]) {
        const result = run(anchored, chunks);
        expect(result.marked).toEqual(expected.marked);
        expect(result.unmarked).toBe(expected.unmarked);
        expect(result).toEqual(run(MARKERS, chunks));
      }
    }
  });

  it("finds Lambda's markers through SCAN_MARKERS exactly as through LINE_MARKERS", () => {
    const random = seededRandom(12);
    const words = [
      "REPORT RequestId:",
      "PORT RequestId:",
      "PORT R",
      "Task timed out after ",
      "k timed out",
      "k tim",
      '"platform.report"',
      "platform.report",
      "platf",
      "START RequestId:",
      "x",
    ];
    for (let round = 0; round < 300; round += 1) {
      const lines = Array.from({ length: Math.floor(random() * 20) }, () =>
        Array.from(
          { length: Math.floor(random() * 4) },
          () => words[Math.floor(random() * words.length)],
        ).join(random() < 0.5 ? " " : ""),
      );
      const bytes = Buffer.from(lines.join("\n"));
      const results = [LINE_MARKERS, SCAN_MARKERS].map((markers) => {
        const marked: string[] = [];
        const scanner = new MarkedLineScanner(markers, {
          marked: (line) => marked.push(line),
          unmarked: () => {},
        });
        for (const chunk of chunked(bytes, random)) scanner.push(chunk);
        scanner.end();
        return marked;
      });
      expect(results[1]).toEqual(results[0]);
    }
  });

  it("rejects an anchor that is not part of its marker", () => {
    const handlers = { marked: () => {}, unmarked: () => {} };
    expect(() => new MarkedLineScanner([{ text: "MARK", anchor: "RKS" }], handlers)).toThrow(
      /not part of/,
    );
  });

  it("offers a marked line's bytes first, and decodes only those not taken", () => {
    const marked: string[] = [];
    const offered: string[] = [];
    const scanner = new MarkedLineScanner(MARKERS, {
      marked: (line) => marked.push(line),
      markedBytes: (block, start, end) => {
        const line = block.toString("utf8", start, end);
        offered.push(line);
        return line.startsWith("take");
      },
      unmarked: () => {},
    });
    scanner.push(Buffer.from("take MARK\r\nleave MARK\nno\ntake flag!"));
    scanner.end();
    expect(offered).toEqual(["take MARK", "leave MARK", "take flag!"]);
    expect(marked).toEqual(["leave MARK"]);
    expect(scanner.lines).toBe(4);
  });
});
