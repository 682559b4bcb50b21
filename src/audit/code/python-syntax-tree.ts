/**
 * tree-sitter-python's syntax tree, copied out of WebAssembly memory into
 * plain JavaScript objects (SyntaxNode) in one pass of a TreeCursor: every
 * read of a web-tree-sitter Node (its type, a child, its text) is a call into
 * WebAssembly and a new object, and parse-python.ts's walks read each node
 * several times, so reading each node once is most of their speed.
 */
import type { Language, Tree } from "web-tree-sitter";

/** The grammar's node kinds and field names by id, as web-tree-sitter names them. */
export interface Grammar {
  /** Node kind by type id: what `Node.type` says ("ERROR" for ids it has no name for). */
  readonly types: readonly string[];
  /** Whether nodes of a type id are named (`Node.isNamed`); ERROR (65535) is past the end, and named. */
  readonly named: readonly boolean[];
  /** Whether nodes of a type id are not entered: LEAF_KINDS. */
  readonly leaf: readonly boolean[];
  /** Whether the children of nodes of a type id may be in fields: not for FIELDLESS_KINDS. */
  readonly fielded: readonly boolean[];
  /** Field id by name. */
  readonly fields: ReadonlyMap<string, number>;
  readonly commentId: number;
  readonly globalStatementId: number;
  readonly stringId: number;
  readonly comparisonId: number;
  readonly importPrefixId: number;
}

/**
 * Named kinds that have no children in tree-sitter-python (tokens), so they
 * are not entered (a test checks its node-types.json; exported for that
 * test). Anonymous nodes are not entered either (copyTree): the only ones
 * with children are `not in` and `is not`, whose children are their keywords.
 */
export const LEAF_KINDS: ReadonlySet<string> = new Set([
  "identifier",
  "comment",
  "integer",
  "float",
  "true",
  "false",
  "none",
  "string_start",
  "string_end",
  "escape_sequence",
  "line_continuation",
  "ellipsis",
]);

/**
 * Named kinds that have no fields in tree-sitter-python, so their children's
 * fields are not read (a test checks its node-types.json; exported for that
 * test).
 */
export const FIELDLESS_KINDS: ReadonlySet<string> = new Set([
  "module",
  "expression_statement",
  "return_statement",
  "argument_list",
  "expression_list",
  "parenthesized_expression",
  "conditional_expression",
  "string",
  "string_content",
  "concatenated_string",
  "dotted_name",
  "relative_import",
  "import_prefix",
  "tuple",
  "list",
  "set",
  "dictionary",
  "parameters",
  "lambda_parameters",
  "decorator",
  "pattern_list",
  "tuple_pattern",
  "list_pattern",
  "list_splat",
  "dictionary_splat",
  "list_splat_pattern",
  "dictionary_splat_pattern",
  "global_statement",
  "nonlocal_statement",
  "delete_statement",
  "assert_statement",
  "await",
  "yield",
  "if_clause",
  "slice",
  "with_clause",
  "finally_clause",
]);

/**
 * The same string, as V8 keeps property names: the walks switch on node
 * kinds, and comparing two such strings is comparing pointers (the names
 * web-tree-sitter decodes from WebAssembly memory are compared by content).
 */
function internalized(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

export function readGrammar(language: Language): Grammar {
  const types: string[] = [];
  const named: boolean[] = [];
  const leaf: boolean[] = [];
  const fielded: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const type = internalized(language.types[id] || "ERROR");
    const isNamed = language.nodeTypeIsNamed(id);
    types.push(type);
    named.push(isNamed);
    leaf.push(LEAF_KINDS.has(type));
    fielded.push(!isNamed || !FIELDLESS_KINDS.has(type));
  }
  const fields = new Map<string, number>();
  language.fields.forEach((name, id) => {
    if (name !== null && !fields.has(name)) fields.set(name, id);
  });
  return {
    types,
    named,
    leaf,
    fielded,
    fields,
    commentId: language.idForNodeType("comment", true) ?? -1,
    globalStatementId: language.idForNodeType("global_statement", true) ?? -1,
    stringId: language.idForNodeType("string", true) ?? -1,
    comparisonId: language.idForNodeType("comparison_operator", true) ?? -1,
    importPrefixId: language.idForNodeType("import_prefix", true) ?? -1,
  };
}

/** What the nodes of one tree share: the text and the grammar. */
class SyntaxTree {
  private lineStarts: number[] | undefined;

  constructor(
    readonly text: string,
    readonly grammar: Grammar,
  ) {}

  /** 0-based row and column (UTF-16 units) of an index, as tree-sitter counts them (rows end at "\n"). */
  position(index: number): { row: number; column: number } {
    if (!this.lineStarts) {
      const starts = [0];
      for (let at = this.text.indexOf("\n"); at !== -1; at = this.text.indexOf("\n", at + 1)) {
        starts.push(at + 1);
      }
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: index - starts[low]! };
  }
}

/** The children of a node that has none (never added to: see SyntaxNode.add). */
const NO_NODES: SyntaxNode[] = [];

