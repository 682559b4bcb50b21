/**
 * Template edits made as small text edits at the source ranges of the nodes
 * `yaml` parsed, never by writing the document back out: a line the fix does
 * not touch keeps every byte (indentation, comments, quoting, flow style, line
 * endings), however unusually it is laid out. JSON is YAML's flow style, so
 * the same editor edits JSON templates, writing JSON there.
 *
 * New entries are gathered per map and written once at the end, so two fixes
 * that add to the same map (or to the same `Properties` that does not exist
 * yet) make one insertion. Each edit records the template path it changes
 * and the value it writes, for the check that the written file parses to the
 * same template plus exactly those values.
 */
import {
  type CollectionTag,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { isPlainObject } from "../../plain-object.js";
import { SHORT_FORMS } from "../../template/short-forms.js";

/** A CloudFormation `!Sub` the fixes write (`{"Fn::Sub": ...}` in JSON). */
export class SubValue {
  constructor(readonly text: string) {}
}

/** A mapping the fixes read and write. */
export interface EditableMap {
  has(key: string): boolean;
  /** A scalar's value, or the node itself for a collection. */
  get(key: string): unknown;
  getMap(key: string): EditableMap | undefined;
  /** The map at key, created when missing. Throws CannotEdit when key holds something else. */
  ensureMap(key: string): EditableMap;
  /** Set a scalar or a list (a list is written in flow style). */
  set(key: string, value: unknown, options?: { comment?: string }): void;
  keys(): string[];
  /** Add a new entry right after `afterKey`. */
  insertAfter(afterKey: string, key: string, value: Record<string, unknown>): void;
  /** 1-based first and last line the entry at key spans. */
  lineSpan(key: string): readonly [number, number] | undefined;
}

/** An edit the template's layout does not allow; its message says why. */
export class CannotEdit extends Error {}

/** A path the edits changed, and the value (long form) the template must hold there afterwards. */
export interface TemplateChange {
  readonly path: readonly string[];
  /** undefined for a map that was created to hold new entries (its entries are changes of their own). */
  readonly value?: unknown;
}

/**
 * Short forms that stay short forms: `!Ref X` is parsed as a tagged scalar
 * and left as written (the audit's own tags expand them, which is right for
 * reading a template, not for editing one).
 */
const PRESERVED_TAGS: ReadonlyArray<ScalarTag | CollectionTag> = Object.keys(SHORT_FORMS).flatMap(
  (tag): Array<ScalarTag | CollectionTag> => [
    { tag, resolve: (text: string) => text },
    { tag, collection: "seq", resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => node },
    { tag, collection: "map", resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => node },
  ],
);

interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** An entry waiting to be written: a value, or a map of entries (a new map). */
interface PendingEntry {
  readonly key: string;
  value: unknown;
  readonly comment?: string;
}

class PendingMap {
  readonly entries: PendingEntry[] = [];
}

export class TemplateEditor {
  readonly root: EditableMap;
  readonly changes: TemplateChange[] = [];
  private readonly lineCounter = new LineCounter();
  private readonly edits: TextEdit[] = [];
  private readonly sourceMaps = new Map<YAMLMap, SourceMap>();
  private readonly json: boolean;
  private readonly newline: string;

  /** Throws CannotEdit when the text is not a YAML or JSON mapping. */
  constructor(readonly text: string) {
    const document = parseDocument(text, {
      customTags: [...PRESERVED_TAGS],
      lineCounter: this.lineCounter,
      keepSourceTokens: false,
    });
    if (document.errors.length > 0) throw new CannotEdit("the template is not valid YAML or JSON");
    if (!isMap(document.contents)) throw new CannotEdit("the template is not a mapping");
    this.json = /^\s*\{/.test(text.replace(/^\uFEFF/, ""));
    this.newline = text.includes("\r\n") ? "\r\n" : "\n";
    this.root = this.sourceMap(document.contents, [], undefined);
  }

  /** The text with every edit applied. */
  render(): string {
    // Inner maps first: an entry added at the end of a resource's Properties
    // and a resource added after that resource go in at the same offset, and
    // the Properties entry belongs before it. A map is always met after its parent.
    for (const map of [...this.sourceMaps.values()].reverse()) map.flush();
    // Later edits first, so earlier offsets stay valid; at one offset, the
    // edit made first must end up first, so it is applied last.
    const ordered = this.edits.map((edit, index) => ({ edit, index }));
    ordered.sort((a, b) => b.edit.start - a.edit.start || b.index - a.index);
    let text = this.text;
    for (const { edit } of ordered) {
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    }
    return text;
  }

  // -------------------------------------------------------------------------
  // Used by SourceMap.

  sourceMap(node: YAMLMap, path: readonly string[], parentColumn: number | undefined): SourceMap {
    let map = this.sourceMaps.get(node);
    if (!map) {
      map = new SourceMap(this, node, path, parentColumn);
      this.sourceMaps.set(node, map);
    }
    return map;
  }

  edit(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  change(path: readonly string[], value?: unknown): void {
    this.changes.push(value === undefined ? { path } : { path, value: longForm(value) });
  }

  line(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }

  /** 0-based column of an offset. */
  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  lineStart(offset: number): number {
    return this.text.lastIndexOf("\n", offset - 1) + 1;
  }

  /** Whether only spaces or tabs stand between the start of the line and offset. */
  startsLine(offset: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart(offset), offset));
  }

  /**
   * Where a new line goes after the content ending at `offset`: the end of
   * that content's line (after any comment on it), before its line break.
   */
  endOfLine(offset: number): number {
    let end = offset;
    while (end > 0 && /\s/.test(this.text[end - 1]!)) end--;
    let lineBreak = this.text.indexOf("\n", end);
    if (lineBreak < 0) lineBreak = this.text.length;
    return this.text[lineBreak - 1] === "\r" ? lineBreak - 1 : lineBreak;
  }

  /** Whether a blank line follows the line break at `offset`. */
  blankLineAfter(offset: number): boolean {
    return /^\r?\n[ \t]*\r?\n/.test(this.text.slice(offset));
  }

  get isJson(): boolean {
    return this.json;
  }

  get lineBreak(): string {
    return this.newline;
  }

  /** The whitespace a JSON file indents by (one level). */
  jsonIndentUnit(): string {
    const indents = [...this.text.matchAll(/\n([ \t]+)"/g)].map((match) => match[1]!);
    const smallest = indents.sort((a, b) => a.length - b.length)[0];
    return smallest ?? "  ";
  }
}

/** A map that is in the source: its edits are text edits at its nodes' ranges. */
class SourceMap implements EditableMap {
  /** Entries to add after the last one. */
  private readonly appended: PendingEntry[] = [];
  /** Entries to add after a given one. */
  private readonly after = new Map<string, PendingEntry[]>();
  private readonly pendingMaps = new Map<string, PendingMapView>();

  constructor(
    private readonly editor: TemplateEditor,
    private readonly node: YAMLMap,
    private readonly path: readonly string[],
    private readonly parentColumn: number | undefined,
  ) {}

  private pair(key: string): Pair | undefined {
    return this.node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key);
  }

  /** Column of this map's keys. */
  private get column(): number {
    const first = this.node.items[0]?.key as Node | undefined;
    return this.editor.column(first?.range?.[0] ?? this.node.range?.[0] ?? 0);
  }

  /** How far this map's children are indented past its keys (its own indent past its parent's). */
  private get step(): number {
    const step = this.parentColumn === undefined ? 0 : this.column - this.parentColumn;
    return step > 0 ? step : 2;
  }

  /** An entry not written yet. */
  private pendingEntry(key: string): PendingEntry | undefined {
    return [...this.appended, ...[...this.after.values()].flat()].find(
      (entry) => entry.key === key,
    );
  }

  /** How far a sibling's body is indented past its key: a new sibling is laid out the same way. */
  private stepInside(pair: Pair): number {
    const value = pair.value as Node | null;
    const keyStart = (pair.key as Node).range![0];
    if (!isMap(value) || value.flow) return this.step;
    const first = (value.items[0]?.key as Node | undefined)?.range?.[0];
    const step = first === undefined ? 0 : this.editor.column(first) - this.editor.column(keyStart);
    return step > 0 ? step : this.step;
  }

  has(key: string): boolean {
    return this.pair(key) !== undefined || this.pendingEntry(key) !== undefined;
  }

  get(key: string): unknown {
    const pair = this.pair(key);
    if (!pair) return this.pendingEntry(key)?.value;
    return isScalar(pair.value) ? pair.value.value : pair.value;
  }

  getMap(key: string): EditableMap | undefined {
    const value = this.pair(key)?.value;
    if (isMap(value)) return this.editor.sourceMap(value, [...this.path, key], this.column);
    return this.pendingMaps.get(key);
  }

  ensureMap(key: string): EditableMap {
    const existing = this.getMap(key);
    if (existing) return existing;
    if (this.pair(key)) {
      throw new CannotEdit(`${[...this.path, key].join(".")} is not a map the fix can add to`);
    }
    const pending = new PendingMap();
    this.appended.push({ key, value: pending });
    this.editor.change([...this.path, key]);
    const view = new PendingMapView(this.editor, pending, [...this.path, key]);
    this.pendingMaps.set(key, view);
    return view;
  }

  set(key: string, value: unknown, options: { comment?: string } = {}): void {
    const path = [...this.path, key];
    const pair = this.pair(key);
    if (!pair) {
      const pending = this.pendingEntry(key);
      if (pending) pending.value = value;
      else
        this.appended.push({
          key,
          value,
          ...(options.comment ? { comment: options.comment } : {}),
        });
      this.editor.change(path, value);
      return;
    }
    const node = pair.value as Node | null;
    if (isSeq(node) && Array.isArray(value) && node.items.length === value.length) {
      // Replace the items where they are written (`- x86_64` or `[x86_64]`).
      node.items.forEach((item, index) => {
        if (!isScalar(item) || item.tag !== undefined || !item.range) {
          throw new CannotEdit(`${path.join(".")} holds more than plain values`);
        }
        if (item.value === value[index]) return;
        const written = this.editor.text.slice(item.range[0], item.range[1]);
        this.editor.edit(item.range[0], item.range[1], scalarLike(written, value[index]));
      });
    } else if (
      node?.range &&
      ((isScalar(node) && node.tag === undefined) ||
        ((isSeq(node) || isMap(node)) && node.flow === true))
    ) {
      this.editor.edit(node.range[0], node.range[1], this.inline(value));
    } else {
      throw new CannotEdit(`${path.join(".")} is written in a form the fix does not rewrite`);
    }
    this.editor.change(path, value);
  }

  keys(): string[] {
    const written = this.node.items.flatMap((pair) =>
      isScalar(pair.key) ? [String(pair.key.value)] : [],
    );
    const pending = [...this.appended, ...[...this.after.values()].flat()].map(
      (entry) => entry.key,
    );
    return [...written, ...pending];
  }

  insertAfter(afterKey: string, key: string, value: Record<string, unknown>): void {
    const list = this.after.get(afterKey) ?? [];
    list.push({ key, value });
    this.after.set(afterKey, list);
    this.editor.change([...this.path, key], value);
  }

  lineSpan(key: string): readonly [number, number] | undefined {
    const pair = this.pair(key);
    const start = (pair?.key as Node | undefined)?.range?.[0];
    if (!pair || start === undefined) return undefined;
    const end = contentEnd(pair);
    return [this.editor.line(start), this.editor.line(Math.max(start, end - 1))];
  }

  /** Write the gathered entries as text edits. */
  flush(): void {
    for (const [afterKey, entries] of this.after) {
      const pair = this.pair(afterKey);
      if (pair) this.insertEntries(pair, entries, true);
      else this.appended.push(...entries);
    }
    this.after.clear();
    if (this.appended.length === 0) return;
    const last = this.node.items.at(-1);
    if (last) this.insertEntries(last, this.appended, false);
    else if (this.node.flow && this.node.range) {
      // `{}`: the entries go between the braces.
      const rendered = this.appended.map((entry) => this.flowEntry(entry, undefined)).join(", ");
      this.editor.edit(this.node.range[0] + 1, this.node.range[0] + 1, rendered);
    } else {
      throw new CannotEdit(`${this.path.join(".")} is empty`);
    }
    this.appended.length = 0;
  }

  private insertEntries(pair: Pair, entries: readonly PendingEntry[], separate: boolean): void {
    const keyStart = (pair.key as Node).range![0];
    const end = contentEnd(pair);
    const newline = this.editor.lineBreak;
    if (this.node.flow) {
      const ownLine = this.editor.startsLine(keyStart);
      const prefix = ownLine
        ? this.editor.text.slice(this.editor.lineStart(keyStart), keyStart)
        : undefined;
      const text = entries
        .map((entry) =>
          prefix === undefined
            ? `, ${this.flowEntry(entry, undefined)}`
            : `,${newline}${prefix}${this.flowEntry(entry, prefix)}`,
        )
        .join("");
      this.editor.edit(end, end, text);
      return;
    }
    const lines = entries.flatMap((entry) =>
      blockEntry(entry, this.column, separate ? this.stepInside(pair) : this.step),
    );
    if (endsWithKeptBlockScalar(pair, this.editor.text)) {
      // `|+` keeps the blank lines after it as its value: a line added after it
      // would change it. The new lines go before the pair instead (or, for a
      // sibling, before the next one).
      const next = separate ? this.node.items[this.node.items.indexOf(pair) + 1] : pair;
      const nextKey = (next?.key as Node | undefined)?.range?.[0];
      if (next && nextKey !== undefined && this.editor.startsLine(nextKey)) {
        const at = this.editor.lineStart(nextKey);
        this.editor.edit(at, at, lines.map((line) => line + newline).join(""));
        return;
      }
    }
    const at = this.editor.endOfLine(end);
    const blank = separate && this.editor.blankLineAfter(at) ? newline : "";
    this.editor.edit(at, at, blank + lines.map((line) => newline + line).join(""));
  }

  /** An entry inside a flow map: JSON in a JSON file, flow YAML otherwise. */
  private flowEntry(entry: PendingEntry, prefix: string | undefined): string {
    if (this.editor.isJson) {
      const value = longForm(entry.value);
      const body =
        prefix === undefined
          ? JSON.stringify(value)
          : jsonText(value, this.editor.jsonIndentUnit(), prefix, this.editor.lineBreak);
      return `${JSON.stringify(entry.key)}: ${body}`;
    }
    return `${entry.key}: ${flowYaml(entry.value)}`;
  }

  /** A value written in place of another on the same line. */
  private inline(value: unknown): string {
    return this.editor.isJson ? JSON.stringify(longForm(value)) : flowYaml(value);
  }
}

/** A map the fixes created: its entries are written with its parent's insertion. */
class PendingMapView implements EditableMap {
  private readonly children = new Map<string, PendingMapView>();

  constructor(
    private readonly editor: TemplateEditor,
    private readonly pending: PendingMap,
    private readonly path: readonly string[],
  ) {}

  private entry(key: string): PendingEntry | undefined {
    return this.pending.entries.find((entry) => entry.key === key);
  }

  has = (key: string) => this.entry(key) !== undefined;
  get = (key: string) => this.entry(key)?.value;
  getMap = (key: string) => this.children.get(key);
  keys = () => this.pending.entries.map((entry) => entry.key);
  lineSpan = () => undefined;

  ensureMap(key: string): EditableMap {
    const existing = this.children.get(key);
    if (existing) return existing;
    if (this.has(key)) throw new CannotEdit(`${[...this.path, key].join(".")} is not a map`);
    const child = new PendingMap();
    this.pending.entries.push({ key, value: child });
    const view = new PendingMapView(this.editor, child, [...this.path, key]);
    this.children.set(key, view);
    return view;
  }

  set(key: string, value: unknown, options: { comment?: string } = {}): void {
    const existing = this.entry(key);
    if (existing) existing.value = value;
    else
      this.pending.entries.push({
        key,
        value,
        ...(options.comment ? { comment: options.comment } : {}),
      });
    this.editor.change([...this.path, key], value);
  }

  insertAfter(_afterKey: string, key: string, value: Record<string, unknown>): void {
    this.set(key, value);
  }
}

// ---------------------------------------------------------------------------
// Where a node's content ends, and how new values are written.

/**
 * The offset just past a pair's last content: inside a block collection,
 * the end of its last item (so comments after it, which may be about what
 * comes next, stay after the insertion).
 */
function contentEnd(pair: Pair): number {
  const keyEnd = (pair.key as Node).range![1];
  let node = pair.value as Node | null;
  let end = node?.range?.[1] ?? keyEnd;
  while (node && (isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1)!;
    if (isMap(node)) {
      const lastPair = last as Pair;
      node = (lastPair.value as Node | null) ?? null;
      end = node?.range?.[1] ?? (lastPair.key as Node).range?.[1] ?? end;
    } else {
      node = last as Node;
      end = node.range?.[1] ?? end;
    }
  }
  return end;
}

/** Pretty JSON whose nested lines start with `indent`; a list of plain values stays on one line. */
function jsonText(value: unknown, unit: string, indent: string, newline: string): string {
  const inner = indent + unit;
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(
      ([key, child]) =>
        `${newline}${inner}${JSON.stringify(key)}: ${jsonText(child, unit, inner, newline)}`,
    );
    return `{${lines.join(",")}${newline}${indent}}`;
  }
  if (Array.isArray(value) && value.some((item) => typeof item === "object" && item !== null)) {
    const lines = value.map((item) => `${newline}${inner}${jsonText(item, unit, inner, newline)}`);
    return `[${lines.join(",")}${newline}${indent}]`;
  }
  return JSON.stringify(value);
}

/** Whether a pair's content ends with a block scalar that keeps its trailing lines (`|+`, `>2+`). */
function endsWithKeptBlockScalar(pair: Pair, text: string): boolean {
  let node = pair.value as Node | null;
  while (node && (isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1)!;
    node = isMap(node) ? ((last as Pair).value as Node | null) : (last as Node);
  }
  if (!isScalar(node) || !node.range) return false;
  if (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED") return false;
  return /^[|>][1-9]?\+/.test(text.slice(node.range[0], node.range[0] + 3));
}

/** Block YAML lines for one entry at a column, children `step` further in. */
function blockEntry(entry: PendingEntry, column: number, step: number): string[] {
  const indent = " ".repeat(column);
  const value = entry.value;
  const children =
    value instanceof PendingMap
      ? value.entries
      : isPlainObject(value)
        ? Object.entries(value).map(([key, child]) => ({ key, value: child }))
        : undefined;
  if (children) {
    return [
      `${indent}${entry.key}:`,
      ...children.flatMap((child) => blockEntry(child, column + step, step)),
    ];
  }
  const comment = entry.comment ? ` #${entry.comment}` : "";
  return [`${indent}${entry.key}: ${flowYaml(value)}${comment}`];
}

/** A value in YAML flow style: plain or double-quoted scalars, `[a, b]`, `{k: v}`, `!Sub x`. */
function flowYaml(value: unknown): string {
  if (value instanceof SubValue) return `!Sub ${yamlString(value.text)}`;
  if (Array.isArray(value)) return `[${value.map(flowYaml).join(", ")}]`;
  if (value instanceof PendingMap) {
    return `{${value.entries.map((entry) => `${entry.key}: ${flowYaml(entry.value)}`).join(", ")}}`;
  }
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([key, child]) => `${key}: ${flowYaml(child)}`)
      .join(", ")}}`;
  }
  if (typeof value === "string") return yamlString(value);
  return String(value);
}

/** Plain when YAML reads it back as the same string, double-quoted (JSON escapes are YAML's) otherwise. */
function yamlString(text: string): string {
  const plain =
    /^[A-Za-z0-9_/$.][A-Za-z0-9_/${}.:-]*$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(text) &&
    !/^[-+.\d]/.test(text) &&
    !text.includes(": ");
  return plain ? text : JSON.stringify(text);
}

/** Replace a written scalar, keeping its quoting. */
function scalarLike(written: string, value: unknown): string {
  if (typeof value !== "string") return String(value);
  if (written.startsWith('"')) return JSON.stringify(value);
  if (written.startsWith("'")) return `'${value.replaceAll("'", "''")}'`;
  return yamlString(value);
}

/** The value as the template parser reads it back: `!Sub` in its long form, maps as objects. */
export function longForm(value: unknown): unknown {
  if (value instanceof SubValue) return { "Fn::Sub": value.text };
  if (value instanceof PendingMap) {
    return Object.fromEntries(value.entries.map((entry) => [entry.key, longForm(entry.value)]));
  }
  if (Array.isArray(value)) return value.map(longForm);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, longForm(child)]));
  }
  return value;
}
