/**
 * Turn flag strings into checked values. Each parser throws a UsageError that
 * names the flag, the value given and what is allowed, so every command
 * reports bad input the same way.
 */

import { UsageError } from "../errors.js";
import { describeRange, isWithin, type Range } from "../lambda/limits.js";

/** Commander's collector for a repeatable flag: every value, in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function invalid(flag: string, value: string, allowed: string): UsageError {
  return new UsageError(`${flag} ${JSON.stringify(value)} is not valid: expected ${allowed}`);
}

const PLAIN_NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A non-negative decimal number (no units). */
export function parseNonNegativeNumber(
  flag: string,
  value: string,
  allowed = "a number ≥ 0",
): number {
  const trimmed = value.trim();
  if (!PLAIN_NUMBER.test(trimmed)) throw invalid(flag, value, allowed);
  const number = Number(trimmed);
  if (!Number.isFinite(number)) throw invalid(flag, value, allowed);
  return number;
}

/** A value within one of Lambda's ranges (memory, timeout, /tmp). */
export function parseInRange(flag: string, value: string, range: Range): number {
  const allowed = describeRange(range);
  const number = parseNonNegativeNumber(flag, value, allowed);
  if (!isWithin(range, number)) throw invalid(flag, value, allowed);
  return number;
}

const SCALE: Record<string, number> = { "": 1, k: 1e3, m: 1e6, b: 1e9 };

/** A count such as 10000000, 10,000,000, 10M, 2.5k or 1B (k, M, B: thousand, million, billion). */
export function parseCount(flag: string, value: string): number {
  const allowed = "a whole number such as 10000000, 10M, 2.5k or 1B";
  const match = /^(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*([kKmMbB]?)$/.exec(value.trim());
  if (!match) throw invalid(flag, value, allowed);
  const scale = SCALE[(match[2] ?? "").toLowerCase()] ?? 1;
  const count = Math.round(Number(match[1]!.replaceAll(",", "")) * scale * 1e6) / 1e6;
  if (!Number.isSafeInteger(count)) throw invalid(flag, value, allowed);
  return count;
}

/**
 * A number flag handed to a library schema: the number when the text is a plain
 * number, else the text itself, so the schema refuses it naming the value as typed.
 */
export function numberOrText(value: string): number | string {
  const trimmed = value.trim();
  const number = Number(trimmed);
  return PLAIN_NUMBER.test(trimmed.replace(/^-/, "")) && Number.isFinite(number) ? number : value;
}

/**
 * A share flag handed to a library schema: a fraction (0.05) or a percentage
 * (5%) as the fraction, else the text itself, for the schema to refuse.
 */
export function shareOrText(value: string): number | string {
  const trimmed = value.trim();
  if (!trimmed.endsWith("%")) return numberOrText(value);
  const percent = numberOrText(trimmed.slice(0, -1));
  return typeof percent === "number" ? percent / 100 : value;
}
