/**
 * retune-due: the guide says to re-tune long-running production functions periodically
 * (quarterly) and after significant code changes, because what tune measured drifts with the
 * code, its dependencies, its traffic and the runtime. Fires when the function's newest tune
 * saved in the project is older than `retuneAfterDays` (default 90), or its code is no longer
 * the code that was tuned (a deployed function's CodeSha256, a local one's code-folder hash).
 * A recent tune of the same code, or no saved tune at all, says nothing: the memory rules
 * already point at `tune` where the figures call for it.
 */

import { describeFreshness, isStale } from "../../tuning/tune-freshness.js";
import type { MetricsRule } from "./rule.js";

export const retuneDue: MetricsRule = {
  id: "retune-due",
  title: "Last tune too old, or the code changed since",
  check(fn) {
    const last = fn.lastTune;
    if (!last || !isStale(last)) return null;
    const why =
      last.codeChanged === true
        ? last.tooOld
          ? `it is ${last.ageDays} days old and the code has changed since`
          : "the code has changed since"
        : `it is ${last.ageDays} days old, more than the ${last.maxAgeDays} allowed`;
    return {
      id: "retune-due",
      severity: "info",
      message: `Re-tune memory: the last tune, on ${last.tunedAt.slice(0, 10)}, no longer describes this function (${why}); run \`lambda-optimizer tune\` again and compare it with the old run (\`compare --max-age-days ${last.maxAgeDays}\`).`,
      evidence: `${last.file}: ${describeFreshness(last)}`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};
