/** Every metrics rule, in the order recommendations are listed. */

import type { MetricsRecommendation } from "../metrics-report.js";
import { arm64Candidate } from "./arm64.js";
import { coldStartsHigh } from "./cold-starts.js";
import { errorsHigh, throttlesPresent } from "./error-rates.js";
import { memoryOversized, memoryUndersized } from "./memory-right-size.js";
import type { FunctionFigures, MetricsRule, RuleContext } from "./rule.js";
import { timeoutTooLong } from "./timeout-headroom.js";

export const METRICS_RULES: readonly MetricsRule[] = [
  memoryUndersized,
  memoryOversized,
  arm64Candidate,
  coldStartsHigh,
  timeoutTooLong,
  errorsHigh,
  throttlesPresent,
];

export function recommendationsFor(
  fn: FunctionFigures,
  context: RuleContext,
): MetricsRecommendation[] {
  return METRICS_RULES.map((rule) => rule.check(fn, context)).filter(
    (recommendation): recommendation is MetricsRecommendation => recommendation !== null,
  );
}
