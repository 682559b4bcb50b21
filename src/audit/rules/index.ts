/** Every template rule. Keep ids stable: users suppress and select rules by them. */
import type { AuditRule } from "../rule.js";
import { arm64Candidate } from "./arm64-candidate.js";
import { memoryDefault } from "./memory-default.js";
import { timeoutMax } from "./timeout-max.js";

export const TEMPLATE_RULES: readonly AuditRule[] = [arm64Candidate, memoryDefault, timeoutMax];

export const ALL_RULES: readonly AuditRule[] = [...TEMPLATE_RULES];
