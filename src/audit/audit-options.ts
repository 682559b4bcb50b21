/**
 * What `audit` can be asked, as one zod schema with its defaults and every
 * check: the CLI, a library caller and the MCP server all validate through it
 * (parseOptions), so a mistake reads the same on each surface, in its own
 * names (`--dry-run` or `dryRun`).
 *
 * The severity settings and the rule selection may also come from the
 * project's .lambda-optimizer.json (config.ts); what is given here wins over
 * the file, and the defaults apply only when neither says (see planAudit).
 */
import { z } from "zod";
import { findUnknownRuleId } from "./rule-ids.js";

export const SEVERITIES = ["error", "warning", "info"] as const;
export const SEVERITY_THRESHOLDS = [...SEVERITIES, "none"] as const;
export type SeverityThreshold = (typeof SEVERITY_THRESHOLDS)[number];

/**
 * What the audited stacks are for, which a template does not say: the guide
 * keeps logs about 7–30 days in development, longer where production or
 * compliance needs it (log-retention judges a set retention only in development).
 */
export const STAGES = ["development", "production"] as const;
export type AuditStage = (typeof STAGES)[number];
export const STAGE_EXPECTED = `expected ${STAGES.join(", ")}`;

/** The defaults when neither the options nor the project's config file say. */
export const AUDIT_DEFAULTS = {
  paths: ["."],
  /** Findings at or above this make the audit fail its gate (the CLI exits 1). */
  severityThreshold: "error",
  /** Text output shows findings at or above this; JSON and SARIF keep them all. */
  minSeverity: "info",
} as const satisfies {
  paths: readonly string[];
  severityThreshold: SeverityThreshold;
  minSeverity: (typeof SEVERITIES)[number];
};

const INVOCATIONS_EXPECTED = "expected a whole number of invocations a month, ≥ 0";

/** The options' fields, before the checks that span several of them (checkAuditOptions). */
export const AuditOptionsFields = z.strictObject({
  /** Files or folders to search for templates and handlers, relative to cwd. */
  paths: z
    .array(z.string().min(1, "expected a file or folder"))
    .min(1, "expected at least one file or folder")
    .default([...AUDIT_DEFAULTS.paths]),
  /** The folder paths are relative to, findings are shown from, and whose .lambda-optimizer.json and saved tune runs are read (default: the current folder). */
  cwd: z.string().min(1, "expected a folder").optional(),
  /** Run only these rules (ids as in docs/rules/). */
  rules: z.array(z.string()).optional(),
  /** Skip these rules. */
  disable: z.array(z.string()).optional(),
  /** Findings at or above this fail the gate; "none" never fails (default: the config's, else error). */
  severityThreshold: z
    .enum(SEVERITY_THRESHOLDS, { error: `expected ${SEVERITY_THRESHOLDS.join(", ")}` })
    .optional(),
  /** Text output shows findings at or above this (default: the config's, else info). */
  minSeverity: z.enum(SEVERITIES, { error: `expected ${SEVERITIES.join(", ")}` }).optional(),
  /** What the stacks are for: in development, a log retention above 30 days is reported (default: the config's, else not said). */
  stage: z.enum(STAGES, { error: STAGE_EXPECTED }).optional(),
  /** Read the functions' code as well as the templates. */
  code: z.boolean().default(true),
  /** Treat every function as running on Lambda Managed Instances (concurrent requests). */
  managedInstances: z.boolean().default(false),
  /** Treat every function as having SnapStart on. */
  snapStart: z.boolean().default(false),
  /** A typical event as JSON text: prices the logging of whole events (event-logged-whole). */
  payload: z.string().optional(),
  /** The same, read from a file (e.g. a saved SQS batch). */
  payloadFile: z.string().min(1, "expected a file name").optional(),
  /** With a payload: invocations a month, for a monthly figure. */
  invocations: z
    .number({ error: INVOCATIONS_EXPECTED })
    .int(INVOCATIONS_EXPECTED)
    .min(0, INVOCATIONS_EXPECTED)
    .optional(),
  /** Apply the safe fixes to the templates; riskier ones are suggested as edits. */
  fix: z.boolean().default(false),
  /** With fix: work out the fixes and their diffs, and write nothing. */
  dryRun: z.boolean().default(false),
});

/**
 * The checks across options. Written over a looser shape so a caller that
 * offers fewer options (the MCP audit tool leaves out fix and dryRun: it
 * never writes) checks what it has with the same words.
 */
export function checkAuditOptions(
  options: Pick<
    z.output<typeof AuditOptionsFields>,
    "rules" | "disable" | "payload" | "payloadFile" | "invocations"
  > & { readonly fix?: boolean; readonly dryRun?: boolean },
  context: z.RefinementCtx,
): void {
  const fail = (message: string) => context.addIssue({ code: "custom", message });
  for (const key of ["rules", "disable"] as const) {
    const unknown = findUnknownRuleId(options[key] ?? []);
    if (unknown) {
      fail(`{${key}} ${JSON.stringify(unknown.id)} is not valid: expected ${unknown.expected}`);
      return;
    }
  }
  if (options.dryRun && !options.fix) fail("{dryRun} goes with {fix}");
  else if (options.payload !== undefined && options.payloadFile !== undefined)
    fail("give {payload} or {payloadFile}, not both");
  else if (
    options.invocations !== undefined &&
    options.payload === undefined &&
    options.payloadFile === undefined
  )
    fail(
      "{invocations} prices a logged event: give the event too, with {payload} or {payloadFile}",
    );
}

export const AuditOptionsSchema = AuditOptionsFields.superRefine(checkAuditOptions);

/** What a caller may give: every option is optional. */
export type AuditOptionsInput = z.input<typeof AuditOptionsSchema>;
/** The options checked and defaulted. */
export type AuditOptions = z.output<typeof AuditOptionsSchema>;
