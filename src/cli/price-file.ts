/** Load the price table: the bundled one, or a user's --price-file. */
import { loadPriceFile } from "../pricing/price-file.js";
import type { PriceTable } from "../pricing/price-table.js";

export function loadPriceTable(priceFile: string | undefined): PriceTable {
  return loadPriceFile(priceFile, "--price-file");
}
