/**
 * `.lambda-optimizer.json`: project settings for `audit`, so a team agrees once
 * on which rules run, at which severity, and what fails the build. Flags win
 * over the file.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { STAGE_EXPECTED, STAGES } from "./audit-options.js";
import { findUnknownRuleId } from "./rule-ids.js";

export const AuditConfigSchema = z
  .object({
    audit: z
      .object({
        /** Run only these rules. */
        rules: z.array(z.string()).optional(),
        /** Never run these rules. */
        disable: z.array(z.string()).optional(),
        /** Change a rule's severity: {"arm64-candidate": "info"}. */
        severity: z.record(z.string(), z.enum(["error", "warning", "info"])).optional(),
        /** Findings at or above this severity make `audit` exit 1. */
        severityThreshold: z.enum(["error", "warning", "info", "none"]).optional(),
        /** Text output shows findings at or above this severity; JSON and SARIF keep them all. */
        minSeverity: z.enum(["error", "warning", "info"]).optional(),
        /** What the stacks are for: "development" or "production" (log-retention). */
        stage: z.enum(STAGES, { error: STAGE_EXPECTED }).optional(),
      })
      .strict()
      .default({}),
  })
  .passthrough();
export type AuditConfig = z.infer<typeof AuditConfigSchema>["audit"];

export const CONFIG_FILE = ".lambda-optimizer.json";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The config in this folder, or an empty one. */
export function loadAuditConfig(folder: string): AuditConfig {
  const file = join(folder, CONFIG_FILE);
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = AuditConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${file}: ${issue?.path.join(".") || "(top level)"}: ${issue?.message}`);
  }
  const config = parsed.data.audit;
  // A misspelt id would otherwise select, disable or re-grade nothing, and say nothing.
  const named: [string, readonly string[]][] = [
    ["rules", config.rules ?? []],
    ["disable", config.disable ?? []],
    ["severity", Object.keys(config.severity ?? {})],
  ];
  for (const [key, ids] of named) {
    const unknown = findUnknownRuleId(ids);
    if (unknown) {
      throw new ConfigError(
        `${file}: audit.${key}: ${JSON.stringify(unknown.id)} is not valid: expected ${unknown.expected}`,
      );
    }
  }
  return config;
}
