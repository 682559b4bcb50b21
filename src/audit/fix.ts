/**
 * `audit --fix`: the template changes a fixable finding calls for. A fix is
 * applied only when it is safe without a person's judgement
 * (fix/deploy-hazards.ts); otherwise it is returned as a suggested edit, a
 * diff the user can apply. Edits are small text edits at the nodes' source
 * ranges (fix/template-editor.ts), so lines the fixes do not touch keep
 * every byte; and the fixed text must parse back to the same template plus
 * exactly the fixed values (fix/verify-fix.ts), or it is refused.
 */
import { readFileSync } from "node:fs";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { parseTemplateText } from "../template/parse-template.js";
import { TemplateError } from "../template/template-error.js";
import type { Finding } from "./findings.js";
import { deployHazard, type FixFacts } from "./fix/deploy-hazards.js";
import { CannotEdit, TemplateEditor } from "./fix/template-editor.js";
import { editFor, hasFix } from "./fix/template-fixes.js";
import { verifyFix } from "./fix/verify-fix.js";

export type { FixFacts } from "./fix/deploy-hazards.js";
export { FIX_LOG_RETENTION_DAYS, FIXABLE_RULES } from "./fix/template-fixes.js";

export interface AppliedFix {
  readonly ruleId: string;
  readonly resource: string;
  /** The finding's line in the template before the fix. */
  readonly line: number;
}

export interface SkippedFix extends AppliedFix {
  readonly reason: string;
}

/** A fix not applied because it could break the deploy: the reason, and the edit as a unified diff. */
export interface SuggestedFix extends SkippedFix {
  readonly edit: string;
}

export interface FixResult {
  /** The template text with the safe fixes applied (the input unchanged when none applied, or when refused). */
  readonly fixed: string;
  readonly applied: AppliedFix[];
  /** Findings of fixable rules that were left alone, and why. */
  readonly skipped: SkippedFix[];
  readonly suggested: SuggestedFix[];
  /** Why the fixed text was not kept: it did not parse back to the template plus the fixes. */
  readonly refused?: string;
}

/**
 * Apply the safe fixes among `findings` (those of one template: the caller
 * picks them by file) to the template at `file`. `text` is the template's
 * content when the caller has it already; `facts` is what the code audit
 * learned, without which an arm64 fix is only suggested.
 */
export function fixTemplate(
  file: string,
  findings: readonly Finding[],
  text: string = readFileSync(file, "utf8"),
  facts: FixFacts = {},
): FixResult {
  const wanted = dedupe(findings.filter(hasFix));
  const result: FixResult = { fixed: text, applied: [], skipped: [], suggested: [] };
  if (wanted.length === 0) return result;
  let template: Record<string, unknown>;
  try {
    template = parseTemplateText(text, file).template;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return {
      ...result,
      skipped: wanted.map((finding) => skip(finding, "the template does not parse")),
    };
  }
  const safe: Finding[] = [];
  for (const finding of wanted) {
    const hazard = deployHazard(finding, template, file, facts);
    if (hazard === undefined) {
      safe.push(finding);
      continue;
    }
    const alone = edited(file, text, [finding]);
    const outcome = alone.outcomes[0]!;
    if (outcome === true && alone.fixed !== text && alone.problem === undefined) {
      result.suggested.push({
        ...skip(finding, hazard),
        edit: unifiedDiff(text, alone.fixed, finding.file),
      });
    } else if (outcome !== false) {
      result.skipped.push(
        skip(finding, outcome === true ? (alone.problem ?? "nothing to change") : outcome),
      );
    }
  }
  const all = edited(file, text, safe);
  const applied: AppliedFix[] = [];
  all.outcomes.forEach((outcome, index) => {
    const finding = safe[index]!;
    if (outcome === true) applied.push(where(finding));
    else if (outcome !== false) result.skipped.push(skip(finding, outcome));
  });
  if (applied.length === 0 || all.fixed === text) return result;
  if (all.problem !== undefined) return { ...result, refused: all.problem };
  return { ...result, fixed: all.fixed, applied };
}

/** The template with the edits for `findings`, each finding's outcome, and what is wrong with the result. */
function edited(file: string, text: string, findings: readonly Finding[]) {
  let editor: TemplateEditor;
  try {
    editor = new TemplateEditor(text);
  } catch (error) {
    if (!(error instanceof CannotEdit)) throw error;
    return { fixed: text, outcomes: findings.map(() => error.message), problem: undefined };
  }
  const done = new Set<string>();
  const outcomes = findings.map((finding) => editFor(editor, finding, done));
  let fixed: string;
  try {
    fixed = editor.render();
  } catch (error) {
    if (!(error instanceof CannotEdit)) throw error;
    return { fixed: text, outcomes: findings.map(() => error.message), problem: undefined };
  }
  const problem = fixed === text ? undefined : verifyFix(text, fixed, file, editor.changes);
  return { fixed, outcomes, problem };
}

/** `--fix --dry-run` and suggested edits: a unified diff (`--- a/file`, `+++ b/file`), empty when nothing changed. */
export function unifiedDiff(before: string, after: string, file: string): string {
  if (before === after) return "";
  const shown = file.replaceAll("\\", "/");
  return createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

function where(finding: Finding): AppliedFix {
  return { ruleId: finding.ruleId, resource: finding.resource, line: finding.line };
}

function skip(finding: Finding, reason: string): SkippedFix {
  return { ...where(finding), reason };
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.ruleId}\0${finding.resource}\0${finding.line}\0${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
