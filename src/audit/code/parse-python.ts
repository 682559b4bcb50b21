/**
 * Python to the facts code rules match (code-model.ts), read from
 * tree-sitter-python's syntax tree (web-tree-sitter, WebAssembly) in one walk
 * that knows which function every expression is in and which module-level
 * names it touches. tree-sitter recovers from syntax errors, so a file that
 * does not parse still yields what could be read.
 *
 * The tree is first copied out of WebAssembly memory into plain JavaScript
 * objects (python-syntax-tree.ts), which the walks below read.
 *
 * The walks keep their own stack instead of recursing, so a deeply nested
 * expression (generated code) cannot overflow the JavaScript stack.
 */
import { createRequire } from "node:module";
import { Language, Parser, type Node as TreeSitterNode } from "web-tree-sitter";
import type {
  CallSite,
  CodeExport,
  CodeFunction,
  CodeImport,
  CodeModule,
  CodePosition,
  EnvRead,
  StateWrite,
  TmpWrite,
  ValueOrigin,
} from "./code-model.js";
import { copyTree, type Grammar, readGrammar, type SyntaxNode } from "./python-syntax-tree.js";

let parser: Parser | undefined;
/** The grammar's node kinds and fields, by id, read once from the Language. */
let grammar: Grammar | undefined;
let loading: Promise<void> | undefined;

/** Load the grammar once (web-tree-sitter is async to start); call before parsePython. Idempotent. */
export async function initPythonParser(): Promise<void> {
  loading ??= loadParser().catch((error: unknown) => {
    loading = undefined; // a later call may try again
    throw error;
  });
  await loading;
}

async function loadParser(): Promise<void> {
  await Parser.init();
  const require = createRequire(import.meta.url);
  const language = await Language.load(
    require.resolve("tree-sitter-python/tree-sitter-python.wasm"),
  );
  const created = new Parser();
  created.setLanguage(language);
  grammar = readGrammar(language);
  parser = created;
}

/**
 * Parse one file's text into the facts. Never throws for bad source: sets
 * parseError and still fills what was read. Throws only if initPythonParser
 * was not awaited.
 */
export function parsePython(file: string, text: string): CodeModule {
  if (!parser) throw new Error("parsePython: await initPythonParser() first");
  const tree = parser.parse(text);
  const facts = new FactCollector(file);
  if (!tree) {
    // Only a cancelled parse returns no tree; we never cancel, but stay total.
    return facts.module({ message: "syntax error", position: { line: 1, column: 1 } });
  }
  try {
    const { root, globalStatements } = copyTree(tree, text, grammar!);
    facts.collect(root, globalStatements);
    return facts.module(parseErrorOf(tree.rootNode));
  } finally {
    tree.delete(); // the tree lives in wasm memory, not on the JS heap
  }
}

/** List, dict and set methods that change their receiver. */
const MUTATING_METHODS = new Set([
  "append",
  "extend",
  "insert",
  "pop",
  "popitem",
  "remove",
  "clear",
  "update",
  "add",
  "setdefault",
  "discard",
  "sort",
  "reverse",
]);

/** Decorators that memoize a function, so what it calls runs once per argument set. */
const MEMOIZERS = new Set([
  "functools.lru_cache",
  "functools.cache",
  "cachetools.cached",
  "cachetools.cachedmethod",
  ...["fifo", "lfu", "lru", "mru", "rr", "ttl"].map((kind) => `cachetools.func.${kind}_cache`),
]);

// setdefault reads the variable too, and sets it when unset (with its second argument, a default).
const ENV_GETTERS = new Set(["os.environ.get", "os.getenv", "os.environ.setdefault"]);
const FILE_OPENERS = new Set(["open", "io.open", "codecs.open"]);
const PATH_CLASSES = new Set(["pathlib.Path", "pathlib.PosixPath", "pathlib.PurePosixPath"]);
const PATH_WRITES = new Set(["write_text", "write_bytes"]);

/** The names a function (or the module) binds, for telling its locals from module state. */
interface Scope {
  /** Index into functions; undefined for the module. */
  readonly index: number | undefined;
  /** The enclosing function's scope (class bodies are no scope for the functions in them). */
  readonly parent: Scope | undefined;
  /** Names declared `global` here. */
  readonly globals: ReadonlySet<string>;
  /** Names bound here other than by import: parameters, assignments, def, class, for, with, nonlocal. */
  readonly assigned: ReadonlySet<string>;
  /** Names bound here by import -> what they name, qualified ("boto3", "uuid.uuid4", ".db"). */
  readonly imported: ReadonlyMap<string, string>;
}

interface WalkState {
  readonly scope: Scope;
  /** The class whose body this is ("Repo", "Outer.Inner"), naming its methods; undefined elsewhere. */
  readonly className: string | undefined;
  /** Module-level names tested by the conditions this code runs under, in this function. */
  readonly guards: readonly string[];
  /** Names the directly enclosing `if` tests as unset (`x is None`, `not x`, `k not in x`). */
  readonly unsetTested: ReadonlySet<string>;
  /** Inside a function memoized by a decorator. */
  readonly memoized: boolean;
}

interface Visit {
  readonly node: SyntaxNode;
  readonly state: WalkState;
  /** The node is written (assignment or del target), not read. */
  readonly target?: boolean;
}

interface PendingCall {
  /** The call site, but `cached`: module() sets it when all writes are known. */
  readonly site: CallSite & { cached: boolean };
  readonly guards: readonly string[];
  readonly memoized: boolean;
  /** The callee as a reference to another function, when it is a plain dotted name. */
  readonly reference: string | undefined;
  /** Arguments that are plain dotted names: callbacks passed by name run too. */
  readonly argumentReferences: readonly string[];
  /** What a method is called on (`x` of `x.m()`), and the positional arguments: their origins are read when every call is known. */
  readonly receiver: SyntaxNode | undefined;
  readonly positional: readonly SyntaxNode[];
  readonly scope: Scope;
}

/** A value a name is assigned (ValueOrigin): the expression, and the scope it is written in. */
interface ValueBinding {
  readonly value: SyntaxNode;
  readonly scope: Scope;
}

/** How many names a value is followed through (`a = f(); b = a["x"]`), which also ends cycles (`a = a.next`). */
const MAX_ORIGIN_HOPS = 8;

/** One imported module of an import statement. */
interface ParsedImport {
  readonly specifier: string;
  /** Local name -> imported name ("*" for a module). */
  readonly names: Map<string, string>;
  /** Local name -> the qualified name it stands for. */
  readonly origins: Map<string, string>;
}

