/**
 * template-unreadable: a template the audit could not read (not YAML or JSON,
 * not a mapping, an alias bomb, nested absurdly deep). Nothing in it was
 * checked, so it is an error finding: `audit` fails rather than passing a
 * file it never looked at. The engine reports it when parsing fails; there is
 * nothing to check in a template that parsed.
 */
import { type AuditRule, docsFor } from "../rule.js";

export const templateUnreadable: AuditRule = {
  meta: {
    id: "template-unreadable",
    severity: "error",
    title: "Template could not be read",
    rationale:
      "A template the audit cannot read is not audited at all; SAM CLI and CloudFormation most likely refuse it too.",
    fix: "Fix the YAML or JSON at the line shown (`sam validate` or `cfn-lint` say the same), or leave the file out of the audit.",
    docs: docsFor("template-unreadable"),
  },
  check() {
    return [];
  },
};
