/**
 * `audit --fix`: the template changes that are safe to make without a
 * person's judgement, applied to the findings that call for them.
 *
 * - arm64-candidate → `Architectures: [arm64]` on the function. Skipped when
 *   the function inherits Architectures from Globals.Function: SAM
 *   concatenates lists, so a second value on the function would be invalid.
 * - memory-default → `MemorySize: 512` on the function, with a comment that
 *   it is a starting point. 512 MB gives about 29% of a vCPU (four times the
 *   default's share), enough that most functions stop being CPU-starved,
 *   without the cost of a full vCPU (1,769 MB); `lambda-optimizer tune`
 *   finds the size that is actually cheapest or fastest.
 * - log-retention → a new `AWS::Logs::LogGroup` `<Function>LogGroup` named
 *   `!Sub /aws/lambda/${Function}` with RetentionInDays 30, placed after the
 *   function; or RetentionInDays 30 on a declared log group that lacks it.
 * - esm-config, when the finding is about ReportBatchItemFailures →
 *   `FunctionResponseTypes: [ReportBatchItemFailures]` on the SAM event (the
 *   one the finding's line falls in) or the AWS::Lambda::EventSourceMapping.
 *   Safe: a handler that does not return `batchItemFailures` behaves as
 *   before (a normal return succeeds the batch, a throw retries it).
 *
 * YAML is edited through `yaml`'s Document API, so comments, quoting, flow
 * or block style and the CloudFormation short forms (`!Ref`, `!Sub`, ...)
 * are kept; the edit is then laid onto the original text as a patch, so
 * lines the fix did not touch stay byte for byte as they were. JSON is
 * parsed, edited and written back with the file's own indentation.
 */
import { readFileSync } from "node:fs";
import { applyPatch, createTwoFilesPatch, FILE_HEADERS_ONLY, structuredPatch } from "diff";
import {
  type CollectionTag,
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Pair,
  parseDocument,
  Scalar,
  type ScalarTag,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import { SHORT_FORMS } from "../template/short-forms.js";
import type { Finding } from "./findings.js";

/** MemorySize the memory-default fix sets: a starting point to tune from (see the module comment). */
export const FIX_MEMORY_SIZE = 512;
/** RetentionInDays the log-retention fix sets. */
export const FIX_LOG_RETENTION_DAYS = 30;

/** Rules whose findings --fix can act on. */
export const FIXABLE_RULES: readonly string[] = [
  "arm64-candidate",
  "memory-default",
  "log-retention",
  "esm-config",
];

export interface AppliedFix {
  readonly ruleId: string;
  readonly resource: string;
  /** The finding's line in the template before the fix. */
  readonly line: number;
}

export interface SkippedFix extends AppliedFix {
  readonly reason: string;
}

export interface FixResult {
  /** The template text with the fixes applied (the input unchanged when none applied). */
  readonly fixed: string;
  readonly applied: AppliedFix[];
  /** Findings of fixable rules that were left alone, and why. */
  readonly skipped: SkippedFix[];
}

const SERVERLESS_FUNCTION = "AWS::Serverless::Function";
const LAMBDA_FUNCTION = "AWS::Lambda::Function";
const EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping";
const LOG_GROUP = "AWS::Logs::LogGroup";
const BATCH_EVENT_TYPES = new Set(["SQS", "Kinesis", "DynamoDB"]);
const MEMORY_COMMENT =
  " lambda-optimizer --fix: a starting point; size it with lambda-optimizer tune";

/**
 * Short forms that stay short forms: the tag is kept on the node and the
 * value left as written, so `!Ref X` is written back as `!Ref X`. (The
 * audit's own tags in short-forms.ts rewrite them into long forms, which is
 * right for reading a template and wrong for writing one back.)
 */
const PRESERVED_TAGS: ReadonlyArray<ScalarTag | CollectionTag> = Object.keys(SHORT_FORMS).flatMap(
  (tag): Array<ScalarTag | CollectionTag> => [
    { tag, resolve: (text: string) => text },
    { tag, collection: "seq", resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => node },
    { tag, collection: "map", resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => node },
  ],
);

/**
 * Apply the safe fixes among `findings` (those of one template: the caller
 * picks them by file) to the template at `file`. `text` is the template's
 * content when the caller has it already.
 */
export function fixTemplate(
  file: string,
  findings: readonly Finding[],
  text: string = readFileSync(file, "utf8"),
): FixResult {
  const wanted = dedupe(findings.filter((finding) => FIXABLE_RULES.includes(finding.ruleId)));
  if (wanted.length === 0) return { fixed: text, applied: [], skipped: [] };
  return looksLikeJson(text) ? fixJson(text, wanted) : fixYaml(text, wanted);
}

/** `--fix --dry-run`: a unified diff (`--- a/file`, `+++ b/file`), empty when nothing changed. */
export function unifiedDiff(before: string, after: string, file: string): string {
  if (before === after) return "";
  const shown = file.replaceAll("\\", "/");
  return createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
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

function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text.replace(/^\uFEFF/, ""));
}

