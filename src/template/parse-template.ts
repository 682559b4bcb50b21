/**
 * Read a CloudFormation or SAM template (YAML or JSON: JSON is YAML) into a
 * plain object with the short forms expanded, and keep the syntax tree so any
 * value can be traced back to its line: the audit engine reports findings by
 * line, and template errors should point at the line to fix.
 */
import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from "yaml";
import { isPlainObject } from "../plain-object.js";
import { isLooseFlowIndent, MAX_FLOW_REINDENTS, reindentFlowLine } from "./flow-indent.js";
import { CLOUDFORMATION_TAGS } from "./short-forms.js";
import { TemplateError, type TemplateLocation } from "./template-error.js";

/** A step into the template: a map key or a list index. */
export type TemplatePath = readonly (string | number)[];

/** 1-based, as editors count. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A key given more than once in one mapping: as PyYAML (SAM CLI, cfn-lint's loader) does, the last one is used. */
export interface DuplicateKey {
  /** The mapping's path, then the key: ["Resources", "Fn", "Properties", "MemorySize"]. */
  readonly path: TemplatePath;
  /** Where each occurrence's key starts, in order; the last is the one used. */
  readonly positions: readonly SourcePosition[];
}

export interface ParsedTemplate {
  /** Absolute path of the file read. */
  readonly file: string;
  /** The template as plain JS, short forms in their long form ({"Ref": ...}, {"Fn::Sub": ...}). */
  readonly template: Record<string, unknown>;
  /** Things the parser let through but CloudFormation would not, e.g. an unknown !Tag. */
  readonly warnings: readonly string[];
  /** Keys given more than once in a mapping; the template holds the last value of each. */
  readonly duplicateKeys: readonly DuplicateKey[];
  /**
   * Where the node at a path starts; for a map entry, where its key starts
   * (the line a reader looks for: `Timeout: 30`). Undefined when the path is not
   * in the template. Paths use long forms: ["Resources", "Fn", "Properties",
   * "Role", "Fn::GetAtt", 0].
   */
  positionOf(path: TemplatePath): SourcePosition | undefined;
  /**
   * The position of the deepest node along the path that exists: for a
   * finding about a missing property, the resource that lacks it.
   */
  nearestPositionOf(path: TemplatePath): SourcePosition;
  /** nearestPositionOf with the file name, ready for a TemplateError. */
  locationOf(path: TemplatePath): TemplateLocation;
}

export function parseTemplate(file: string): ParsedTemplate {
  const absolute = resolvePath(file);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (error) {
    throw new TemplateError({ file }, `cannot read the template (${readProblem(error)})`);
  }
  return parseTemplateText(text, file, absolute);
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a folder; name the template file in it, e.g. template.yaml";
  if (code === "EACCES") return "permission denied";
  return (error as Error).message;
}

/**
 * Parse template text. `file` is what messages show (as the user typed it);
 * `absolutePath` is what `file` on the result holds.
 */
export function parseTemplateText(
  text: string,
  file: string,
  absolutePath = resolvePath(file),
): ParsedTemplate {
  const { document, lineCounter } = parseLikePyYaml(text);
  const firstError = document.errors[0];
  if (firstError) {
    throw new TemplateError(
      errorLocation(file, firstError),
      /Maximum call stack/.test(firstError.message)
        ? "nested too deeply to read (flow collections [ ] or { } inside each other thousands of levels deep)"
        : `not valid YAML or JSON: ${firstLine(firstError)}`,
    );
  }
  const root = document.contents;
  if (root === null) throw new TemplateError({ file }, "the template is empty");
  const template = documentToJS(document, file);
  if (!isMap(root) || !isPlainObject(template)) {
    const { line, col } = lineCounter.linePos(root.range?.[0] ?? 0);
    throw new TemplateError(
      { file, line, column: col },
      "not a template: expected a mapping at the top (AWSTemplateFormatVersion, Parameters, Resources, ...)",
    );
  }

  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const walk = (path: TemplatePath) => walkPath(document, path);
  const nearestPositionOf = (path: TemplatePath) => at(walk(path).offset);

  return {
    file: absolutePath,
    template,
    warnings: document.warnings.map(
      (warning) => `${errorLocationText(file, warning)}: ${firstLine(warning)}`,
    ),
    positionOf(path) {
      const found = walk(path);
      return found.complete ? at(found.offset) : undefined;
    },
    duplicateKeys: findDuplicateKeys(document, at, file),
    nearestPositionOf,
    locationOf(path) {
      const { line, column } = nearestPositionOf(path);
      return { file, line, column };
    },
  };
}

