/** Every metrics rule, in the order recommendations are listed; each file is named by its rule's id. */

import type { MetricsRecommendation } from "../metrics-report.js";
import { arm64Saving } from "./arm64-saving.js";
import { coldStartsHigh } from "./cold-starts-high.js";
import { errorsHigh } from "./errors-high.js";
import { memoryOversized } from "./memory-oversized.js";
import { memoryUndersized } from "./memory-undersized.js";
import { memoryUnmeasured } from "./memory-unmeasured.js";
import { responseSizeNearLimit } from "./response-size-near-limit.js";
import { retuneDue } from "./retune-due.js";
import type { FunctionFigures, MetricsRule, RuleContext } from "./rule.js";
import { throttlesPresent } from "./throttles-present.js";
import { timeoutTooLong } from "./timeout-too-long.js";

export const METRICS_RULES: readonly MetricsRule[] = [
  memoryUndersized,
  memoryOversized,
  memoryUnmeasured,
  arm64Saving,
  coldStartsHigh,
  timeoutTooLong,
  responseSizeNearLimit,
  errorsHigh,
  throttlesPresent,
  retuneDue,
];

export function recommendationsFor(
  fn: FunctionFigures,
  context: RuleContext,
): MetricsRecommendation[] {
  return METRICS_RULES.map((rule) => rule.check(fn, context)).filter(
    (recommendation): recommendation is MetricsRecommendation => recommendation !== null,
  );
}