/** What a top-level name is bound to, for following exports to functions. */
interface TopLevelBinding {
  /** Where the binding takes effect (after its value is computed). */
  readonly end: number;
  readonly functionIndex?: number;
  readonly value?: SyntaxNode;
}

const NO_NAMES: ReadonlySet<string> = new Set();

class FactCollector {
  private readonly imports: CodeImport[] = [];
  private readonly moduleNames = new Set<string>();
  private readonly functions: Omit<CodeFunction, "references">[] = [];
  private readonly pending: PendingCall[] = [];
  /** Each call recorded, by node: its index in pending (and calls). */
  private readonly callIndex = new Map<SyntaxNode, number>();
  /** The expressions of `return` statements inside functions, for CallSite.returned. */
  private readonly returnedValues: { readonly node: SyntaxNode; readonly scope: Scope }[] = [];
  /**
   * Names each scope (a function index; undefined for the module) assigns
   * with `name = value`, for ValueOrigin. A name assigned twice is null:
   * which value it holds at a use is not known.
   */
  private readonly values = new Map<number | undefined, Map<string, ValueBinding | null>>();
  private readonly stateWrites: StateWrite[] = [];
  private readonly envReads: EnvRead[] = [];
  private readonly tmpWrites: TmpWrite[] = [];
  private readonly literalKeys = new Set<string>();
  /** Lambda node -> its index in functions, to follow `handler = wrap(lambda ...)`. */
  private readonly lambdaIndex = new Map<SyntaxNode, number>();
  private readonly topLevel = new Map<string, TopLevelBinding[]>();
  private readonly exportEntries: {
    name: string;
    node: SyntaxNode;
    value?: SyntaxNode;
    functionIndex?: number;
  }[] = [];
  private moduleScope: Scope = {
    index: undefined,
    parent: undefined,
    globals: NO_NAMES,
    assigned: NO_NAMES,
    imported: new Map(),
  };

  constructor(private readonly file: string) {}

  collect(root: SyntaxNode, globalStatements: readonly SyntaxNode[]): void {
    // Functions may use module names bound further down, so bind them all first.
    const assigned = new Set<string>();
    const imported = new Map<string, string>();
    this.collectBindings(namedChildren(root), false, { globals: new Set(), assigned, imported });
    this.moduleScope = { ...this.moduleScope, assigned, imported };
    for (const name of assigned) this.moduleNames.add(name);
    for (const name of imported.keys()) this.moduleNames.add(name);
    for (const statement of globalStatements) {
      for (const name of namedChildren(statement)) this.moduleNames.add(name.text);
    }
    this.walk(root);
  }

  module(parseError: CodeModule["parseError"]): CodeModule {
    const writtenIn = new Map<number, Set<string>>();
    for (const write of this.stateWrites) {
      const names = writtenIn.get(write.scope) ?? new Set<string>();
      writtenIn.set(write.scope, names.add(write.name));
    }
    const references = this.functions.map((): string[] => []);
    const moduleReferences: string[] = [];
    const returned = this.returnedCalls();
    const calls: CallSite[] = this.pending.map((call, index) => {
      const scope = call.site.scope;
      const cached =
        scope !== undefined &&
        (call.memoized || call.guards.some((name) => writtenIn.get(scope)?.has(name) ?? false));
      const into = scope === undefined ? moduleReferences : references[scope]!;
      // A function whose result is kept does not run per call: it is no reference.
      if (call.reference !== undefined && !cached) into.push(call.reference);
      for (const reference of call.argumentReferences) into.push(reference);
      call.site.cached = cached;
      return {
        ...call.site,
        ...this.origins(call),
        ...(returned.has(index) ? { returned: true } : {}),
      };
    });
    return {
      file: this.file,
      language: "python",
      imports: this.imports,
      moduleNames: this.moduleNames,
      functions: this.functions.map((fn, index) => ({
        ...fn,
        references: [...new Set(references[index])],
      })),
      moduleReferences: [...new Set(moduleReferences)],
      calls,
      stateWrites: this.stateWrites,
      envReads: this.envReads,
      tmpWrites: this.tmpWrites,
      literalKeys: this.literalKeys,
      exports: this.resolveExports(),
      ...(parseError ? { parseError } : {}),
    };
  }

  // ---- bindings -------------------------------------------------------------

  /**
   * The names a scope's code binds, without entering nested functions and
   * classes (whose own names are bound here). Comprehension variables count
   * only in functions: at module level they bind no module name.
   */
  private collectBindings(
    start: readonly SyntaxNode[],
    inFunction: boolean,
    into: { globals: Set<string>; assigned: Set<string>; imported: Map<string, string> },
  ): void {
    const stack = [...start];
    for (let node = stack.pop(); node; node = stack.pop()) {
      switch (node.type) {
        case "function_definition":
        case "class_definition": {
          const name = node.childForFieldName("name");
          if (name) into.assigned.add(name.text);
          continue;
        }
        case "lambda":
          continue;
        case "import_statement":
        case "import_from_statement":
        case "future_import_statement":
          for (const parsed of parseImport(node)) {
            for (const [local, origin] of parsed.origins) into.imported.set(local, origin);
          }
          continue;
        case "global_statement":
          for (const name of namedChildren(node)) into.globals.add(name.text);
          continue;
        case "nonlocal_statement":
          // An enclosing function's variable: not module state either.
          for (const name of namedChildren(node)) into.assigned.add(name.text);
          continue;
        case "assignment":
          // A bare annotation (`x: int`) binds nothing at module level, but makes x local in a function.
          if (inFunction || node.childForFieldName("right")) {
            addTargetNames(node.childForFieldName("left"), into.assigned);
          }
          break;
        case "augmented_assignment":
        case "for_statement":
          addTargetNames(node.childForFieldName("left"), into.assigned);
          break;
        case "for_in_clause":
          if (inFunction) addTargetNames(node.childForFieldName("left"), into.assigned);
          break;
        case "as_pattern": // with ... as x, except E as e, case ... as x
          addTargetNames(node.childForFieldName("alias")?.firstNamedChild ?? null, into.assigned);
          break;
        case "named_expression": {
          const name = node.childForFieldName("name");
          if (name) into.assigned.add(name.text);
          break;
        }
        case "delete_statement":
          if (inFunction) {
            for (const target of deleteTargets(node)) {
              if (target.type === "identifier") into.assigned.add(target.text);
            }
          }
          break;
      }
      for (const child of namedChildren(node)) stack.push(child);
    }
    for (const name of into.globals) {
      into.assigned.delete(name);
      into.imported.delete(name);
    }
  }

