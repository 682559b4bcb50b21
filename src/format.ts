/** How numbers and money are written for people, by the CLI, the reports and the tuner's reasons. */

const money = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** Dollars for people: cents for sums of money, significant digits for fractions of a cent. */
export function formatUsd(usd: number): string {
  if (usd === 0 || Math.abs(usd) >= 0.01) return money.format(usd);
  // Five significant digits, written out in full: $0.0000018667, not 1.8667e-6.
  const digits = Math.min(20, -Math.floor(Math.log10(Math.abs(usd))) + 4);
  const text = Math.abs(usd).toFixed(digits).replace(/0+$/, "");
  return `${usd < 0 ? "-" : ""}$${text}`;
}

export function formatNumber(value: number, maximumFractionDigits = 2): string {
  return value.toLocaleString("en-US", { maximumFractionDigits });
}

/** 10000000 -> "10M", 2500 -> "2.5k": how people say invocation counts. */
export function formatCount(count: number): string {
  for (const [scale, suffix] of [
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ] as const) {
    if (count >= scale) return `${formatNumber(count / scale, 2)}${suffix}`;
  }
  return formatNumber(count, 0);
}

/** Lay rows out in columns; the last column is right-aligned (amounts). */
export function formatRows(rows: readonly (readonly string[])[], indent = "  "): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) =>
          index === row.length - 1
            ? cell.padStart(widths[index] ?? 0)
            : cell.padEnd(widths[index] ?? 0),
        )
        .join("  "),
    )
    .map((line) => `${indent}${line}`)
    .join("\n");
}
