/**
 * `cost` as a library call: check and default the options, read the price
 * file if one is given, check the region is one the table prices, and price
 * the configuration. Rendering it (text or JSON) is the caller's.
 */
import { fieldName, invalidOption, type OptionName, parseOptions } from "../options.js";
import { type CostEstimate, estimateCost } from "./cost-estimate.js";
import { type CostOptionsInput, CostOptionsSchema } from "./cost-options.js";
import { loadPriceFile } from "./price-file.js";
import { knownRegions } from "./price-table.js";

/**
 * Throws a UsageError for any mistake, naming the option as `nameOf` does
 * (the CLI passes its flag names).
 */
export function priceConfiguration(
  input: CostOptionsInput,
  nameOf: OptionName = fieldName,
): CostEstimate {
  const { priceFile, ...options } = parseOptions(CostOptionsSchema, input, nameOf);
  const table = loadPriceFile(priceFile, nameOf(["priceFile"]));
  const regions = knownRegions(table);
  if (!regions.includes(options.region)) {
    throw invalidOption(
      nameOf(["region"]),
      options.region,
      `expected a region the price table has: one of ${regions.join(", ")} (or a ${nameOf(["priceFile"])} that covers it)`,
    );
  }
  return estimateCost(table, options);
}
