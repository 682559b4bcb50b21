/** The lambda-optimizer library API. */
export * from "./lambda/cpu-share.js";
export * from "./lambda/limits.js";
export * from "./lambda/report-line.js";
export * from "./lambda/runtimes.js";
export * from "./pricing/cost.js";
export * from "./pricing/cost-estimate.js";
export * from "./pricing/price-table.js";
export { VERSION } from "./version.js";