  private functionScope(
    parameters: SyntaxNode | null,
    body: SyntaxNode | null,
    index: number,
    outer: Scope,
  ) {
    const assigned = new Set<string>(parameterNames(parameters));
    const globals = new Set<string>();
    const imported = new Map<string, string>();
    this.collectBindings(body ? [body] : [], true, { globals, assigned, imported });
    return { index, parent: outer, globals, assigned, imported } satisfies Scope;
  }

  /** Whether `name`, read in `scope`, is a module-level name (not a local of this or an enclosing function). */
  private isModuleName(name: string, scope: Scope): boolean {
    for (let current = scope; current.index !== undefined; current = current.parent!) {
      if (current.globals.has(name)) return true;
      if (current.assigned.has(name) || current.imported.has(name)) return false;
    }
    return this.moduleNames.has(name);
  }

  /** What an imported name stands for, seen from `scope`; undefined when it is no import there. */
  private originOf(name: string, scope: Scope): string | undefined {
    for (let current: Scope | undefined = scope; current; current = current.parent) {
      if (current.index !== undefined && current.globals.has(name)) {
        return this.moduleScope.imported.get(name);
      }
      const origin = current.imported.get(name);
      if (origin !== undefined) return origin;
      if (current.assigned.has(name)) return undefined;
      if (current.index === undefined) return undefined;
    }
    return this.moduleScope.imported.get(name);
  }

  /**
   * The callee text with its first name replaced by what it was imported as:
   * `b.client` after `import boto3 as b` -> "boto3.client"; `uuid4` after
   * `from uuid import uuid4` -> "uuid.uuid4". Anything else stays as written.
   */
  private qualify(text: string, scope: Scope): string {
    let end = 0;
    while (end < text.length && !".([".includes(text[end]!)) end++;
    if (end === 0) return text;
    const origin = this.originOf(text.slice(0, end), scope);
    return origin === undefined ? text : origin + text.slice(end);
  }

  // ---- the walk -------------------------------------------------------------

  private walk(root: SyntaxNode): void {
    const stack: Visit[] = [
      {
        node: root,
        state: {
          scope: this.moduleScope,
          className: undefined,
          guards: [],
          unsetTested: NO_NAMES,
          memoized: false,
        },
      },
    ];
    for (let visit = stack.pop(); visit; visit = stack.pop()) this.visit(visit, stack);
  }

