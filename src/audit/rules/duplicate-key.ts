/**
 * duplicate-key: a key given twice in one mapping. SAM CLI and CloudFormation's
 * YAML readers keep the last one and drop the first without a word, so an
 * edit to the first (a MemorySize, a whole resource) silently does nothing.
 */
import { type AuditRule, docsFor } from "../rule.js";

export const duplicateKey: AuditRule = {
  meta: {
    id: "duplicate-key",
    severity: "warning",
    title: "A key repeated in one mapping",
    rationale:
      "YAML readers keep the last of repeated keys and drop the others silently: a setting changed in the first copy has no effect, and a repeated resource replaces the one above it.",
    fix: "Keep one copy of the key, with the value you mean.",
    docs: docsFor("duplicate-key"),
  },
  check(context) {
    return context.parsed.duplicateKeys.map((duplicate) => {
      const { path, positions } = duplicate;
      const key = String(path.at(-1));
      const inside = path.slice(0, -1).join(".");
      const lines = positions.map((position) => position.line);
      return {
        resource: path[0] === "Resources" && path.length >= 2 ? String(path[1]) : String(path[0]),
        path,
        message: `${key} is given ${positions.length} times${inside ? ` in ${inside}` : " at the top level"} (lines ${lines.join(", ")}): the one on line ${lines.at(-1)} is used, the others are ignored.`,
      };
    });
  },
};
