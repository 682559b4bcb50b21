/** Load the price table: the bundled one, or a user's --price-file. */
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import {
  BUNDLED_PRICE_TABLE,
  type PriceTable,
  PriceTableError,
  parsePriceTable,
} from "../pricing/price-table.js";

export function loadPriceTable(priceFile: string | undefined): PriceTable {
  if (priceFile === undefined) return BUNDLED_PRICE_TABLE;
  let text: string;
  try {
    text = readFileSync(priceFile, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "no such file"
        : String((error as Error).message);
    throw new UsageError(`--price-file ${priceFile}: cannot read it (${reason})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--price-file ${priceFile}: not valid JSON (${(error as Error).message})`);
  }
  try {
    return parsePriceTable(data);
  } catch (error) {
    if (error instanceof PriceTableError) {
      throw new UsageError(
        `--price-file ${priceFile}: not a price table: ${error.message} (see docs/pricing.md for the format)`,
      );
    }
    throw error;
  }
}