/**
 * Parse as PyYAML reads a template: a key repeated in a mapping is allowed
 * (the last one wins), and a flow collection whose continuation lines are
 * indented too little is read (see flow-indent.ts).
 */
function parseLikePyYaml(text: string): { document: Document; lineCounter: LineCounter } {
  const parse = (source: string) => {
    const lineCounter = new LineCounter();
    const document = parseDocument(source, {
      customTags: [...CLOUDFORMATION_TAGS],
      lineCounter,
      uniqueKeys: false,
    });
    return { document, lineCounter };
  };
  const first = parse(text);
  let parsed = first;
  let source = text;
  let extra = 0;
  let lastLine: number | undefined;
  for (let attempt = 0; attempt < MAX_FLOW_REINDENTS; attempt++) {
    const loose = parsed.document.errors.find(isLooseFlowIndent);
    if (!loose) return parsed;
    const line = loose.linePos?.[0]?.line;
    extra = line === lastLine ? extra + 1 : 0;
    lastLine = line;
    const reindented = reindentFlowLine(source, loose, extra);
    if (reindented === undefined) break;
    source = reindented;
    parsed = parse(source);
    if (parsed.document.errors.length === 0) return parsed;
  }
  // Not a loosely indented collection after all (one never closed, say): the
  // first parse's error points at the line to fix.
  return first;
}

/** Every key repeated within one mapping, with where each occurrence is. */
function findDuplicateKeys(
  document: Document,
  at: (offset: number) => SourcePosition,
  file: string,
): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const visit = (node: unknown, path: TemplatePath): void => {
    if (isMap(node)) {
      const offsets = new Map<string, number[]>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const list = offsets.get(key) ?? [];
        list.push(pair.key.range?.[0] ?? 0);
        offsets.set(key, list);
        visit(pair.value, [...path, key]);
      }
      for (const [key, list] of offsets) {
        if (list.length > 1) found.push({ path: [...path, key], positions: list.map(at) });
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) visit(item, [...path, index]);
    }
  };
  try {
    visit(document.contents, []);
  } catch (error) {
    if (error instanceof RangeError) throw new TemplateError({ file }, "nested too deeply to read");
    throw error;
  }
  return found;
}

/**
 * The yaml library refuses a document whose aliases expand past a limit (a
 * "billion laughs" bomb) with a ReferenceError, and a deeply nested one can
 * overflow the stack: both are a bad file, so both become a TemplateError that
 * names it, never a crash.
 */
function documentToJS(document: Document, file: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new TemplateError(
        { file },
        'its aliases (*name) expand to too many nodes: a resource-exhaustion "alias bomb", refused; repeat fewer or smaller aliased nodes',
      );
    }
    if (error instanceof RangeError) {
      throw new TemplateError({ file }, "nested too deeply to read");
    }
    throw error;
  }
}

/** Generous for real templates, which rarely use aliases at all (CloudFormation has none). */
const MAX_ALIAS_COUNT = 1000;

interface WalkResult {
  /** Source offset of the deepest node reached. */
  readonly offset: number;
  /** Whether the whole path was found. */
  readonly complete: boolean;
}

function walkPath(document: Document, path: TemplatePath): WalkResult {
  let node: unknown = document.contents;
  let offset = (node as Node).range?.[0] ?? 0;
  for (const [index, step] of path.entries()) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      // The last of repeated keys: it is the one whose value the template holds.
      const pair = node.items
        .filter((item) => isScalar(item.key) && String(item.key.value) === String(step))
        .at(-1);
      if (!pair) return { offset, complete: false };
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(String(step)) && Number(step) < node.items.length) {
      node = node.items[Number(step)];
      offset = (node as Node).range?.[0] ?? offset;
    } else if (isScalar(node) && isPlainObject(node.value)) {
      // A scalar short form (`!Ref Name`): its long form has no nodes of its own, so
      // everything inside it is on the tag's line.
      return { offset, complete: hasPath(node.value, path.slice(index)) };
    } else {
      return { offset, complete: false };
    }
  }
  return { offset, complete: true };
}

function hasPath(value: unknown, path: TemplatePath): boolean {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current) || isPlainObject(current)) {
      if (!Object.hasOwn(current, step)) return false;
      current = (current as Record<string | number, unknown>)[step];
    } else {
      return false;
    }
  }
  return true;
}

function firstLine(error: YAMLError): string {
  return (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
}

function errorLocation(file: string, error: YAMLError): TemplateLocation {
  const position = error.linePos?.[0];
  return position ? { file, line: position.line, column: position.col } : { file };
}

function errorLocationText(file: string, error: YAMLError): string {
  const { line, column } = errorLocation(file, error);
  return line === undefined ? file : `${file}:${line}:${column}`;
}
