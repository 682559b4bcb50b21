/**
 * `lambda-optimizer-disable-next-line RULE_ID[, RULE_ID]` in a comment on the
 * line above a finding (other comment lines may sit between) silences it.
 * Templates comment with `#`; code with `//`, `/* ... *\/` or `#`.
 */
const DIRECTIVE = /lambda-optimizer-disable-next-line\s+([\w-]+(?:\s*,\s*[\w-]+)*)/;

export const TEMPLATE_COMMENTS = ["#"] as const;
export const CODE_COMMENTS = ["//", "#", "/*", "*"] as const;

/** Whether a finding on `line` (1-based) is suppressed for this rule. */
export function isSuppressed(
  lines: readonly string[],
  line: number,
  ruleId: string,
  commentStarts: readonly string[],
): boolean {
  for (let index = Math.min(line - 2, lines.length - 1); index >= 0; index--) {
    const text = lines[index]!.trim();
    if (!commentStarts.some((start) => text.startsWith(start))) return false;
    const match = DIRECTIVE.exec(text);
    if (match?.[1]?.split(/\s*,\s*/).includes(ruleId)) return true;
  }
  return false;
}
