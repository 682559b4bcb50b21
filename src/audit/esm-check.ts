/**
 * Check event source mappings with the esm-config rule's logic, one mapping at
 * a time: every mapping of a template (or one function's, or one mapping),
 * each with the settings it was read with and its findings at their lines; or
 * one mapping's settings given as the Lambda API names them, checked by the
 * same functions (rules/esm-settings.ts). Reads, never runs or writes.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArn } from "../aws/arn.js";
import { UsageError } from "../errors.js";
import { fieldName, type OptionName, parseOptions } from "../options.js";
import { parseTemplate } from "../template/parse-template.js";
import { AuditContext } from "./audit-context.js";
import {
  type EsmCheckOptions,
  type EsmCheckOptionsInput,
  EsmCheckOptionsSchema,
  type EsmEventSource,
} from "./esm-check-options.js";
import {
  type EsmCheckReport,
  type EsmFinding,
  type EsmMappingCheck,
  PREDICTIONS_NOTE,
} from "./esm-check-report.js";
import {
  type EventSourceMapping,
  esmConfig,
  eventSourceMappings,
  visibilityFinding,
} from "./rules/esm-config.js";
import {
  checkMappingSettings,
  KIND_NAME,
  type MappingSettings,
  readMappingSettings,
} from "./rules/esm-settings.js";
import { textOf } from "./rules/service-helpers.js";
import { isSuppressed, TEMPLATE_COMMENTS } from "./suppression.js";

const RULE_ID = esmConfig.meta.id as "esm-config";

export function checkEventSourceMappings(
  input: EsmCheckOptionsInput,
  nameOf: OptionName = fieldName,
): EsmCheckReport {
  const options = parseOptions(EsmCheckOptionsSchema, input, nameOf);
  const mappings =
    options.template !== undefined
      ? templateMappings(options, options.template, nameOf)
      : [givenSettings(options, nameOf)];
  const count = (severity: EsmFinding["severity"]) =>
    mappings.flatMap((mapping) => mapping.findings).filter((f) => f.severity === severity).length;
  return {
    source: options.template !== undefined ? "template" : "settings",
    template: options.template ?? null,
    mappings,
    summary: { mappings: mappings.length, error: count("error"), warning: count("warning") },
    predictions: PREDICTIONS_NOTE,
  };
}

/** The template's mappings, narrowed to a function or a mapping, each checked. */
function templateMappings(
  options: EsmCheckOptions,
  template: string,
  nameOf: OptionName,
): EsmMappingCheck[] {
  const cwd = resolve(options.cwd ?? ".");
  const parsed = parseTemplate(options.cwd === undefined ? template : resolve(cwd, template));
  const context = new AuditContext(parsed, { cwd });
  const lines = readFileSync(parsed.file, "utf8").split("\n");
  const lineOf = (path: readonly (string | number)[]) =>
    context.parsed.nearestPositionOf([...path]).line;
  let mappings = eventSourceMappings(context);
  const all = mappings;
  if (options.function !== undefined) {
    const wanted = options.function;
    mappings = mappings.filter(
      (mapping) =>
        mapping.fn?.logicalId === wanted || textOf(mapping.fn?.properties.FunctionName) === wanted,
    );
    if (mappings.length === 0)
      throw new UsageError(
        `${nameOf(["function"])} ${wanted}: no event source mapping in ${template} feeds it; ${describeFunctions(all)}`,
      );
  }
  if (options.mapping !== undefined) {
    const wanted = options.mapping;
    const narrowed = mappings.filter(
      (mapping) =>
        mapping.event === wanted ||
        idOf(mapping) === wanted ||
        (mapping.event === undefined && mapping.resource === wanted),
    );
    if (narrowed.length === 0)
      throw new UsageError(
        `${nameOf(["mapping"])} ${wanted} is not an event source mapping in ${template}: ${mappings.length > 0 ? `expected one of ${mappings.map(idOf).join(", ")}` : "it has none"}`,
      );
    mappings = narrowed;
  }
  return mappings.map((mapping) => {
    const findings: EsmFinding[] = checkMappingSettings(mapping).map((finding) => ({
      ruleId: RULE_ID,
      severity: finding.severity,
      resource: mapping.resource,
      property: finding.property.join("."),
      message: finding.message,
      fix: finding.fix,
      line: lineOf([...mapping.base, ...finding.property]),
    }));
    const visibility = visibilityFinding(context, mapping);
    if (visibility)
      findings.push({
        ruleId: RULE_ID,
        severity: "warning",
        resource: visibility.resource,
        property: "VisibilityTimeout",
        message: visibility.message,
        fix: visibility.fix ?? esmConfig.meta.fix,
        line: lineOf(visibility.path),
      });
    return {
      id: idOf(mapping),
      label: mapping.label,
      eventSource: mapping.kind,
      function: mapping.fn?.logicalId ?? null,
      line: lineOf(mapping.base.slice(0, -1)),
      settings: readMappingSettings(mapping),
      // The same comment that silences audit's finding silences it here.
      findings: findings.filter(
        (finding) => !isSuppressed(lines, finding.line as number, RULE_ID, TEMPLATE_COMMENTS),
      ),
    };
  });
}

/** Settings given as they are: the same checks, no lines. */
function givenSettings(options: EsmCheckOptions, nameOf: OptionName): EsmMappingCheck {
  const properties = options.settings ?? {};
  const arn = textOf(properties.EventSourceArn);
  const kind = options.eventSource ?? eventSourceOfArn(arn);
  if (kind === undefined)
    throw new UsageError(
      `${nameOf(["eventSource"])} is needed: say what feeds the mapping (sqs, kinesis, dynamodb or kafka), or give its EventSourceArn in ${nameOf(["settings"])}`,
    );
  const settings: MappingSettings = {
    kind,
    fifo: options.fifo ?? (kind === "sqs" && (arn?.endsWith(".fifo") ?? false)),
    properties,
  };
  return {
    id: "settings",
    label: `the ${KIND_NAME[kind]} event source mapping's settings`,
    eventSource: kind,
    function: null,
    line: null,
    settings: readMappingSettings(settings),
    findings: checkMappingSettings(settings).map((finding) => ({
      ruleId: RULE_ID,
      severity: finding.severity,
      resource: "settings",
      property: finding.property.join("."),
      message: finding.message,
      fix: finding.fix,
      line: null,
    })),
  };
}

function idOf(mapping: EventSourceMapping): string {
  return mapping.event === undefined ? mapping.resource : `${mapping.resource}/${mapping.event}`;
}

function describeFunctions(mappings: readonly EventSourceMapping[]): string {
  const names = [...new Set(mappings.flatMap((mapping) => mapping.fn?.logicalId ?? []))];
  return names.length > 0 ? `the functions with mappings are ${names.join(", ")}` : "it has none";
}

function eventSourceOfArn(arn: string | undefined): EsmEventSource | undefined {
  const service = arn === undefined ? undefined : parseArn(arn)?.service;
  return service === "sqs" || service === "kinesis" || service === "dynamodb" || service === "kafka"
    ? service
    : undefined;
}