// ---------------------------------------------------------------------------
// The edits, over a small interface that both YAML nodes and JSON objects meet.

/** A mapping the fixes read and write: a YAML map node or a plain JSON object. */
interface EditableMap {
  has(key: string): boolean;
  get(key: string): unknown;
  getMap(key: string): EditableMap | undefined;
  /** The map at key, created empty when missing. */
  ensureMap(key: string): EditableMap;
  set(key: string, value: unknown, options?: { comment?: string; flow?: boolean }): void;
  keys(): string[];
  /** Insert a new entry right after `afterKey` (at the end when it is missing). */
  insertAfter(afterKey: string, key: string, value: unknown): void;
  /** 1-based first and last line the entry at key spans (undefined for JSON without positions). */
  lineSpan(key: string): readonly [number, number] | undefined;
}

interface Editor {
  readonly root: EditableMap;
  /** A CloudFormation `!Sub` (YAML short form; `{"Fn::Sub": ...}` in JSON). */
  sub(text: string): unknown;
}

function applyFixes(editor: Editor, findings: readonly Finding[]): Omit<FixResult, "fixed"> {
  const applied: AppliedFix[] = [];
  const skipped: SkippedFix[] = [];
  const done = new Set<string>();
  const resources = editor.root.getMap("Resources");
  for (const finding of findings) {
    const where = { ruleId: finding.ruleId, resource: finding.resource, line: finding.line };
    const outcome = resources
      ? fixOne(editor, resources, finding, done)
      : "the template has no Resources section";
    if (outcome === true) applied.push(where);
    else if (outcome !== false) skipped.push({ ...where, reason: outcome });
  }
  return { applied, skipped };
}

/** true: fixed; false: nothing this fix does (not a case it covers); a string: why not. */
function fixOne(
  editor: Editor,
  resources: EditableMap,
  finding: Finding,
  done: Set<string>,
): boolean | string {
  const resource = resources.getMap(finding.resource);
  if (!resource) return `no resource ${finding.resource} in the template`;
  const type = resource.get("Type");
  const key = `${finding.ruleId}\0${finding.resource}`;
  switch (finding.ruleId) {
    case "arm64-candidate": {
      if (!isFunctionType(type)) return `${finding.resource} is not a function`;
      if (done.has(key)) return true;
      const properties = resource.ensureMap("Properties");
      if (
        !properties.has("Architectures") &&
        type === SERVERLESS_FUNCTION &&
        editor.root.getMap("Globals")?.getMap("Function")?.has("Architectures")
      ) {
        return "Architectures comes from Globals.Function: change it there, for every function that inherits it";
      }
      properties.set("Architectures", ["arm64"], { flow: true });
      done.add(key);
      return true;
    }
    case "memory-default": {
      if (!isFunctionType(type)) return `${finding.resource} is not a function`;
      const properties = resource.ensureMap("Properties");
      if (properties.has("MemorySize")) return true;
      properties.set("MemorySize", FIX_MEMORY_SIZE, { comment: MEMORY_COMMENT });
      return true;
    }
    case "log-retention":
      return fixLogRetention(editor, resources, resource, type, finding, done);
    case "esm-config":
      return /ReportBatchItemFailures/.test(finding.message)
        ? fixBatchItemFailures(resource, type, finding)
        : false;
    default:
      return false;
  }
}

