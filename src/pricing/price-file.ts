/**
 * A user's price table from a file (`--price-file`, or `priceFile` for a
 * library caller): read, parsed and checked as strictly as the bundled one,
 * every mistake naming the option and the file.
 */
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import {
  BUNDLED_PRICE_TABLE,
  type PriceTable,
  PriceTableError,
  parsePriceTable,
} from "./price-table.js";

/** The table in `file`, or the bundled one when no file is given; `optionName` is how the caller names the option. */
export function loadPriceFile(file: string | undefined, optionName = "priceFile"): PriceTable {
  if (file === undefined) return BUNDLED_PRICE_TABLE;
  const data = readJsonFile(file, optionName);
  try {
    return parsePriceTable(data);
  } catch (error) {
    if (error instanceof PriceTableError) {
      throw new UsageError(
        `${optionName} ${file}: not a price table: ${error.message} (see docs/pricing.md for the format)`,
      );
    }
    throw error;
  }
}

/** A price file's JSON, read for the option that named it: a file that is missing or not JSON is the user's mistake. */
export function readJsonFile(file: string, optionName: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "no such file"
        : String((error as Error).message);
    throw new UsageError(`${optionName} ${file}: cannot read it (${reason})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${optionName} ${file}: not valid JSON (${(error as Error).message})`);
  }
}