  /** Handle one node and queue its children (pushed last-first, so they are visited in order). */
  private visit({ node, state, target }: Visit, stack: Visit[]): void {
    const queue = (
      children: readonly SyntaxNode[],
      childState: WalkState = state,
      asTarget = false,
    ) => {
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i]!;
        stack.push(
          asTarget
            ? { node: child, state: childState, target: true }
            : { node: child, state: childState },
        );
      }
    };
    const inFunction = state.scope.index !== undefined;
    switch (node.type) {
      case "function_definition":
        this.visitFunction(node, state, queue);
        return;
      case "lambda":
        this.visitLambda(node, state, queue);
        return;
      case "class_definition": {
        const name = node.childForFieldName("name")?.text ?? "";
        const superclasses = node.childForFieldName("superclasses");
        const body = node.childForFieldName("body");
        if (body) {
          queue([body], {
            ...state,
            className: state.className ? `${state.className}.${name}` : name,
            unsetTested: NO_NAMES,
          });
        }
        if (superclasses) queue([superclasses]);
        return;
      }
      case "import_statement":
      case "import_from_statement":
      case "future_import_statement":
        for (const { specifier, names } of parseImport(node)) {
          this.imports.push({ specifier, names, position: positionOf(node) });
        }
        return;
      case "module":
      case "block":
        this.visitStatements(node, state, stack);
        return;
      case "if_statement":
      case "elif_clause": {
        const condition = node.childForFieldName("condition");
        const guarded = {
          ...state,
          guards: [...state.guards, ...this.guardNames(condition, state)],
        };
        queue(node.childrenForFieldName("alternative"), { ...guarded, unsetTested: NO_NAMES });
        const consequence = node.childForFieldName("consequence");
        if (consequence) queue([consequence], { ...guarded, unsetTested: unsetNames(condition) });
        if (condition) queue([condition]);
        return;
      }
      case "conditional_expression": {
        // body if condition else alternative
        const [body, condition, alternative] = namedChildren(node);
        const guarded = {
          ...state,
          guards: [...state.guards, ...this.guardNames(condition, state)],
        };
        queue(
          [body, alternative].filter((child) => child !== undefined),
          guarded,
        );
        if (condition) queue([condition]);
        return;
      }
      case "boolean_operator": {
        // `CACHE.get(k) or CACHE.setdefault(k, load(k))`: the right side runs under the left's test.
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        if (right) {
          queue([right], { ...state, guards: [...state.guards, ...this.guardNames(left, state)] });
        }
        if (left) queue([left]);
        return;
      }
      case "assignment":
      case "augmented_assignment": {
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        if (left) this.recordAssignment(node, left, state);
        if (node.type === "assignment" && left?.type === "identifier" && right) {
          this.bindValue(left.text, right, state.scope);
        }
        if (node.type === "assignment" && left?.type === "identifier" && !inFunction) {
          this.bindTopLevel(left.text, node, state, right);
        }
        if (right) queue([right], state);
        // Each single target is written, not read (`os.environ["X"] = v` reads no variable).
        if (left) queue(targetNodes(left), state, true);
        return;
      }
      case "delete_statement": {
        const targets = deleteTargets(node);
        for (const deleted of targets) {
          if (deleted.type === "identifier")
            this.recordWrite(deleted.text, "assign", deleted, state);
          else this.recordMutation(deleted, deleted, state);
        }
        queue(targets, state, true);
        return;
      }
      case "named_expression": {
        const name = node.childForFieldName("name");
        if (name && inFunction && state.scope.globals.has(name.text)) {
          this.recordWrite(name.text, "assign", name, state);
        }
        break;
      }
      case "return_statement": {
        const value = node.firstNamedChild;
        if (value && inFunction) this.returnedValues.push({ node: value, scope: state.scope });
        break;
      }
      case "call":
        this.visitCall(node, state);
        break;
      case "subscript":
        if (!target) this.visitEnvSubscript(node, state);
        break;
      case "comparison_operator":
        this.visitEnvPresenceTest(node, state);
        break;
      case "dictionary":
        for (const pair of namedChildren(node)) {
          const key = pair.type === "pair" ? pair.childForFieldName("key") : null;
          const text = key ? stringValue(key) : undefined;
          if (text !== undefined) this.literalKeys.add(text);
        }
        break;
    }
    queue(namedChildren(node));
  }

  /** A block's statements; after `if key in CACHE: return CACHE[key]` the rest runs under that test. */
  private visitStatements(block: SyntaxNode, state: WalkState, stack: Visit[]): void {
    const visits: Visit[] = [];
    let guards = state.guards;
    for (const statement of namedChildren(block)) {
      visits.push({
        node: statement,
        state: guards === state.guards ? state : { ...state, guards },
      });
      if (statement.type === "if_statement" && exits(statement.childForFieldName("consequence"))) {
        guards = [...guards, ...this.guardNames(statement.childForFieldName("condition"), state)];
      }
    }
    for (let i = visits.length - 1; i >= 0; i--) stack.push(visits[i]!);
  }

  private visitFunction(
    node: SyntaxNode,
    state: WalkState,
    queue: (children: readonly SyntaxNode[], childState?: WalkState) => void,
  ): void {
    const name = node.childForFieldName("name")?.text ?? "";
    const decorated = node.parent?.type === "decorated_definition" ? node.parent : null;
    const decorators = decorated
      ? namedChildren(decorated)
          .filter((child) => child.type === "decorator")
          .map((decorator) => this.decoratorName(decorator, state.scope))
      : [];
    const index = this.functions.length;
    this.functions.push({
      name: state.className ? `${state.className}.${name}` : name,
      position: positionOf(node),
      parent: state.scope.index,
      decorators,
    });
    if (state.scope.index === undefined && !state.className) {
      this.bindTopLevel(name, node, state, undefined, index);
    }
    const parameters = node.childForFieldName("parameters");
    const body = node.childForFieldName("body");
    const scope = this.functionScope(parameters, body, index, state.scope);
    if (body) {
      queue([body], {
        scope,
        className: undefined,
        guards: [],
        unsetTested: NO_NAMES,
        memoized: state.memoized || decorators.some((decorator) => MEMOIZERS.has(decorator)),
      });
    }
    // Default values are evaluated where the function is defined, not in it.
    if (parameters) queue([parameters], state);
  }

  private visitLambda(
    node: SyntaxNode,
    state: WalkState,
    queue: (children: readonly SyntaxNode[], childState?: WalkState) => void,
  ): void {
    const parent = node.parent;
    const assignedTo =
      parent?.type === "assignment" && parent.childForFieldName("right") === node
        ? parent.childForFieldName("left")
        : null;
    const index = this.functions.length;
    this.functions.push({
      ...(assignedTo?.type === "identifier" ? { name: assignedTo.text } : {}),
      position: positionOf(node),
      parent: state.scope.index,
      decorators: [],
    });
    this.lambdaIndex.set(node, index);
    const parameters = node.childForFieldName("parameters");
    const body = node.childForFieldName("body");
    if (body) {
      queue([body], {
        scope: this.functionScope(parameters, body, index, state.scope),
        className: undefined,
        guards: [],
        unsetTested: NO_NAMES,
        memoized: state.memoized,
      });
    }
    if (parameters) queue([parameters], state);
  }

  /** `@functools.lru_cache(maxsize=1)` -> "functools.lru_cache"; `@app.route("/")` -> "app.route". */
  private decoratorName(decorator: SyntaxNode, scope: Scope): string {
    let expression = decorator.firstNamedChild;
    while (expression?.type === "call") expression = expression.childForFieldName("function");
    return this.qualify(calleeText(expression), scope);
  }

  // ---- writes to module state -------------------------------------------------

  /** Record the state writes of `left = ...` / `left += ...`. */
  private recordAssignment(node: SyntaxNode, left: SyntaxNode, state: WalkState): void {
    if (state.scope.index === undefined || state.className !== undefined) return;
    const augmented = node.type === "augmented_assignment";
    for (const written of targetNodes(left)) {
      if (written.type === "identifier") {
        if (!state.scope.globals.has(written.text)) continue; // a local
        this.recordWrite(
          written.text,
          augmented ? "update" : "assign",
          written,
          state,
          !augmented && state.unsetTested.has(written.text),
        );
      } else {
        const name = rootName(written);
        if (name === undefined || !this.isModuleName(name, state.scope)) continue;
        this.recordWrite(name, "mutate", written, state, !augmented && state.unsetTested.has(name));
      }
    }
  }

  /** `x.y = v`, `x[k] = v`, `del x[k]`, `x.append(v)`: what x holds changes. */
  private recordMutation(written: SyntaxNode, at: SyntaxNode, state: WalkState): void {
    if (state.scope.index === undefined || state.className !== undefined) return;
    const name = rootName(written);
    if (name !== undefined && this.isModuleName(name, state.scope)) {
      this.recordWrite(name, "mutate", at, state);
    }
  }

  private recordWrite(
    name: string,
    how: StateWrite["how"],
    at: SyntaxNode,
    state: WalkState,
    lazyInit = false,
  ): void {
    const scope = state.scope.index;
    if (scope === undefined || state.className !== undefined) return;
    if (how !== "mutate" && !state.scope.globals.has(name)) return;
    this.stateWrites.push({ name, how, lazyInit, position: positionOf(at), scope });
  }

  /** Module-level names a condition reads, for guarding the code under it (only functions cache). */
  private guardNames(condition: SyntaxNode | null | undefined, state: WalkState): string[] {
    if (!condition || state.scope.index === undefined) return [];
    const identifiers =
      condition.type === "identifier" ? [condition] : condition.descendantsOfType("identifier");
    return identifiers
      .filter((identifier) => !isMemberName(identifier))
      .map((identifier) => identifier.text)
      .filter((name) => this.isModuleName(name, state.scope));
  }

  // ---- calls ----------------------------------------------------------------

  private visitCall(node: SyntaxNode, state: WalkState): void {
    const scope = state.scope;
    const fn = node.childForFieldName("function");
    const callee = calleeText(fn);
    const qualifiedName = this.qualify(callee, scope);
    // The last dotted part; for a callee that is no name it is the whole rest: `make()()` -> "make()".
    const name = callee.slice(callee.lastIndexOf(".") + 1);
    const args = argumentsOf(node);
    const first = args.positional[0];
    const firstString = first === undefined ? undefined : stringValue(first);
    const passed = [...args.positional, ...args.keywords.values()];
    const position = positionOf(node);
    // Callbacks passed by name run too: they are references as well as argument names.
    const argumentNames = passed.map(dottedText).filter((reference) => reference !== undefined);
    const site: CallSite & { cached: boolean } = {
      kind: "call", // Python has no `new`: `S3Client()` is a call like any other
      callee,
      qualifiedName,
      name,
      argumentCount: args.count,
      ...(firstString !== undefined ? { firstStringArgument: firstString } : {}),
      ...(args.splat ? {} : { argumentKeys: [...args.keywords.keys()] }),
      constructedArguments: passed
        .filter((argument) => argument.type === "call")
        .map((argument) => this.qualify(calleeText(argument.childForFieldName("function")), scope)),
      argumentNames,
      position,
      scope: scope.index,
      cached: false,
    };
    this.callIndex.set(node, this.pending.length);
    this.pending.push({
      site,
      guards: state.guards,
      memoized: state.memoized,
      reference: dottedText(fn),
      argumentReferences: argumentNames,
      receiver:
        fn?.type === "attribute" ? (fn.childForFieldName("object") ?? undefined) : undefined,
      positional: args.positional,
      scope,
    });
    if (fn?.type === "attribute" && MUTATING_METHODS.has(name)) {
      const receiver = fn.childForFieldName("object");
      if (receiver) this.recordMutation(receiver, node, state);
    }
    if (ENV_GETTERS.has(qualifiedName)) {
      // A default as the second argument (or `default=`); `**kwargs` may pass one.
      const defaulted = args.positional.length >= 2 || args.keywords.has("default") || args.splat;
      this.envReads.push({
        ...(firstString !== undefined ? { variable: firstString } : {}),
        required: !defaulted && !isFallbackOrTest(node),
        position,
        scope: scope.index,
      });
    }
    const path = this.tmpPathWritten(fn, qualifiedName, name, args, firstString, scope);
    if (path !== undefined) this.tmpWrites.push({ path, position, scope: scope.index });
  }

  /** The fixed /tmp path a call opens for writing: `open("/tmp/x", "w")`, `Path("/tmp/x").write_text(...)`. */
  private tmpPathWritten(
    fn: SyntaxNode | null,
    qualifiedName: string,
    name: string,
    args: Arguments,
    firstString: string | undefined,
    scope: Scope,
  ): string | undefined {
    let path: string | undefined;
    let writes: boolean;
    if (FILE_OPENERS.has(qualifiedName)) {
      path = firstString;
      writes = isWriteMode(args.positional[1] ?? args.keywords.get("mode"));
    } else {
      const receiver = fn?.type === "attribute" ? fn.childForFieldName("object") : null;
      if (receiver?.type !== "call") return undefined;
      const made = this.qualify(calleeText(receiver.childForFieldName("function")), scope);
      if (!PATH_CLASSES.has(made)) return undefined;
      const pathArgument = argumentsOf(receiver).positional[0];
      path = pathArgument === undefined ? undefined : stringValue(pathArgument);
      writes =
        PATH_WRITES.has(name) ||
        (name === "open" && isWriteMode(args.positional[0] ?? args.keywords.get("mode")));
    }
    return writes && path?.startsWith("/tmp/") ? path : undefined;
  }

  // ---- value origins ----------------------------------------------------------

  /**
   * The calls whose values flow into a `return`: those in the returned
   * expression, and, through names assigned once, in the expressions those
   * names hold (at most MAX_ORIGIN_HOPS names deep), names bound in a function
   * only. Nested functions and lambdas are not entered: their calls run when
   * they are called.
   */
  private returnedCalls(): Set<number> {
    const returned = new Set<number>();
    const seen = new Set<SyntaxNode>();
    const stack = this.returnedValues.map(({ node, scope }) => ({ node, scope, hops: 0 }));
    for (let item = stack.pop(); item; item = stack.pop()) {
      const { node, scope, hops } = item;
      if (seen.has(node)) continue;
      seen.add(node);
      if (node.type === "lambda" || node.type === "function_definition") continue;
      if (node.type === "call") {
        const index = this.callIndex.get(node);
        if (index !== undefined) returned.add(index);
      }
      if (node.type === "identifier" && hops < MAX_ORIGIN_HOPS) {
        const bound = this.boundValue(node.text, scope);
        // A module-level value is made once, at init: no function returns it.
        if (bound && bound.scope.index !== undefined) {
          stack.push({ node: bound.value, scope: bound.scope, hops: hops + 1 });
        }
      }
      for (const child of namedChildren(node)) stack.push({ node: child, scope, hops });
    }
    return returned;
  }

  private bindValue(name: string, value: SyntaxNode, scope: Scope): void {
    const names = this.values.get(scope.index) ?? new Map<string, ValueBinding | null>();
    this.values.set(scope.index, names);
    names.set(name, names.has(name) ? null : { value, scope });
  }

  /** The receiver's and the positional arguments' origins and member paths, once every call has its index. */
  private origins(
    call: PendingCall,
  ): Pick<CallSite, "receiver" | "argumentOrigins" | "argumentPaths"> {
    const receiver = call.receiver && this.valueOrigin(call.receiver, call.scope, 0);
    const argumentOrigins = call.positional.map(
      (argument) => this.valueOrigin(argument, call.scope, 0) ?? null,
    );
    const argumentPaths = call.positional.map((argument) => {
      const path = this.memberPathThroughNames(argument, call.scope, 0);
      return path.length > 1 ? path : null;
    });
    return {
      ...(receiver ? { receiver } : {}),
      ...(argumentOrigins.some((origin) => origin !== null) ? { argumentOrigins } : {}),
      ...(argumentPaths.some((path) => path !== null) ? { argumentPaths } : {}),
    };
  }

  /**
   * The name an expression reads members of, and which, through names assigned once:
   * `event["body"]` and, after `body = event["body"]`, `body` are ["event", "body"]. A name bound
   * to anything else is its own root ([name]); [] for no name.
   */
  private memberPathThroughNames(expression: SyntaxNode, scope: Scope, hops: number): string[] {
    const { base, path } = memberChain(expression);
    if (base?.type !== "identifier") return [];
    const bound = hops < MAX_ORIGIN_HOPS ? this.boundValue(base.text, scope) : undefined;
    const root = bound ? this.memberPathThroughNames(bound.value, bound.scope, hops + 1) : [];
    return root.length > 0 ? [...root, ...path] : [base.text, ...path];
  }

  /** The call an expression's value comes from, through attributes, literal subscripts and names assigned once. */
  private valueOrigin(expression: SyntaxNode, scope: Scope, hops: number): ValueOrigin | undefined {
    const { base, path } = memberChain(expression);
    if (base?.type === "call") {
      const call = this.callIndex.get(base);
      return call === undefined ? undefined : { call, path };
    }
    if (base?.type !== "identifier" || hops >= MAX_ORIGIN_HOPS) return undefined;
    const bound = this.boundValue(base.text, scope);
    const origin = bound && this.valueOrigin(bound.value, bound.scope, hops + 1);
    return origin ? { call: origin.call, path: [...origin.path, ...path] } : undefined;
  }

  /** What a name read in `scope` was assigned: in the function that binds it (or an enclosing one), else the module. */
  private boundValue(name: string, scope: Scope): ValueBinding | undefined {
    for (let current: Scope | undefined = scope; current; current = current.parent) {
      if (current.index !== undefined && current.globals.has(name)) break;
      if (current.index === undefined || current.assigned.has(name)) {
        return this.values.get(current.index)?.get(name) ?? undefined;
      }
      if (current.imported.has(name)) return undefined;
    }
    return this.values.get(undefined)?.get(name) ?? undefined;
  }

  /** `os.environ["X"]`, read (assignment and del targets are writes). */
  private visitEnvSubscript(node: SyntaxNode, state: WalkState): void {
    const value = dottedText(node.childForFieldName("value"));
    if (value === undefined || this.qualify(value, state.scope) !== "os.environ") return;
    const key = node.childForFieldName("subscript");
    const variable = key ? stringValue(key) : undefined;
    // Raises KeyError when unset, whatever it is then compared with or tested by.
    this.envReads.push({
      ...(variable !== undefined ? { variable } : {}),
      required: true,
      position: positionOf(node),
      scope: state.scope.index,
    });
  }

  /** `"X" in os.environ`, `"X" not in os.environ`: a test of whether X is set. */
  private visitEnvPresenceTest(node: SyntaxNode, state: WalkState): void {
    const operators = node.childrenForFieldName("operators");
    const operands = namedChildren(node);
    if (operators.length !== 1 || operands.length !== 2) return;
    if (operators[0]!.type !== "in" && operators[0]!.type !== "not in") return;
    const container = dottedText(operands[1]!);
    if (container === undefined || this.qualify(container, state.scope) !== "os.environ") return;
    const variable = stringValue(operands[0]!);
    this.envReads.push({
      ...(variable !== undefined ? { variable } : {}),
      required: false,
      position: positionOf(node),
      scope: state.scope.index,
    });
  }

  // ---- exports --------------------------------------------------------------

  /** A top-level def or `name = value`: Lambda imports any of them by name. */
  private bindTopLevel(
    name: string,
    node: SyntaxNode,
    state: WalkState,
    value: SyntaxNode | null | undefined,
    functionIndex?: number,
  ): void {
    if (state.className !== undefined) return;
    if (functionIndex !== undefined) {
      this.exportEntries.push({ name, node, functionIndex });
      this.addTopLevel(name, { end: node.startIndex, functionIndex });
      return;
    }
    if (!value) return; // a bare annotation binds nothing
    // `a = b = f`: both name f.
    while (value.type === "assignment") {
      const inner: SyntaxNode | null = value.childForFieldName("right");
      if (!inner) return;
      value = inner;
    }
    this.exportEntries.push({ name, node, value });
    this.addTopLevel(name, { end: node.endIndex, value });
  }

  /**
   * Exports in document order (a later binding of a name replaces an earlier
   * one). Resolved after the walk, when the lambdas inside values have their
   * indices; a value only sees the bindings made before it.
   */
  private resolveExports(): Map<string, CodeExport> {
    const exports = new Map<string, CodeExport>();
    for (const { name, node, value, functionIndex } of this.exportEntries) {
      const wrappers: string[] = [];
      const found =
        functionIndex ?? (value ? this.functionOf(value, wrappers, node.startIndex, 0) : undefined);
      exports.set(name, {
        functionIndex: found,
        wrappers: found === undefined ? [] : wrappers,
        position: found === undefined ? positionOf(node) : this.functions[found]!.position,
      });
    }
    return exports;
  }

  private addTopLevel(name: string, binding: TopLevelBinding): void {
    const bindings = this.topLevel.get(name);
    if (bindings) bindings.push(binding);
    else this.topLevel.set(name, [binding]);
  }

  /**
   * The function a value is, names or wraps: a lambda, a def's name, `wrap(fn)`,
   * `decorator(arg)(fn)`. `wrappers` gets the qualified names of the calls on
   * the way from the outside in.
   */
  private functionOf(
    value: SyntaxNode,
    wrappers: string[],
    at: number,
    depth: number,
  ): number | undefined {
    if (depth > 8) return undefined;
    switch (value.type) {
      case "lambda":
        return this.lambdaIndex.get(value);
      case "identifier": {
        const binding = this.topLevel
          .get(value.text)
          ?.filter((bound) => bound.end <= at)
          .at(-1);
        if (binding?.functionIndex !== undefined) return binding.functionIndex;
        return binding?.value ? this.functionOf(binding.value, wrappers, at, depth + 1) : undefined;
      }
      case "parenthesized_expression":
      case "await": {
        const inner = value.firstNamedChild;
        return inner ? this.functionOf(inner, wrappers, at, depth + 1) : undefined;
      }
      case "call": {
        const fn = value.childForFieldName("function");
        let factory = fn;
        while (factory?.type === "call") factory = factory.childForFieldName("function");
        const wrapper = this.qualify(calleeText(factory), this.moduleScope);
        const args = argumentsOf(value);
        const candidates = [...args.positional, ...args.keywords.values()];
        // middy(fn).use(...): the function is further in.
        const receiver = fn?.type === "attribute" ? fn.childForFieldName("object") : null;
        if (receiver?.type === "call") candidates.push(receiver);
        for (const candidate of candidates) {
          const inner: string[] = [];
          const found = this.functionOf(candidate, inner, at, depth + 1);
          if (found !== undefined) {
            wrappers.push(wrapper, ...inner);
            return found;
          }
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

// ---- helpers over nodes -------------------------------------------------------

function positionOf(node: SyntaxNode | TreeSitterNode): CodePosition {
  // tree-sitter counts from 0; columns are in UTF-16 units, as JavaScript strings.
  const { row, column } = node.startPosition;
  return { line: row + 1, column: column + 1 };
}

/**
 * Whether a value (an `os.environ.get("X")` call) is only tested, or given a
 * fallback, where it is read: an operand of `or`, `and` or `not`, a side of a
 * comparison, the condition of an `if`, `elif`, `while`, `assert` or
 * conditional expression. What the code does with it further away is not
 * followed.
 */
function isFallbackOrTest(node: SyntaxNode): boolean {
  let current = node;
  let parent = current.parent;
  while (parent?.type === "parenthesized_expression") {
    current = parent;
    parent = current.parent;
  }
  switch (parent?.type) {
    case "boolean_operator":
    case "not_operator":
    case "comparison_operator":
      return true;
    case "if_statement":
    case "elif_clause":
    case "while_statement":
      return parent.childForFieldName("condition") === current;
    case "assert_statement":
      return namedChildren(parent)[0] === current;
    case "conditional_expression":
      // body if condition else alternative
      return namedChildren(parent)[1] === current;
    default:
      return false;
  }
}

/** Named children without comments (tree-sitter puts comments anywhere). The node's own array: do not change it. */
function namedChildren(node: SyntaxNode): readonly SyntaxNode[] {
  return node.significantChildren;
}

/** The first syntax error in document order: an ERROR node or a token tree-sitter had to invent. */
function parseErrorOf(root: TreeSitterNode): CodeModule["parseError"] {
  if (!root.hasError) return undefined;
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.isError || node.isMissing) {
      return { message: "syntax error", position: positionOf(node) };
    }
    const children = node.children.filter((child) => child.hasError || child.isMissing);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { message: "syntax error", position: positionOf(root) };
}

/**
 * The imports one statement makes. `import os.path` binds `os`, which is the
 * module os; `import a.b as c` binds c to a.b; `from M import N as A` binds A
 * to M.N (relative modules keep their dots: `from . import db` -> ".db").
 */
function parseImport(node: SyntaxNode): ParsedImport[] {
  if (node.type === "import_statement") {
    return node.childrenForFieldName("name").map((imported) => {
      const aliased = imported.type === "aliased_import";
      const specifier = moduleText(aliased ? imported.childForFieldName("name") : imported);
      const local = aliased
        ? (imported.childForFieldName("alias")?.text ?? specifier)
        : specifier.split(".")[0]!;
      return {
        specifier,
        names: new Map([[local, "*"]]),
        origins: new Map([[local, aliased ? specifier : local]]),
      };
    });
  }
  const specifier =
    node.type === "future_import_statement"
      ? "__future__"
      : moduleText(node.childForFieldName("module_name"));
  const names = new Map<string, string>();
  const origins = new Map<string, string>();
  if (namedChildren(node).some((child) => child.type === "wildcard_import")) {
    names.set("*", "*"); // binds names we cannot know
  }
  for (const imported of node.childrenForFieldName("name")) {
    const aliased = imported.type === "aliased_import";
    const name = moduleText(aliased ? imported.childForFieldName("name") : imported);
    const local = aliased ? (imported.childForFieldName("alias")?.text ?? name) : name;
    names.set(local, name);
    origins.set(local, specifier.endsWith(".") ? specifier + name : `${specifier}.${name}`);
  }
  return [{ specifier, names, origins }];
}

/** "os.path", ".db", "..", from a dotted_name or relative_import (spaces and comments dropped). */
function moduleText(node: SyntaxNode | null): string {
  if (!node) return "";
  if (node.type === "dotted_name") {
    return namedChildren(node)
      .map((part) => part.text)
      .join(".");
  }
  if (node.type === "relative_import") {
    const prefix = node.children.find((child) => child.type === "import_prefix");
    const dots = prefix ? ".".repeat(prefix.childCount) : "";
    const rest = node.children.find((child) => child.type === "dotted_name");
    return dots + (rest ? moduleText(rest) : "");
  }
  return node.text;
}

/**
 * A callee as dotted text: names and attributes as written; the result of a
 * call becomes "()" and of a subscript "[]" (`boto3.resource("dynamodb").Table`
 * -> "boto3.resource().Table", `clients["s3"].get` -> "clients[].get"); any
 * other expression is "()" too (`"".join` -> "().join"). Parentheses and
 * `await` are looked through.
 */
function calleeText(node: SyntaxNode | null): string {
  let suffix = "";
  for (let current = node; ; ) {
    switch (current?.type) {
      case "identifier":
        return current.text + suffix;
      case "attribute":
        suffix = `.${current.childForFieldName("attribute")?.text ?? ""}${suffix}`;
        current = current.childForFieldName("object");
        break;
      case "call":
        suffix = `()${suffix}`;
        current = current.childForFieldName("function");
        break;
      case "subscript":
        suffix = `[]${suffix}`;
        current = current.childForFieldName("value");
        break;
      case "parenthesized_expression":
      case "await":
        current = current.firstNamedChild;
        break;
      default:
        return `()${suffix}`;
    }
  }
}

/** `a.b.c` for a name or attributes of names; undefined for anything else. */
function dottedText(node: SyntaxNode | null | undefined): string | undefined {
  let suffix = "";
  for (let current = node; current; current = current.childForFieldName("object")) {
    if (current.type === "identifier") return current.text + suffix;
    if (current.type !== "attribute") return undefined;
    suffix = `.${current.childForFieldName("attribute")?.text ?? ""}${suffix}`;
  }
  return undefined;
}

/**
 * What an expression reads members of, and which: `f(x).a["b"]` -> the call `f(x)` and ["a",
 * "b"]; "[]" for a key not written as a string. Parentheses and `await` are looked through.
 */
function memberChain(expression: SyntaxNode): { base: SyntaxNode | null; path: string[] } {
  const path: string[] = [];
  let node: SyntaxNode | null = expression;
  while (node) {
    if (node.type === "parenthesized_expression" || node.type === "await") {
      node = node.firstNamedChild;
    } else if (node.type === "attribute") {
      path.unshift(node.childForFieldName("attribute")?.text ?? "");
      node = node.childForFieldName("object");
    } else if (node.type === "subscript") {
      const key = node.childForFieldName("subscript");
      path.unshift((key && stringValue(key)) ?? "[]");
      node = node.childForFieldName("value");
    } else break;
  }
  return { base: node, path };
}

/** The name at the root of `x`, `x.y`, `x[k].z`; undefined when it is no name (`f().x`). */
function rootName(node: SyntaxNode | null): string | undefined {
  for (let current = node; current; ) {
    switch (current.type) {
      case "identifier":
        return current.text;
      case "attribute":
        current = current.childForFieldName("object");
        break;
      case "subscript":
        current = current.childForFieldName("value");
        break;
      case "parenthesized_expression":
        current = current.firstNamedChild;
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Whether an identifier is the member name of `x.name` or a keyword's name, not a variable read. */
function isMemberName(identifier: SyntaxNode): boolean {
  const parent = identifier.parent;
  if (parent?.type === "attribute") return parent.childForFieldName("attribute") === identifier;
  if (parent?.type === "keyword_argument") return parent.childForFieldName("name") === identifier;
  return false;
}

/** The single targets of an assignment's left side: `a, (b, c[0])` -> a, b, c[0]. */
function targetNodes(left: SyntaxNode): SyntaxNode[] {
  const targets: SyntaxNode[] = [];
  const stack = [left];
  for (let node = stack.pop(); node; node = stack.pop()) {
    switch (node.type) {
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "expression_list":
      case "tuple":
      case "list":
      case "list_splat_pattern":
      case "parenthesized_expression":
        stack.push(...[...namedChildren(node)].reverse());
        break;
      default:
        targets.push(node);
    }
  }
  return targets;
}

function addTargetNames(left: SyntaxNode | null, into: Set<string>): void {
  if (!left) return;
  for (const target of targetNodes(left)) {
    if (target.type === "identifier") into.add(target.text);
  }
}

function deleteTargets(node: SyntaxNode): SyntaxNode[] {
  return namedChildren(node).flatMap((child) =>
    child.type === "expression_list" ? namedChildren(child) : [child],
  );
}

function parameterNames(parameters: SyntaxNode | null): string[] {
  if (!parameters) return [];
  return namedChildren(parameters).flatMap((parameter) => {
    switch (parameter.type) {
      case "identifier":
        return [parameter.text];
      case "default_parameter":
      case "typed_default_parameter":
        return [parameter.childForFieldName("name")?.text ?? ""];
      case "typed_parameter":
      case "list_splat_pattern":
      case "dictionary_splat_pattern": {
        // `x: int`, `*args`, `**kw`, `*args: int`: the name is the first name inside.
        const name = parameter.descendantsOfType("identifier")[0];
        return name ? [name.text] : [];
      }
      default:
        return [];
    }
  });
}

interface Arguments {
  readonly positional: SyntaxNode[];
  readonly keywords: Map<string, SyntaxNode>;
  /** `*args` or `**kwargs`: what is passed is not all written here. */
  readonly splat: boolean;
  readonly count: number;
}

function argumentsOf(call: SyntaxNode): Arguments {
  const list = call.childForFieldName("arguments");
  const result: Arguments = { positional: [], keywords: new Map(), splat: false, count: 0 };
  if (!list) return result;
  if (list.type === "generator_expression") {
    // f(x for x in y): one argument, the generator.
    return { ...result, positional: [list], count: 1 };
  }
  let splat = false;
  const items = namedChildren(list);
  for (const item of items) {
    if (item.type === "keyword_argument") {
      const name = item.childForFieldName("name");
      const value = item.childForFieldName("value");
      if (name && value) result.keywords.set(name.text, value);
    } else if (item.type === "list_splat" || item.type === "dictionary_splat") {
      splat = true;
    } else {
      result.positional.push(item);
    }
  }
  return { ...result, splat, count: items.length };
}

/**
 * The value of a plain string literal: no f-string interpolation, no bytes.
 * Escapes are decoded (unless raw); adjacent literals are joined.
 */
function stringValue(node: SyntaxNode): string | undefined {
  if (node.type === "concatenated_string") {
    let joined = "";
    for (const part of namedChildren(node)) {
      const value = stringValue(part);
      if (value === undefined) return undefined;
      joined += value;
    }
    return joined;
  }
  if (node.type !== "string") return undefined;
  // string_start is the prefix and the opening quote: `rb"`, `f'`, `"""`.
  const start = node.firstChild?.text ?? "";
  let quote = 0;
  while (quote < start.length && start[quote] !== '"' && start[quote] !== "'") quote++;
  const prefix = start.slice(0, quote).toLowerCase();
  if (prefix.includes("b")) return undefined;
  let value = "";
  for (const part of node.namedChildren) {
    if (part.type === "interpolation") return undefined;
    if (part.type === "string_content") {
      value += prefix.includes("r") ? part.text : decodeContent(part);
    }
  }
  return value;
}

function decodeContent(content: SyntaxNode): string {
  const text = content.text;
  let decoded = "";
  let from = 0;
  for (const sequence of content.namedChildren) {
    const at = sequence.startIndex - content.startIndex;
    decoded += text.slice(from, at) + decodeEscape(sequence.text);
    from = sequence.endIndex - content.startIndex;
  }
  return decoded + text.slice(from);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\n": "", // a backslash at the end of a line continues the string
};

function decodeEscape(sequence: string): string {
  if (sequence === "{{" || sequence === "}}") return sequence[0]!; // f-string braces
  const kind = sequence[1] ?? "";
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return simple;
  if (kind === "x" || kind === "u" || kind === "U") {
    const code = Number.parseInt(sequence.slice(2), 16);
    return Number.isNaN(code) ? sequence : String.fromCodePoint(code);
  }
  if (kind >= "0" && kind <= "7")
    return String.fromCodePoint(Number.parseInt(sequence.slice(1), 8));
  return sequence; // \N{NAME}: kept as written
}

function isWriteMode(mode: SyntaxNode | undefined): boolean {
  const text = mode === undefined ? undefined : stringValue(mode);
  return text !== undefined && [..."wax+"].some((flag) => text.includes(flag));
}

/** Whether a block ends by leaving the function (`return`, `raise`). */
function exits(block: SyntaxNode | null): boolean {
  const last = block ? namedChildren(block).at(-1) : undefined;
  return last?.type === "return_statement" || last?.type === "raise_statement";
}

/**
 * Names a condition tests as unset, for lazy initialization: `x is None`,
 * `x == None`, `not x`, `k not in x`, also as one side of `or`/`and`.
 */
function unsetNames(condition: SyntaxNode | null): ReadonlySet<string> {
  const names = new Set<string>();
  const stack = condition ? [condition] : [];
  for (let node = stack.pop(); node; node = stack.pop()) {
    switch (node.type) {
      case "parenthesized_expression":
      case "boolean_operator":
        stack.push(...namedChildren(node));
        break;
      case "not_operator": {
        const argument = node.childForFieldName("argument");
        if (argument?.type === "identifier") names.add(argument.text);
        break;
      }
      case "comparison_operator": {
        const operators = node.childrenForFieldName("operators");
        const operands = namedChildren(node);
        if (operators.length !== 1 || operands.length !== 2) break;
        const [left, right] = operands as [SyntaxNode, SyntaxNode];
        const operator = operators[0]!.type;
        if (operator === "is" || operator === "==") {
          if (left.type === "identifier" && right.type === "none") names.add(left.text);
          if (right.type === "identifier" && left.type === "none") names.add(right.text);
        } else if (operator === "not in" && right.type === "identifier") {
          names.add(right.text);
        }
        break;
      }
    }
  }
  return names;
}
