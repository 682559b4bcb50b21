/**
 * How numbers, money, percentages and durations are written for people, by the CLI, the reports,
 * the tuner's reasons and the rules' messages: one form each, wherever it appears.
 */

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

/**
 * A share as a percentage, to a precision people read: 0.4123 -> "41%", 0.053 -> "5.3%",
 * 0.0042 -> "0.42%". `maximumFractionDigits` fixes the precision instead, where a column of changes
 * or a user's own threshold wants it.
 */
export function formatPercent(share: number, maximumFractionDigits?: number): string {
  const value = share * 100;
  const size = Math.abs(value);
  return `${formatNumber(value, maximumFractionDigits ?? (size < 1 ? 2 : size < 10 ? 1 : 0))}%`;
}

/** Milliseconds as people read them, without the unit: "1,234", "56.8", "3.42". */
export function formatMs(ms: number): string {
  const size = Math.abs(ms);
  return formatNumber(ms, size >= 100 ? 0 : size >= 10 ? 1 : 2);
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
