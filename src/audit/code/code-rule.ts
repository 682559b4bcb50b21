/**
 * A code rule: the same ESLint-style module as a template rule (rule.ts), but
 * `check` reads one function's code (FunctionCode) instead of a template. It
 * reports at the line of the offending expression in the source file.
 */
import type { RuleMeta, Severity } from "../rule.js";
import type { CodePosition } from "./code-model.js";
import type { FunctionCode } from "./function-code.js";

export interface CodeFinding {
  /** Absolute path of the file the finding is in (a source file, package.json, a binary). */
  readonly file: string;
  /** Where in it; line 1 column 1 for a whole file. */
  readonly position: CodePosition;
  readonly message: string;
  /** A more precise fix than meta.fix. */
  readonly fix?: string;
  /** A severity other than meta.severity, for rules whose cases differ. */
  readonly severity?: Severity;
}

export interface CodeRule {
  readonly meta: RuleMeta;
  check(fn: FunctionCode): CodeFinding[];
}

export const FILE_START: CodePosition = { line: 1, column: 1 };
