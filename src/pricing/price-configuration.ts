/**
 * `cost` as a library call: check and default the options, read the price
 * file if one is given, check the region is one the table prices, and price
 * the configuration. Rendering it (text or JSON) is the caller's.
 */
import { fieldName, invalidOption, type OptionName, parseOptions } from "../options.js";
import { type CostEstimate, estimateCost } from "./cost-estimate.js";
import { type CostOptionsInput, CostOptionsSchema } from "./cost-options.js";
import { loadPriceFile } from "./price-file.js";
import { knownRegions, type PriceTable } from "./price-table.js";

/**
 * Throws a UsageError for any mistake, naming the option as `nameOf` does
 * (the CLI passes its flag names).
 */
export function priceConfiguration(
  input: CostOptionsInput,
  nameOf: OptionName = fieldName,
): CostEstimate {
  const { priceFile, ...options } = parseOptions(CostOptionsSchema, input, nameOf);
  const table = loadPricedRegion(priceFile, options.region, nameOf);
  return estimateCost(table, options);
}

/**
 * The price table (a `priceFile`, else the bundled one), checked to price
 * `region`: a region it lacks is the caller's mistake, named in its words.
 */
export function loadPricedRegion(
  priceFile: string | undefined,
  region: string,
  nameOf: OptionName = fieldName,
): PriceTable {
  const table = loadPriceFile(priceFile, nameOf(["priceFile"]));
  const regions = knownRegions(table);
  if (!regions.includes(region)) {
    throw invalidOption(
      nameOf(["region"]),
      region,
      `expected a region the price table has: one of ${regions.join(", ")} (or a ${nameOf(["priceFile"])} that covers it)`,
    );
  }
  return table;
}
