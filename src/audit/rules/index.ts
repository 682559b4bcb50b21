/**
 * Every template rule (the code rules are CODE_RULES, in code-rules/). Keep ids
 * stable: users suppress and select rules by them.
 */
import type { AuditRule } from "../rule.js";
import { arm64Candidate } from "./arm64-candidate.js";
import { duplicateKey } from "./duplicate-key.js";
import { FUNCTION_RULES } from "./function-rules.js";
import { layerCandidate } from "./layer-candidate.js";
import { memoryDefault } from "./memory-default.js";
import { SERVICE_RULES } from "./service-rules.js";
import { templateUnreadable } from "./template-unreadable.js";
import { timeoutMax } from "./timeout-max.js";

export const TEMPLATE_RULES: readonly AuditRule[] = [
  arm64Candidate,
  memoryDefault,
  timeoutMax,
  layerCandidate,
  ...FUNCTION_RULES,
  ...SERVICE_RULES,
  duplicateKey,
  templateUnreadable,
];
