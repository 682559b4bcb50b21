/**
 * A terminal table whose columns each say how they align: numbers line up on the right, words on
 * the left. (format.ts's formatRows right-aligns only the last column, which suits a two-column
 * price list, not a table of measurements.)
 */

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
  const cellRows = rows.filter((row): row is readonly string[] => !isNote(row));
  const widths = columns.map((column, index) =>
    Math.max(displayWidth(column.header), ...cellRows.map((row) => displayWidth(row[index] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    `${indent}${cells
      .map((cell, index) => pad(cell, widths[index] ?? 0, columns[index]?.align ?? "left"))
      .join("  ")
      .trimEnd()}`;
  const noteIndent = `${indent}${" ".repeat((widths[0] ?? 0) + 2)}`;
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => "─".repeat(width))),
    ...rows.map((row) => (isNote(row) ? `${noteIndent}${row.note}` : line(row))),
  ].join("\n");
}

function isNote(row: TextRow): row is { note: string } {
  return !Array.isArray(row);
}

function pad(cell: string, width: number, align: Alignment): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(cell)));
  return align === "right" ? fill + cell : cell + fill;
}

/** Characters as a terminal counts them: code points, not UTF-16 units. */
export function displayWidth(text: string): number {
  return [...text].length;
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