function fixLogRetention(
  editor: Editor,
  resources: EditableMap,
  resource: EditableMap,
  type: unknown,
  finding: Finding,
  done: Set<string>,
): boolean | string {
  if (type === LOG_GROUP) {
    const properties = resource.ensureMap("Properties");
    if (!properties.has("RetentionInDays"))
      properties.set("RetentionInDays", FIX_LOG_RETENTION_DAYS);
    return true;
  }
  if (!isFunctionType(type)) return `${finding.resource} is neither a function nor a log group`;
  const key = `log-retention\0${finding.resource}`;
  if (done.has(key)) return true;
  if (resource.getMap("Properties")?.getMap("LoggingConfig")?.has("LogGroup")) {
    return "LoggingConfig.LogGroup names a log group outside this template";
  }
  let logicalId = `${finding.resource}LogGroup`;
  for (let suffix = 2; resources.has(logicalId); suffix++) {
    logicalId = `${finding.resource}LogGroup${suffix}`;
  }
  resources.insertAfter(finding.resource, logicalId, {
    Type: LOG_GROUP,
    Properties: {
      LogGroupName: editor.sub(`/aws/lambda/\${${finding.resource}}`),
      RetentionInDays: FIX_LOG_RETENTION_DAYS,
    },
  });
  done.add(key);
  return true;
}

function fixBatchItemFailures(
  resource: EditableMap,
  type: unknown,
  finding: Finding,
): boolean | string {
  const responseTypes = ["ReportBatchItemFailures"];
  if (type === EVENT_SOURCE_MAPPING) {
    const properties = resource.ensureMap("Properties");
    if (!hasReportBatchItemFailures(properties.get("FunctionResponseTypes"))) {
      properties.set("FunctionResponseTypes", responseTypes, { flow: true });
    }
    return true;
  }
  if (type !== SERVERLESS_FUNCTION) {
    return `${finding.resource} is neither a SAM function nor an event source mapping`;
  }
  const events = resource.getMap("Properties")?.getMap("Events");
  if (!events) return "the function has no Events";
  const candidates = events.keys().filter((name) => {
    const event = events.getMap(name);
    return (
      event !== undefined &&
      BATCH_EVENT_TYPES.has(String(event.get("Type"))) &&
      !hasReportBatchItemFailures(event.getMap("Properties")?.get("FunctionResponseTypes"))
    );
  });
  const atLine = candidates.filter((name) => {
    const span = events.lineSpan(name);
    return span !== undefined && finding.line >= span[0] && finding.line <= span[1];
  });
  const chosen = atLine.length === 1 ? atLine : candidates.length === 1 ? candidates : [];
  if (chosen.length === 0) {
    return candidates.length === 0
      ? "every SQS, Kinesis and DynamoDB event already reports batch item failures"
      : `the finding's line does not single out one of the events ${candidates.join(", ")}`;
  }
  events
    .getMap(chosen[0]!)!
    .ensureMap("Properties")
    .set("FunctionResponseTypes", responseTypes, { flow: true });
  return true;
}

function isFunctionType(type: unknown): boolean {
  return type === SERVERLESS_FUNCTION || type === LAMBDA_FUNCTION;
}

