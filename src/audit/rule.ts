/**
 * An audit rule, in the manner of an ESLint rule module: `meta` says what it
 * is (a stable id users suppress it by, a severity, why it matters and how to
 * fix it, its docs page) and `check` reads one template and reports findings
 * at the lines to change. Rules read templates; they never run code.
 */
import type { TemplatePath } from "../template/parse-template.js";
import type { AuditContext } from "./audit-context.js";

export type Severity = "error" | "warning" | "info";

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface RuleMeta {
  /** Stable, kebab-case: users suppress and select rules by it. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** Why it matters, in a sentence or two (the cost or latency at stake). */
  readonly rationale: string;
  /** What to change, in general terms; a finding may say it more precisely. */
  readonly fix: string;
  /** docs/rules/<id>.md */
  readonly docs: string;
}

/** What a rule reports: where, about what, and what to do. */
export interface RuleFinding {
  /** The resource's logical id. */
  readonly resource: string;
  /** Where in the template the finding points (the property to change, or the resource lacking it). */
  readonly path: TemplatePath;
  readonly message: string;
  /** A more precise fix than meta.fix, when the rule can say one. */
  readonly fix?: string;
  /** A severity other than meta.severity, for rules whose cases differ (esm-config). */
  readonly severity?: Severity;
  /** The value --fix writes, when the rule took it from evidence (memory-default: a tuned MemorySize). */
  readonly fixValue?: number;
}

export interface AuditRule {
  readonly meta: RuleMeta;
  /**
   * The rule weighs the functions' code (AuditEnvironment.code) when the code
   * audit reads it: the code is then read even if no code rule runs.
   */
  readonly readsCode?: boolean;
  check(context: AuditContext): RuleFinding[];
}

export function docsFor(id: string): string {
  return `docs/rules/${id}.md`;
}