/**
 * One node of the syntax tree as plain JavaScript, read once from
 * tree-sitter: what web-tree-sitter's Node offers that the walks use, with
 * the same meaning, at the cost of a property read. But `children` holds the
 * anonymous children only where a walk reads them (copyTree), and an
 * anonymous node has no place (startIndex and endIndex are -1) but in a
 * string.
 */
export class SyntaxNode {
  private all: SyntaxNode[] = NO_NODES;
  private named: SyntaxNode[] = NO_NODES;
  /** The named children but comments: the same array as `named` until a comment comes. */
  private significant: SyntaxNode[] = NO_NODES;
  readonly type: string;

  constructor(
    private readonly tree: SyntaxTree,
    readonly typeId: number,
    /** The field of the parent this node is in; 0 for none. */
    readonly fieldId: number,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: SyntaxNode | null,
  ) {
    this.type = tree.grammar.types[typeId] ?? "ERROR";
  }

  /** Append a child (while copying the tree). */
  add(child: SyntaxNode, named: boolean): void {
    if (this.all === NO_NODES) this.all = [child];
    else this.all.push(child);
    if (!named) return;
    if (child.typeId === this.tree.grammar.commentId) {
      if (this.significant === this.named) this.significant = this.named.slice();
      if (this.named === NO_NODES) this.named = [child];
      else this.named.push(child);
      return;
    }
    if (this.named === NO_NODES) {
      this.named = [child];
      this.significant = this.named;
      return;
    }
    this.named.push(child);
    if (this.significant !== this.named) this.significant.push(child);
  }

  get children(): readonly SyntaxNode[] {
    return this.all;
  }

  /** Named children, comments included. */
  get namedChildren(): readonly SyntaxNode[] {
    return this.named;
  }

  /** Named children but comments. */
  get significantChildren(): readonly SyntaxNode[] {
    return this.significant;
  }

  get text(): string {
    return this.tree.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): { row: number; column: number } {
    return this.tree.position(this.startIndex);
  }

  get childCount(): number {
    return this.all.length;
  }

  get firstChild(): SyntaxNode | null {
    return this.all[0] ?? null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.named[0] ?? null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const field = this.tree.grammar.fields.get(name);
    if (field === undefined) return null;
    for (const child of this.all) if (child.fieldId === field) return child;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.tree.grammar.fields.get(name);
    if (field === undefined) return [];
    return this.all.filter((child) => child.fieldId === field);
  }

  /**
   * This node and those under it of one kind, in document order. As
   * web-tree-sitter's, it passes over a node ending at the very start of the
   * text, and what is in it.
   */
  descendantsOfType(type: string): SyntaxNode[] {
    const found: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [this];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.endIndex === 0) continue;
      if (node.type === type) found.push(node);
      for (let i = node.all.length - 1; i >= 0; i--) stack.push(node.all[i]!);
    }
    return found;
  }
}

/**
 * Copy a parsed tree into SyntaxNodes with one TreeCursor walk, noting the
 * `global` statements on the way (in document order).
 *
 * Only what the walks read is read, each read being a call into WebAssembly:
 * an anonymous node (a keyword, an operator, punctuation) is kept only in a
 * string (with its place), a comparison (with its field: the operators) and
 * an import prefix (the dots), and never entered; a child of a
 * FIELDLESS_KINDS node has no field; LEAF_KINDS are not entered.
 */
export function copyTree(
  tree: Tree,
  text: string,
  grammar: Grammar,
): { root: SyntaxNode; globalStatements: SyntaxNode[] } {
  const shared = new SyntaxTree(text, grammar);
  const globalStatements: SyntaxNode[] = [];
  const { named, leaf, fielded, globalStatementId, stringId, comparisonId, importPrefixId } =
    grammar;
  const cursor = tree.walk();
  try {
    const root = new SyntaxNode(
      shared,
      cursor.nodeTypeId,
      0,
      cursor.startIndex,
      cursor.endIndex,
      null,
    );
    if (!cursor.gotoFirstChild()) return { root, globalStatements };
    let parent = root;
    for (;;) {
      const typeId = cursor.nodeTypeId;
      if (named[typeId] ?? true) {
        const node = new SyntaxNode(
          shared,
          typeId,
          (fielded[parent.typeId] ?? true) ? cursor.currentFieldId : 0,
          cursor.startIndex,
          cursor.endIndex,
          parent,
        );
        parent.add(node, true);
        if (typeId === globalStatementId) globalStatements.push(node);
        if (!leaf[typeId] && cursor.gotoFirstChild()) {
          parent = node;
          continue;
        }
      } else if (parent.typeId === stringId) {
        const node = new SyntaxNode(shared, typeId, 0, cursor.startIndex, cursor.endIndex, parent);
        parent.add(node, false);
      } else if (parent.typeId === comparisonId || parent.typeId === importPrefixId) {
        parent.add(new SyntaxNode(shared, typeId, cursor.currentFieldId, -1, -1, parent), false);
      }
      while (!cursor.gotoNextSibling()) {
        if (parent === root) return { root, globalStatements };
        cursor.gotoParent();
        parent = parent.parent!;
      }
    }
  } finally {
    cursor.delete();
  }
}
