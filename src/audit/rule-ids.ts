/**
 * The ids a user may name to select, disable or re-grade rules (`--rules`,
 * `--disable`, `.lambda-optimizer.json`), and the one check they all go
 * through, so a typo is caught wherever it is written instead of silently
 * matching nothing.
 */
import { closestName } from "../closest-name.js";
import { CODE_RULES } from "./code-rules/index.js";
import { TEMPLATE_RULES } from "./rules/index.js";

/** Every rule's id: the template rules', then the code rules'. */
export const RULE_IDS: readonly string[] = [...TEMPLATE_RULES, ...CODE_RULES].map(
  (rule) => rule.meta.id,
);

export interface UnknownRuleId {
  readonly id: string;
  /** What is allowed instead: the closest known id when the id looks like a typo of one. */
  readonly expected: string;
}

/** The first of `ids` that no rule has, with what to say about it; undefined when all are known. */
export function findUnknownRuleId(ids: readonly string[]): UnknownRuleId | undefined {
  const id = ids.find((candidate) => !RULE_IDS.includes(candidate));
  if (id === undefined) return undefined;
  const closest = closestName(id, RULE_IDS);
  return {
    id,
    expected: closest
      ? `a rule id: the closest is ${closest} (all are in docs/rules/)`
      : `a rule id, such as ${RULE_IDS.slice(0, 3).join(", ")} (all are in docs/rules/)`,
  };
}
