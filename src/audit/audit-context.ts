/**
 * One template as the rules see it: resolved as far as it can be without
 * deploying (parameters' defaults, conditions, mappings), SAM's Globals
 * applied, its functions in one shape whether SAM or CloudFormation, and the
 * way back from any property to its line.
 */

import { relative } from "node:path";
import { isPlainObject } from "../plain-object.js";
import type { ParsedTemplate, TemplatePath } from "../template/parse-template.js";
import { resolveTemplate } from "../template/resolve.js";
import { applyGlobals, propertySourcePath, SERVERLESS_FUNCTION } from "../template/sam.js";
import type { AuditStage } from "./audit-options.js";
import type { TemplateCode } from "./code/template-code.js";
import type { MeasuredInitIndex } from "./measured-init.js";
import type { TunedMemoryIndex } from "./tuned-memory.js";

export const LAMBDA_FUNCTION = "AWS::Lambda::Function";

export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

/** A Lambda function of either flavour, with what rules ask of it. */
export interface FunctionResource extends TemplateResource {
  readonly flavour: "sam" | "cloudformation";
  /** SAM Events (empty for AWS::Lambda::Function: its triggers are other resources). */
  readonly events: readonly {
    readonly name: string;
    readonly type: string;
    readonly properties: Record<string, unknown>;
  }[];
}

/** What the audit knows beyond the template. */
export interface AuditEnvironment {
  /** The folder the audit runs from: commands in findings name the template relative to it. */
  readonly cwd?: string;
  /** Saved tune runs, for memory-default. Missing: none are read. */
  readonly tunedMemory?: TunedMemoryIndex;
  /**
   * The functions' code, when the audit reads it: memory-default infers the
   * workload from what it imports. Missing: code is not read (--no-code).
   */
  readonly code?: TemplateCode;
  /** Saved tune runs' cold starts, for slow-start-sync. Missing: none are read. */
  readonly measuredInit?: MeasuredInitIndex;
  /** What the stacks are for, as the user said (the stage option): a template does not say. */
  readonly stage?: AuditStage;
}

export class AuditContext {
  /** Resolved, with Globals applied. */
  readonly template: Record<string, unknown>;
  readonly resources: readonly TemplateResource[];
  readonly functions: readonly FunctionResource[];

  constructor(
    readonly parsed: ParsedTemplate,
    readonly environment: AuditEnvironment = {},
  ) {
    this.template = applyGlobals(resolveTemplate(parsed.template));
    const resources = isPlainObject(this.template.Resources) ? this.template.Resources : {};
    this.resources = Object.entries(resources).flatMap(([logicalId, resource]) =>
      isPlainObject(resource) && typeof resource.Type === "string"
        ? [
            {
              logicalId,
              type: resource.Type,
              properties: isPlainObject(resource.Properties) ? resource.Properties : {},
              resource,
            },
          ]
        : [],
    );
    this.functions = this.resources
      .filter(
        (resource) => resource.type === SERVERLESS_FUNCTION || resource.type === LAMBDA_FUNCTION,
      )
      .map((resource) => ({
        ...resource,
        flavour:
          resource.type === SERVERLESS_FUNCTION ? ("sam" as const) : ("cloudformation" as const),
        events: eventsOf(resource.properties.Events),
      }));
  }

  get file(): string {
    return this.parsed.file;
  }

  /** The template's path as findings show it: relative to the audit's folder. */
  get shownFile(): string {
    const cwd = this.environment.cwd;
    return cwd ? relative(cwd, this.parsed.file) || this.parsed.file : this.parsed.file;
  }

  resourcesOfType(type: string): TemplateResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  resource(logicalId: string): TemplateResource | undefined {
    return this.resources.find((resource) => resource.logicalId === logicalId);
  }

  /**
   * Where a resource's property is written: in the resource, else in Globals
   * (SAM), else the resource's own line (the property is missing). Use it as
   * a finding's path so the line is the one to edit.
   */
  propertyPath(logicalId: string, propertyPath: TemplatePath): TemplatePath {
    const written = propertySourcePath(this.parsed.template, logicalId, propertyPath);
    // Not written anywhere: point at the resource, the line a reviewer looks for.
    return this.parsed.positionOf(written) ? written : ["Resources", logicalId];
  }

  /** The line a path points at (the deepest part of it that exists). */
  lineOf(path: TemplatePath): number {
    return this.parsed.nearestPositionOf(path).line;
  }
}

function eventsOf(events: unknown): FunctionResource["events"] {
  if (!isPlainObject(events)) return [];
  return Object.entries(events).flatMap(([name, event]) =>
    isPlainObject(event)
      ? [
          {
            name,
            type: typeof event.Type === "string" ? event.Type : "",
            properties: isPlainObject(event.Properties) ? event.Properties : {},
          },
        ]
      : [],
  );
}
