/** The function rules: timeouts, logs, concurrency, SnapStart, runtimes, cold starts, environment variables, permissions. */
import type { AuditRule } from "../rule.js";
import { apiTimeoutMismatch } from "./api-timeout-mismatch.js";
import { asyncNoFailureDestination } from "./async-no-failure-destination.js";
import { envVarUnset } from "./env-var-unset.js";
import { eolRuntime } from "./eol-runtime.js";
import { lambdaPermissionMultiplePrincipals } from "./lambda-permission-multiple-principals.js";
import { logRetention } from "./log-retention.js";
import { provisionedConcurrencyAsync } from "./provisioned-concurrency-async.js";
import { reservedConcurrency } from "./reserved-concurrency.js";
import { secretsInEnv } from "./secrets-in-env.js";
import { slowStartSync } from "./slow-start-sync.js";
import { snapstartCandidate } from "./snapstart-candidate.js";
import { snapstartIncompatible } from "./snapstart-incompatible.js";
import { snapstartUnpublished } from "./snapstart-unpublished.js";
import { tracingDisabled } from "./tracing-disabled.js";

export const FUNCTION_RULES: readonly AuditRule[] = [
  apiTimeoutMismatch,
  logRetention,
  reservedConcurrency,
  snapstartUnpublished,
  snapstartIncompatible,
  snapstartCandidate,
  slowStartSync,
  provisionedConcurrencyAsync,
  tracingDisabled,
  asyncNoFailureDestination,
  eolRuntime,
  secretsInEnv,
  envVarUnset,
  lambdaPermissionMultiplePrincipals,
];
