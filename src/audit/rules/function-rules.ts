/** The function rules: timeouts, logs, concurrency, SnapStart, runtimes, secrets, permissions. */
import type { AuditRule } from "../rule.js";
import { apiTimeoutMismatch } from "./api-timeout-mismatch.js";
import { logRetention } from "./log-retention.js";

export const FUNCTION_RULES: readonly AuditRule[] = [apiTimeoutMismatch, logRetention];
