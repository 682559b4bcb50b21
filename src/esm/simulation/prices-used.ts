/** The result's price basis (region, date, modelled stand-in) from the Prices the scenario carries. */
import type { Prices, PricesUsed } from "../../pricing/price-table.js";

export function pricesUsedOf(prices: Prices): PricesUsed {
  return {
    date: prices.date,
    region: prices.region,
    ...(prices.modelledOn !== undefined ? { modelledOn: prices.modelledOn } : {}),
  };
}