function hasReportBatchItemFailures(value: unknown): boolean {
  if (isSeq(value))
    return value.items.some((item) => isScalar(item) && item.value === "ReportBatchItemFailures");
  return Array.isArray(value) && value.includes("ReportBatchItemFailures");
}

// ---------------------------------------------------------------------------
// YAML

/** Every finding left alone, for the same reason. */
function unfixable(text: string, findings: readonly Finding[], reason: string): FixResult {
  return {
    fixed: text,
    applied: [],
    skipped: findings.map((finding) => ({
      ruleId: finding.ruleId,
      resource: finding.resource,
      line: finding.line,
      reason,
    })),
  };
}

function fixYaml(text: string, findings: readonly Finding[]): FixResult {
  const options = { customTags: [...PRESERVED_TAGS], keepSourceTokens: false };
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { ...options, lineCounter });
  if (document.errors.length > 0 || !isMap(document.contents)) {
    return unfixable(text, findings, "the template is not valid YAML");
  }
  const editor: Editor = {
    root: yamlMap(document, document.contents, lineCounter),
    sub(value) {
      const node = new Scalar(value);
      node.tag = "!Sub";
      return node;
    },
  };
  const { applied, skipped } = applyFixes(editor, findings);
  if (applied.length === 0) return { fixed: text, applied, skipped };
  const style = yamlStyle(text);
  const edited = document.toString(style);
  // The same document serialised without the edits: where it already differs
  // from the source (spacing in flow collections, quoting), the difference is
  // the serialiser's, not ours. Lay only our edits onto the original text.
  const untouched = parseDocument(text, options).toString(style);
  if (untouched === text) return { fixed: edited, applied, skipped };
  // Lines are matched ignoring indentation: the serialiser may indent a block
  // list differently from the source (yaml cannot write `key:\n- item` at an
  // indent of 4), and the original's own lines are the ones kept.
  const patch = structuredPatch("", "", untouched, edited, "", "", { context: 3 });
  const patched = applyPatch(text, patch, {
    compareLine: (_lineNumber, line, _operation, patchContent) =>
      line.trim() === patchContent.trim(),
  });
  return { fixed: patched === false ? edited : patched, applied, skipped };
}

/** How the file lays itself out, so unedited parts serialise as they were. */
function yamlStyle(text: string) {
  const lines = text.split("\n");
  let indent: number | undefined;
  let indentSeq = true;
  let previous = "";
  for (const line of lines.slice(0, 2000)) {
    const trimmed = line.trimStart();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const own = line.length - trimmed.length;
    const parentIndent = previous.length - previous.trimStart().length;
    if (/:\s*(#.*)?$/.test(previous)) {
      if (trimmed.startsWith("- ") && own === parentIndent) indentSeq = false;
      else if (!trimmed.startsWith("- ") && own > parentIndent) indent ??= own - parentIndent;
    }
    previous = line;
  }
  return {
    lineWidth: 0,
    minContentWidth: 0,
    flowCollectionPadding: false,
    indent: indent ?? 2,
    indentSeq,
  } as const;
}

function yamlMap(document: Document, map: YAMLMap, lineCounter: LineCounter): EditableMap {
  const pairOf = (key: string) =>
    map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key);
  const wrap = (value: unknown) =>
    isMap(value) ? yamlMap(document, value, lineCounter) : undefined;
  return {
    has: (key) => pairOf(key) !== undefined,
    get(key) {
      const value = pairOf(key)?.value;
      return isScalar(value) ? value.value : value;
    },
    getMap: (key) => wrap(pairOf(key)?.value),
    ensureMap(key) {
      const pair = pairOf(key);
      if (pair && isMap(pair.value)) return yamlMap(document, pair.value, lineCounter);
      const created = new YAMLMap();
      if (pair) pair.value = created;
      else map.items.push(new Pair(new Scalar(key), created));
      return yamlMap(document, created, lineCounter);
    },
    set(key, value, options = {}) {
      const node = document.createNode(value) as Node;
      if (options.flow && (node instanceof YAMLSeq || node instanceof YAMLMap)) node.flow = true;
      if (options.comment) node.comment = options.comment;
      const pair = pairOf(key);
      if (pair) pair.value = node;
      else map.items.push(new Pair(new Scalar(key), node));
    },
    keys: () => map.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : [])),
    insertAfter(afterKey, key, value) {
      const index = map.items.findIndex(
        (pair) => isScalar(pair.key) && String(pair.key.value) === afterKey,
      );
      const keyNode = new Scalar(key);
      const next = map.items[index + 1]?.key;
      // Keep the blank line between resources that the template uses.
      if (isScalar(next) && next.spaceBefore) keyNode.spaceBefore = true;
      const pair = new Pair(keyNode, document.createNode(value));
      if (index < 0) map.items.push(pair);
      else map.items.splice(index + 1, 0, pair);
    },
    lineSpan(key) {
      const pair = pairOf(key);
      const start = (pair?.key as Node | undefined)?.range?.[0];
      const end = (pair?.value as Node | undefined)?.range?.[1];
      if (start === undefined || end === undefined) return undefined;
      return [lineCounter.linePos(start).line, lineCounter.linePos(Math.max(start, end - 1)).line];
    },
  };
}

