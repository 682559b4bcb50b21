/**
 * response-size-near-limit: a buffered response fails above 6 MB; when the
 * largest response the logs measured (platform.runtimeDone's producedBytes,
 * JSON log format) came within 1 MB of that, a slightly larger one will fail.
 * Response streaming carries up to 200 MB.
 *
 * The largest response, not a percentile: each response fails on its own
 * size, so the one that came closest is the warning, however rare it is (a
 * p99 would pass a function whose one response in 500 is 5.9 MB). 5 MB leaves
 * under a sixth of the limit as headroom, about what memory-undersized
 * leaves before an out-of-memory kill.
 */

import { formatNumber, formatPercent } from "../../format.js";
import { PAYLOAD_LIMIT_BYTES } from "../../lambda/limits.js";
import type { MetricsRule } from "./rule.js";

const MB = 1024 * 1024;
export const NEAR_LIMIT_BYTES = 5 * MB;

export const responseSizeNearLimit: MetricsRule = {
  id: "response-size-near-limit",
  title: "Responses close to the 6 MB buffered limit",
  check(fn) {
    const bytes = fn.responses?.bytes;
    const largest = bytes?.max ?? null;
    if (!bytes || largest === null || largest < NEAR_LIMIT_BYTES) return null;
    // A response beyond 6 MB went out streamed: the function streams already.
    if (bytes.beyondFreeTotal > 0) return null;
    const limit = PAYLOAD_LIMIT_BYTES.synchronous;
    const mb = (value: number) => `${formatNumber(value / MB, 2)} MB`;
    return {
      id: "response-size-near-limit",
      severity: "warning",
      message: `Stream the response: the largest one measured is ${mb(largest)}, ${formatPercent(largest / limit)} of the 6 MB a buffered response may carry, so a slightly larger one will fail; response streaming (a Function URL with InvokeMode RESPONSE_STREAM, or a REST integration with ResponseTransferMode STREAM) carries up to 200 MB. The logs do not say whether the function streams already; if it does, nothing is near a limit.`,
      evidence: `largest response ${largest.toLocaleString("en-US")} bytes (${mb(largest)}) of ${limit.toLocaleString("en-US")} buffered; mean ${bytes.mean === null ? "unknown" : mb(bytes.mean)} over ${fn.responses!.count.toLocaleString("en-US")} responses (platform.runtimeDone)`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};
