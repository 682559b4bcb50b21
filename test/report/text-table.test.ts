import { describe, expect, it } from "vitest";
import { displayWidth, renderRows, renderTextTable } from "../../src/report/text-table.js";

// "café" with its accent as a combining mark (e + U+0301): five code points, four columns.
const CAFE = "cafe\u0301";

describe("displayWidth: the columns a terminal gives text", () => {
  it.each([
    ["plain ASCII", "orders", 6],
    ["CJK, two columns each", "注文-処理", 9],
    ["a combining accent takes none", CAFE, 4],
    ["an emoji takes two", "👍", 2],
    ["a family emoji joined by ZWJ is one glyph", "👨‍👩‍👧", 2],
    ["Hangul", "한국어", 6],
  ])("%s: %s is %i", (_what, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe("renderTextTable", () => {
  it("keeps columns in line when a function name is wide or carries a combining mark", () => {
    const table = renderTextTable(
      [
        { header: "Function", align: "left" },
        { header: "p50 ms", align: "right" },
      ],
      [
        ["注文-処理", "1,234"],
        [CAFE, "5"],
        ["orders", "56.8"],
      ],
    );
    expect(table.split("\n")).toEqual([
      "  Function   p50 ms",
      "  ─────────  ──────",
      "  注文-処理   1,234",
      `  ${CAFE}            5`,
      "  orders       56.8",
    ]);
    // Every line ends at the same terminal column: 2 indent + 9 + 2 + 6.
    for (const line of table.split("\n")) expect(displayWidth(line)).toBe(19);
  });
});

describe("renderRows", () => {
  it("puts the last column (amounts) on the right, in line under wide and combined names", () => {
    const rows = renderRows([
      ["注文-処理", "compute", "$1.20"],
      [CAFE, "requests", "$0.20"],
      ["👍 total", "", "$1.40"],
    ]);
    expect(rows.split("\n")).toEqual([
      "  注文-処理  compute   $1.20",
      `  ${CAFE}       requests  $0.20`,
      "  👍 total             $1.40",
    ]);
    for (const line of rows.split("\n")) expect(displayWidth(line)).toBe(28);
  });
});