// ---------------------------------------------------------------------------
// JSON

function fixJson(text: string, findings: readonly Finding[]): FixResult {
  let template: unknown;
  try {
    template = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    template = undefined;
  }
  if (!isObject(template)) {
    return unfixable(text, findings, "the template is not valid JSON");
  }
  // Event spans come from the text: JSON is YAML, so the YAML parser has its positions.
  const lineCounter = new LineCounter();
  const positions = parseDocument(text, { lineCounter });
  const spans = (path: readonly string[], key: string): readonly [number, number] | undefined => {
    const container = positions.getIn(path, true);
    if (!isMap(container)) return undefined;
    const pair = container.items.find((item) => isScalar(item.key) && item.key.value === key);
    const start = (pair?.key as Node | undefined)?.range?.[0];
    const end = (pair?.value as Node | undefined)?.range?.[1];
    if (start === undefined || end === undefined) return undefined;
    return [lineCounter.linePos(start).line, lineCounter.linePos(Math.max(start, end - 1)).line];
  };
  const editor: Editor = {
    root: jsonMap(template, [], spans),
    sub: (value) => ({ "Fn::Sub": value }),
  };
  const { applied, skipped } = applyFixes(editor, findings);
  if (applied.length === 0) return { fixed: text, applied, skipped };
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? "  ";
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const body = JSON.stringify(template, null, indent).replaceAll("\n", newline);
  return { fixed: `${body}${/\r?\n$/.test(text) ? newline : ""}`, applied, skipped };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonMap(
  object: Record<string, unknown>,
  path: readonly string[],
  spans: (path: readonly string[], key: string) => readonly [number, number] | undefined,
): EditableMap {
  return {
    has: (key) => Object.hasOwn(object, key),
    get: (key) => object[key],
    getMap(key) {
      const value = object[key];
      return isObject(value) ? jsonMap(value, [...path, key], spans) : undefined;
    },
    ensureMap(key) {
      if (!isObject(object[key])) object[key] = {};
      return jsonMap(object[key] as Record<string, unknown>, [...path, key], spans);
    },
    set(key, value) {
      object[key] = value;
    },
    keys: () => Object.keys(object),
    insertAfter(afterKey, key, value) {
      // Rebuild the object so the new key sits after afterKey, as it would in the YAML.
      const entries = Object.entries(object);
      const index = entries.findIndex(([name]) => name === afterKey);
      entries.splice(index < 0 ? entries.length : index + 1, 0, [key, value]);
      for (const name of Object.keys(object)) delete object[name];
      Object.assign(object, Object.fromEntries(entries));
    },
    lineSpan: (key) => spans(path, key),
  };
}
