/**
 * A line chart for the terminal, several series over a shared x axis of labelled points, drawn
 * by asciichart. asciichart draws one column per value and cannot leave gaps, so the points are
 * spread evenly over the chart's width (interpolating between neighbours), every unbroken run of a
 * series is plotted on its own with the same scale, and the runs are laid onto one canvas. Each
 * series has its own line symbols, so the chart reads without colour (and in a log file).
 */
import asciichart from "asciichart";
import { displayWidth, padToWidth } from "./text-table.js";

type Symbols = NonNullable<asciichart.PlotConfig["symbols"]>;

/** asciichart's own light lines, and double lines for a second series. */
export const LINE_STYLES: readonly { symbols: Symbols; sample: string }[] = [
  { symbols: ["┼", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"], sample: "──" },
  { symbols: ["╬", "╣", "╶", "╴", "═", "╚", "╔", "╗", "╝", "║"], sample: "══" },
];

export interface ChartSeries {
  label: string;
  /** One value per x label; null where the series has no point (a failed configuration). */
  values: readonly (number | null)[];
}

export interface ChartMarker {
  seriesIndex: number;
  pointIndex: number;
  symbol: string;
}

export interface LineChartOptions {
  title: string;
  xLabels: readonly string[];
  /** Printed after the last x label: "MB". */
  xUnit?: string;
  series: readonly ChartSeries[];
  formatY: (value: number) => string;
  /** Total width in columns, labels included (default 80). */
  width?: number;
  /** Rows of plot area (default 8). */
  height?: number;
  /** Width of the y labels; give two charts the same so their x axes line up. */
  labelWidth?: number;
  markers?: readonly ChartMarker[];
}

const INDENT = "  ";

export function renderLineChart(options: LineChartOptions): string {
  const { xLabels, series, formatY } = options;
  const height = options.height ?? 8;
  const defined = series.flatMap((one) => one.values.filter((value) => value !== null));
  if (defined.length === 0) return `${INDENT}${options.title}\n${INDENT}(nothing to draw)`;

  const scale = yScale(defined, height);
  const labels = scale.rowValues.map(formatY);
  const labelWidth = Math.max(options.labelWidth ?? 0, ...labels.map(displayWidth));
  // indent, labels, space and axis, the plot, and room for the last x label centred on its point
  const lastLabel = xLabels.at(-1) ?? "";
  const overhang =
    Math.ceil(displayWidth(lastLabel) / 2) + (options.xUnit ? options.xUnit.length + 1 : 0);
  const plotWidth = (options.width ?? 80) - INDENT.length - labelWidth - 2 - overhang;
  const columns = xLabels.length <= 1 ? 1 : Math.max(8, plotWidth);
  const columnOf = (pointIndex: number) =>
    xLabels.length <= 1 ? 0 : Math.round((pointIndex * (columns - 1)) / (xLabels.length - 1));

  const canvas = scale.rowValues.map(() => Array.from({ length: columns }, () => " "));
  series.forEach((one, seriesIndex) => {
    const style = LINE_STYLES[seriesIndex % LINE_STYLES.length]!;
    for (const run of runsOf(spread(one.values, columns, columnOf))) {
      plotRun(run.values, scale, style.symbols).forEach((row, rowIndex) => {
        row.forEach((char, offset) => {
          const canvasRow = canvas[rowIndex];
          if (char !== " " && canvasRow) canvasRow[run.start + offset] = char;
        });
      });
    }
  });
  for (const marker of options.markers ?? []) {
    const value = series[marker.seriesIndex]?.values[marker.pointIndex];
    if (value === null || value === undefined) continue;
    const row = canvas[scale.rowOf(value)];
    if (row) row[columnOf(marker.pointIndex)] = marker.symbol;
  }

  const lines = [`${INDENT}${options.title}`];
  canvas.forEach((row, rowIndex) => {
    lines.push(
      `${INDENT}${padToWidth(labels[rowIndex]!, labelWidth, "right")} ┤${row.join("").trimEnd()}`,
    );
  });
  lines.push(`${INDENT}${" ".repeat(labelWidth)} └${"─".repeat(columns)}`);
  lines.push(
    `${INDENT}${" ".repeat(labelWidth + 2)}${xAxisLabels(xLabels, columnOf, options.xUnit)}`.trimEnd(),
  );
  return lines.join("\n");
}

interface YScale {
  height: number;
  /** The value each row stands for, top row first. */
  rowValues: number[];
  min: number;
  max: number;
  rowOf: (value: number) => number;
}

/** The same arithmetic as asciichart's, so a marker lands on the row its line is drawn in. */
function yScale(values: readonly number[], height: number): YScale {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (max === min) {
    // A flat line still needs a scale: give it some room above and below.
    const room = Math.abs(max) * 0.1 || 1;
    min -= room;
    max += room;
  }
  const ratio = height / (max - min);
  const min2 = Math.round(min * ratio);
  const rows = Math.round(max * ratio) - min2;
  return {
    height,
    rowValues: Array.from({ length: rows + 1 }, (_, row) => max - (row * (max - min)) / rows),
    min,
    max,
    rowOf: (value) => rows - (Math.round(value * ratio) - min2),
  };
}

/** Points spread over the columns; columns between two points are interpolated between them. */
function spread(
  values: readonly (number | null)[],
  columns: number,
  columnOf: (pointIndex: number) => number,
): (number | null)[] {
  const dense: (number | null)[] = Array.from({ length: columns }, () => null);
  values.forEach((value, index) => {
    if (value === null) return;
    const from = columnOf(index);
    dense[from] = value;
    const next = values[index + 1];
    if (next === null || next === undefined) return;
    const to = columnOf(index + 1);
    for (let column = from + 1; column <= to; column++) {
      dense[column] = value + ((next - value) * (column - from)) / (to - from);
    }
  });
  return dense;
}

function runsOf(dense: readonly (number | null)[]): { start: number; values: number[] }[] {
  const runs: { start: number; values: number[] }[] = [];
  dense.forEach((value, column) => {
    if (value === null) return;
    const last = runs.at(-1);
    if (last && last.start + last.values.length === column) last.values.push(value);
    else runs.push({ start: column, values: [value] });
  });
  return runs;
}

/**
 * asciichart draws a series' first value on the y axis and each later column as the step into
 * its value. Repeating the first value makes column k of the result the step into value k, and
 * with offset 1 and one-character labels, every cell of a row is exactly one character.
 */
function plotRun(values: readonly number[], scale: YScale, symbols: Symbols): string[][] {
  const plotted = asciichart.plot([values[0]!, ...values], {
    min: scale.min,
    max: scale.max,
    height: scale.height,
    offset: 1,
    format: () => " ",
    symbols,
  });
  return plotted.split("\n").map((line) => [...line].slice(1, values.length + 1));
}

/** Each x label under its point, leaving out those that would overlap the one before. */
function xAxisLabels(
  xLabels: readonly string[],
  columnOf: (pointIndex: number) => number,
  unit: string | undefined,
): string {
  let line = "";
  xLabels.forEach((label, index) => {
    const isLast = index === xLabels.length - 1;
    const text = isLast && unit ? `${label} ${unit}` : label;
    const start = Math.max(0, columnOf(index) - Math.floor(displayWidth(label) / 2));
    if (start < displayWidth(line) + (line.length > 0 ? 1 : 0)) return;
    line = padToWidth(line, start, "left") + text;
  });
  return line;
}
