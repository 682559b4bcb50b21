/**
 * Findings as SARIF 2.1.0, the shape GitHub code scanning uploads: one run,
 * the rules that ran as `tool.driver.rules` (title, rationale, fix, docs),
 * and one result per finding at its file, line and column.
 *
 * SARIF's `helpUri` and `informationUri` must be absolute URIs, and the
 * project has no public address yet: pass `docsBaseUri` / `informationUri`
 * to fill them in. Without them the docs page is still named, in each rule's
 * help text and in `properties.docs`.
 */
import { createHash } from "node:crypto";
import type { AuditReport, Finding } from "../findings.js";
import type { RuleMeta, Severity } from "../rule.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifOptions {
  /** Absolute URI of the project's home page (tool.driver.informationUri). */
  readonly informationUri?: string;
  /** Absolute URI that rule docs paths (docs/rules/<id>.md) are resolved against, for helpUri. */
  readonly docsBaseUri?: string;
}

type SarifLevel = "error" | "warning" | "note";

const LEVEL: Record<Severity, SarifLevel> = { error: "error", warning: "warning", info: "note" };

export function renderSarif(
  report: AuditReport,
  rules: readonly { readonly meta: RuleMeta }[],
  toolVersion: string,
  options: SarifOptions = {},
): string {
  // Every rule that ran, plus any rule a finding names that was not passed in
  // (so every result has a descriptor to point at).
  const descriptors = [...rules.map((rule) => rule.meta)];
  for (const finding of report.findings) {
    if (!descriptors.some((meta) => meta.id === finding.ruleId)) {
      descriptors.push({
        id: finding.ruleId,
        severity: finding.severity,
        title: finding.ruleId,
        rationale: finding.message,
        fix: finding.fix,
        docs: `docs/rules/${finding.ruleId}.md`,
      });
    }
  }
  const ruleIndex = new Map(descriptors.map((meta, index) => [meta.id, index]));

  const driver: Record<string, unknown> = {
    name: "lambda-optimizer",
    version: toolVersion,
    semanticVersion: toolVersion,
    rules: descriptors.map((meta) => {
      const helpUri = options.docsBaseUri
        ? new URL(meta.docs, options.docsBaseUri).href
        : undefined;
      return {
        id: meta.id,
        name: pascalCase(meta.id),
        shortDescription: { text: meta.title },
        fullDescription: { text: meta.rationale },
        help: {
          text: `${meta.fix}\n\nWhy: ${meta.rationale}\nDocs: ${meta.docs}`,
          markdown: `**Fix:** ${meta.fix}\n\n**Why:** ${meta.rationale}\n\nSee [${meta.docs}](${helpUri ?? meta.docs}).`,
        },
        ...(helpUri ? { helpUri } : {}),
        defaultConfiguration: { level: LEVEL[meta.severity] },
        properties: { docs: meta.docs, tags: ["lambda", "cost", "performance"] },
      };
    }),
  };
  if (options.informationUri) driver.informationUri = options.informationUri;

  const sarif = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver },
        columnKind: "unicodeCodePoints",
        results: report.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId)!,
          level: LEVEL[finding.severity],
          message: { text: `${finding.message} Fix: ${finding.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(finding.file) },
                region: {
                  startLine: Math.max(1, finding.line),
                  startColumn: Math.max(1, finding.column),
                },
              },
              logicalLocations: [{ name: finding.resource, kind: "resource" }],
            },
          ],
          partialFingerprints: { primaryLocationLineHash: fingerprint(finding) },
        })),
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: "error",
              message: { text: error.message },
              locations: [
                { physicalLocation: { artifactLocation: { uri: artifactUri(error.file) } } },
              ],
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/**
 * A relative path as a URI reference: forward slashes, each segment
 * percent-encoded (spaces, #, ?), so GitHub resolves it against the checkout.
 */
export function artifactUri(file: string): string {
  const path = file.replaceAll("\\", "/").replace(/^\.\//, "");
  return path
    .split("/")
    .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join("/");
}

/**
 * Stable across runs and unrelated edits: the rule, the file, the resource
 * and the message (not the line, which moves when lines are added above), so
 * an alert follows its resource rather than reopening on every edit.
 */
function fingerprint(finding: Finding): string {
  return createHash("sha256")
    .update(
      `${finding.ruleId}\0${artifactUri(finding.file)}\0${finding.resource}\0${finding.message}`,
    )
    .digest("hex")
    .slice(0, 32);
}

function pascalCase(id: string): string {
  return id
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
