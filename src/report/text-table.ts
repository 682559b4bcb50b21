/**
 * Text laid out in terminal columns: the one place that pads cells, by the width a terminal gives
 * them (a CJK character or an emoji takes two columns, a combining accent none), so a function
 * named 注文-処理 or café keeps its row's columns in line. A table's columns each say how they
 * align: numbers on the right, words on the left.
 */
import stringWidth from "string-width";

export type Alignment = "left" | "right";

export interface TextColumn {
  header: string;
  align: Alignment;
}

/** A row of cells, or a note printed on its own line under the previous row (an error, say). */
export type TextRow = readonly string[] | { note: string };

export function renderTextTable(
  columns: readonly TextColumn[],
  rows: readonly TextRow[],
  indent = "  ",
): string {
  const header = columns.map((column) => column.header);
  const cellRows = [header, ...rows.filter((row): row is readonly string[] => !isNote(row))];
  const widths = columnWidths(cellRows);
  const align = columns.map((column) => column.align);
  const line = (cells: readonly string[]) => `${indent}${joinCells(cells, widths, align)}`;
  const noteIndent = `${indent}${" ".repeat((widths[0] ?? 0) + 2)}`;
  return [
    line(header),
    line(widths.map((width) => "─".repeat(width))),
    ...rows.map((row) => (isNote(row) ? `${noteIndent}${row.note}` : line(row))),
  ].join("\n");
}

/**
 * Rows without a header rule: words on the left, the last column (amounts) on the right, as a
 * price breakdown or a list of figures reads.
 */
export function renderRows(rows: readonly (readonly string[])[], indent = "  "): string {
  const widths = columnWidths(rows);
  const align = widths.map(
    (_, index): Alignment => (index === widths.length - 1 ? "right" : "left"),
  );
  return rows.map((row) => `${indent}${joinCells(row, widths, align)}`).join("\n");
}

function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, displayWidth(cell));
    });
  }
  return widths;
}

function joinCells(
  cells: readonly string[],
  widths: readonly number[],
  align: readonly Alignment[],
): string {
  return cells
    .map((cell, index) => padToWidth(cell, widths[index] ?? 0, align[index] ?? "left"))
    .join("  ")
    .trimEnd();
}

function isNote(row: TextRow): row is { note: string } {
  return !Array.isArray(row);
}

/** A cell filled with spaces to `width` terminal columns, on the right of words or the left of figures. */
export function padToWidth(cell: string, width: number, align: Alignment): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(cell)));
  return align === "right" ? fill + cell : cell + fill;
}

/** The columns a terminal gives the text: two for a wide character, none for a combining mark. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Words wrapped to `width` columns, every line after the first indented by `indent`. */
export function wrapText(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line === "" ? word : `${line} ${word}`;
    const limit = width - (lines.length === 0 ? 0 : indent.length);
    if (displayWidth(candidate) <= limit || line === "") line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  return lines.join(`\n${indent}`);
}
