/** The function rules: timeouts, logs, concurrency, SnapStart, runtimes, secrets, permissions. */
import type { AuditRule } from "../rule.js";
import { apiTimeoutMismatch } from "./api-timeout-mismatch.js";
import { logRetention } from "./log-retention.js";
import { provisionedConcurrencyAsync } from "./provisioned-concurrency-async.js";
import { snapstartCandidate } from "./snapstart-candidate.js";
import { snapstartIncompatible } from "./snapstart-incompatible.js";
import { snapstartUnpublished } from "./snapstart-unpublished.js";
import { tracingDisabled } from "./tracing-disabled.js";

export const FUNCTION_RULES: readonly AuditRule[] = [
  apiTimeoutMismatch,
  logRetention,
  snapstartUnpublished,
  snapstartIncompatible,
  snapstartCandidate,
  provisionedConcurrencyAsync,
  tracingDisabled,
];
