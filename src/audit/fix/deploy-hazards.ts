/**
 * Fixes that can break a deploy, or the function once deployed, are not
 * applied unasked: they are shown as a suggested edit. This file says, for
 * one finding, what could break and why — undefined when the fix is safe.
 *
 * - arm64 loads no x86 binary. It is safe only when the function's code was
 *   read and holds none: the code audit (arm64-blocked) scanned its package
 *   and local layers, or the code is inline source for an interpreted
 *   runtime. go1.x has no arm64 at all; a prebuilt zip or code in S3 cannot
 *   be checked; a layer from outside the template has an architecture the
 *   audit cannot know.
 * - ReportBatchItemFailures makes Lambda read the handler's return value as
 *   the list of failed records. Whether the handler returns
 *   `batchItemFailures` is not something the template says, so the fix is
 *   always a suggestion.
 * - A lifecycle rule changes how every object in the bucket is stored and
 *   billed: Intelligent-Tiering charges a monitoring fee per object and each
 *   transition is a request billed once. Whether that pays depends on the
 *   objects' sizes and how long they live, which the template does not say, so
 *   the fix is always a suggestion.
 */
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isPlainObject } from "../../plain-object.js";
import type { Finding } from "../findings.js";

/** What the audit learned beyond the template, for deciding whether a fix is safe. */
export interface FixFacts {
  /**
   * Logical ids of the template's functions whose package (and local layers)
   * the code audit scanned for x86-only binaries with arm64-blocked, and whose
   * arm64-candidate finding survived it. Missing: none was scanned.
   */
  readonly codeChecked?: ReadonlySet<string>;
}

const SERVERLESS_FUNCTION = "AWS::Serverless::Function";
const LAYER_TYPES = new Set(["AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"]);

export const LIFECYCLE_HAZARD =
  "a lifecycle rule changes how every object in the bucket is stored and billed (Intelligent-Tiering's monitoring fee per object, a fee per transition; objects under 128 KB are not moved): check the days suit how long the objects live and how they are read, then make this edit";

export const BATCH_ITEM_FAILURES_HAZARD =
  "Lambda would read the handler's return value as the list of failed records, and the template cannot say the handler returns batchItemFailures: check it does (Powertools' batch utility does), then make this edit";

/** Why applying the fix for `finding` unasked could break the deploy or the function; undefined when it cannot. */
export function deployHazard(
  finding: Finding,
  template: Record<string, unknown>,
  file: string,
  facts: FixFacts,
): string | undefined {
  if (finding.ruleId === "esm-config") return BATCH_ITEM_FAILURES_HAZARD;
  if (finding.ruleId === "s3-no-lifecycle") return LIFECYCLE_HAZARD;
  if (finding.ruleId === "arm64-candidate")
    return arm64Hazard(finding.resource, template, file, facts);
  return undefined;
}

function arm64Hazard(
  logicalId: string,
  template: Record<string, unknown>,
  file: string,
  facts: FixFacts,
): string | undefined {
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  const resource = isPlainObject(resources[logicalId]) ? resources[logicalId] : {};
  const properties = isPlainObject(resource.Properties) ? resource.Properties : {};
  const sam = resource.Type === SERVERLESS_FUNCTION;
  const globals =
    sam && isPlainObject(template.Globals) && isPlainObject(template.Globals.Function)
      ? template.Globals.Function
      : {};
  const setting = (name: string) => properties[name] ?? globals[name];

  const runtime = setting("Runtime");
  if (runtime === "go1.x") {
    return "go1.x has no arm64 runtime: move to provided.al2023 with a bootstrap built for arm64 first";
  }
  const interpreted = typeof runtime === "string" && /^(nodejs|python)/.test(runtime);
  const code = sam ? setting("CodeUri") : properties.Code;
  const inline = sam
    ? typeof setting("InlineCode") === "string"
    : isPlainObject(code) && code.ZipFile !== undefined;
  if (!(inline && interpreted)) {
    const prebuilt = prebuiltPackage(code);
    if (prebuilt) {
      return `its code is a prebuilt package (${prebuilt}) whose binaries the audit cannot check: check it has no x86-only native code first`;
    }
    if (!facts.codeChecked?.has(logicalId)) {
      return "the code audit has not checked its code for x86-only binaries (code audit off, code not built locally, or a runtime other than Node.js or Python): check its native dependencies first";
    }
  }
  const layers = setting("Layers");
  if (layers === undefined) return undefined;
  if (!Array.isArray(layers))
    return "its Layers are chosen by a condition: check each has an arm64 build first";
  const unknown = layers
    .filter(
      (layer) =>
        !layerKnownForArm64(layer, resources, file, facts.codeChecked?.has(logicalId) ?? false),
    )
    .map(layerName);
  return unknown.length === 0
    ? undefined
    : `layers of unknown architecture are attached (${unknown.join(", ")}): check each has an arm64 build first`;
}

/** Where a package that is not a local folder comes from, or undefined for a folder. */
function prebuiltPackage(code: unknown): string | undefined {
  if (typeof code === "string") {
    if (/^s3:\/\//i.test(code)) return code;
    if (/\.(zip|jar|war)$/i.test(code)) return code;
    return undefined;
  }
  if (isPlainObject(code) && code.ZipFile === undefined && code.ImageUri === undefined) {
    return "S3";
  }
  return undefined;
}

/**
 * A layer the audit knows runs on arm64: one declared in this template with
 * CompatibleArchitectures naming arm64, or with its content in a local folder
 * that the code audit scanned along with the function.
 */
function layerKnownForArm64(
  layer: unknown,
  resources: Record<string, unknown>,
  file: string,
  scanned: boolean,
): boolean {
  const id = isPlainObject(layer) && typeof layer.Ref === "string" ? layer.Ref : undefined;
  const resource = id === undefined ? undefined : resources[id];
  if (!isPlainObject(resource) || !LAYER_TYPES.has(String(resource.Type))) return false;
  const properties = isPlainObject(resource.Properties) ? resource.Properties : {};
  const architectures = properties.CompatibleArchitectures;
  if (Array.isArray(architectures) && architectures.includes("arm64")) return true;
  const content = properties.ContentUri ?? properties.Content;
  if (!scanned || typeof content !== "string" || prebuiltPackage(content)) return false;
  try {
    return statSync(resolve(dirname(file), content)).isDirectory();
  } catch {
    return false;
  }
}

function layerName(layer: unknown): string {
  if (typeof layer === "string") return layer;
  if (isPlainObject(layer) && typeof layer.Ref === "string") return layer.Ref;
  return JSON.stringify(layer);
}
