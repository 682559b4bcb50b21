/**
 * JavaScript and TypeScript (ESM and CommonJS) to the facts code rules match
 * (code-model.ts), read from oxc-parser's ESTree AST in one walk that knows
 * which function every expression is in and which module-level names it
 * touches.
 */
import { parseSync } from "oxc-parser";
import {
  type CallSite,
  type CodeExport,
  type CodeFunction,
  type CodeImport,
  type CodeModule,
  type CodePosition,
  type EnvRead,
  normalizeSpecifier,
  type StateWrite,
  type TmpWrite,
  type ValueOrigin,
} from "./code-model.js";
import { javascriptNestingProblem } from "./nesting-guard.js";
import { SourcePositions } from "./source-positions.js";

// ESTree nodes are walked generically, by their `type`, as ESLint rules do.
// biome-ignore lint/suspicious/noExplicitAny: an ESTree node of any type
type Node = any;

/** Array and collection methods that change the receiver. */
const MUTATING_METHODS = new Set([
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "sort",
  "reverse",
  "fill",
  "copyWithin",
  "set",
  "delete",
  "clear",
  "add",
]);

/** File-writing calls, by qualified name, for /tmp writes. */
const FILE_WRITES = new Set(
  ["writeFileSync", "writeFile", "appendFileSync", "appendFile", "createWriteStream"].flatMap(
    (name) => [`fs.${name}`, `fs/promises.${name}`, `fs.promises.${name}`],
  ),
);

/**
 * Expressions that hand on the value inside them as it is (parentheses, `?.` chains, TypeScript's
 * assertions): an env read in one is read where the wrapper is; unwrap looks through them.
 */
const WRAPPERS = new Set([
  "ChainExpression",
  "ParenthesizedExpression",
  "TSNonNullExpression",
  "TSAsExpression",
  "TSSatisfiesExpression",
  "TSTypeAssertion",
]);

/** Expressions a value passes through unchanged on its way to where it is stored. */
const TRANSPARENT = new Set([
  ...WRAPPERS,
  "AwaitExpression",
  "LogicalExpression",
  "ConditionalExpression",
  "MemberExpression",
  "CallExpression",
  "NewExpression",
  "ObjectExpression",
  "Property",
  "ArrayExpression",
  "SpreadElement",
  "TemplateLiteral",
]);

const EQUALITY_OPERATORS = new Set(["===", "!==", "==", "!="]);

const LOGICAL_ASSIGNMENTS = new Set(["??=", "||=", "&&="]);

const FUNCTION_TYPES = new Set([
  "FunctionDeclaration",
  "FunctionExpression",
  "ArrowFunctionExpression",
]);

function languageOf(file: string): "js" | "ts" | "tsx" | "jsx" {
  if (/\.[cm]?tsx?$/.test(file)) return file.endsWith("x") ? "tsx" : "ts";
  return file.endsWith(".jsx") ? "jsx" : "js";
}

export function parseJavaScript(file: string, text: string): CodeModule {
  const positions = new SourcePositions(text);
  const tooDeep = javascriptNestingProblem(text);
  if (tooDeep) {
    return new FactCollector(file, positions).module({
      message: tooDeep.message,
      position: positions.at(tooDeep.offset),
    });
  }
  const result = parseSync(file, text, {
    lang: languageOf(file),
    sourceType: "unambiguous",
    preserveParens: false,
  });
  const facts = new FactCollector(file, positions);
  try {
    facts.collect(result.program);
  } catch (error) {
    // The walk recurses per AST level; a tree deeper than the JavaScript stack
    // that still passed the guard is read as not parsed, never a crash.
    if (!(error instanceof RangeError)) throw error;
    return new FactCollector(file, positions).module({
      message: "nested too deeply to read: not parsed",
      position: { line: 1, column: 1 },
    });
  }
  const error = result.errors[0];
  return facts.module(
    error
      ? {
          message: error.message,
          position: positions.at(error.labels[0]?.start ?? 0),
        }
      : undefined,
  );
}

interface WalkState {
  /** Index of the innermost function, undefined at module scope. */
  readonly scope: number | undefined;
  /** Names declared by the enclosing functions (they shadow module names). */
  readonly locals: ReadonlySet<string>;
  /** Module-level names tested by the conditions this code runs under. */
  readonly guards: readonly string[];
  /** Names those conditions say are unset here (`if (!x)`, after `if (x) return x;`, `x || (x = ...)`). */
  readonly unset: readonly string[];
  /** The class `this` is an instance of, inside its methods (and arrow functions in them). */
  readonly thisClass?: string;
}

interface PendingCall {
  readonly site: Omit<CallSite, "cached" | "receiver" | "argumentOrigins">;
  /** What a method is called on (`x` of `x.m()`), and its arguments: their origins are read when every call is known. */
  readonly receiver?: Node;
  readonly arguments: readonly Node[];
  readonly state: WalkState;
  /** Its value is stored lazily in module state: `x ??= f()`, `x ||= f()`. */
  readonly storedLazily: boolean;
  readonly guards: readonly string[];
  /** The callee as a reference to another function, when it is a plain dotted name. */
  readonly reference?: string;
}

/** A value a name is assigned (ValueOrigin): the expression, the member of it taken, and where it is written. */
interface ValueBinding {
  readonly value: Node;
  readonly path: readonly string[];
  readonly state: WalkState;
}

const NO_ORIGINS: Pick<CallSite, "receiver" | "argumentOrigins"> = {};

/** How many names a value is followed through (`a = f(); b = a.x; c = b.y`), which also ends cycles (`a = a.next`). */
const MAX_ORIGIN_HOPS = 8;

class FactCollector {
  private readonly imports: CodeImport[] = [];
  private readonly moduleNames = new Set<string>();
  private readonly bindings = new Map<string, { specifier: string; imported: string }>();
  private readonly functions: CodeFunction[] = [];
  private readonly functionReferences: string[][] = [];
  private readonly moduleReferences: string[] = [];
  private readonly pending: PendingCall[] = [];
  private readonly stateWrites: StateWrite[] = [];
  private readonly envReads: EnvRead[] = [];
  private readonly tmpWrites: TmpWrite[] = [];
  private readonly literalKeys = new Set<string>();
  private readonly parents = new Map<Node, Node>();
  private readonly functionIndex = new Map<Node, number>();
  /** Top-level `const name = value` and `function name`, to follow exports to functions. */
  private readonly topLevelValues = new Map<string, Node>();
  private readonly exportNodes: { name: string; value: Node; at: Node }[] = [];
  /** Top-level `const repo = new Repo()` of a class declared here: repo.save() is Repo.save. */
  private readonly instances = new Map<string, string>();
  /** Top-level `const name = a.b.c`: what the name stands for, so calls through it qualify as a.b.c. */
  private readonly aliases = new Map<string, string>();
  /** require()/import() calls already recorded with the names a declaration binds. */
  private readonly bindingRequires = new Set<Node>();
  /** Each call and construction recorded, by node: its index in pending (and calls). */
  private readonly callIndex = new Map<Node, number>();
  /**
   * Names each scope (a function index; undefined for the module) assigns a
   * value to, for ValueOrigin: `const obj = await s3.send(...)`, `const {
   * Body } = ...` (path ["Body"]). A name assigned twice is null: which value
   * it holds at a use is not known.
   */
  private readonly values = new Map<number | undefined, Map<string, ValueBinding | null>>();
  /** The names each function declares itself (parameters, var/let/const, inner functions): they hide an enclosing function's. */
  private readonly declaredIn = new Map<number, ReadonlySet<string>>();

  constructor(
    private readonly file: string,
    private readonly positions: SourcePositions,
  ) {}

  collect(program: Node): void {
    for (const statement of program.body) this.declareTopLevel(statement);
    this.visitStatements(program.body, program, {
      scope: undefined,
      locals: new Set(),
      guards: [],
      unset: [],
    });
  }

  module(parseError: CodeModule["parseError"]): CodeModule {
    const assignedIn = new Map<number, Set<string>>();
    for (const write of this.stateWrites) {
      const names = assignedIn.get(write.scope) ?? new Set<string>();
      names.add(write.name);
      assignedIn.set(write.scope, names);
    }
    const calls: CallSite[] = this.pending.map((pending) => {
      const { site, storedLazily, guards } = pending;
      let reference = pending.reference;
      const cached =
        site.scope !== undefined &&
        (storedLazily || guards.some((name) => assignedIn.get(site.scope!)?.has(name) ?? false));
      // A function whose result is cached does not run per call: it is no reference.
      if (reference !== undefined && !cached) {
        reference = this.throughInstance(reference);
        (site.scope === undefined
          ? this.moduleReferences
          : this.functionReferences[site.scope]!
        ).push(reference);
      }
      return { ...site, ...this.origins(pending), cached };
    });
    const functions = this.functions.map((fn, index) => ({
      ...fn,
      references: [
        ...new Set(this.functionReferences[index]!.map((name) => this.throughInstance(name))),
      ],
    }));
    return {
      file: this.file,
      language: "javascript",
      imports: this.imports,
      moduleNames: this.moduleNames,
      moduleReferences: [
        ...new Set(this.moduleReferences.map((name) => this.throughInstance(name))),
      ],
      functions,
      calls,
      stateWrites: this.stateWrites,
      envReads: this.envReads,
      tmpWrites: this.tmpWrites,
      literalKeys: this.literalKeys,
      exports: this.resolveExports(),
      ...(parseError ? { parseError } : {}),
    };
  }

  // ---- module scope -------------------------------------------------------

  private declareTopLevel(statement: Node): void {
    const declaration =
      statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration"
        ? statement.declaration
        : statement;
    if (!declaration) {
      if (statement.type === "ExportNamedDeclaration" && !statement.source) {
        for (const specifier of statement.specifiers) {
          this.exportNodes.push({
            name: nameOf(specifier.exported),
            value: { type: "Identifier", name: nameOf(specifier.local) },
            at: specifier,
          });
        }
      }
      return;
    }
    if (statement.type === "ExportDefaultDeclaration") {
      this.exportNodes.push({ name: "default", value: declaration, at: statement });
      // export default { save }: callers write db.save(), resolved as "default.save".
      if (declaration.type === "ObjectExpression") {
        for (const property of declaration.properties) {
          if (property.type !== "Property" || property.computed) continue;
          const name = `default.${nameOf(property.key)}`;
          this.exportNodes.push({ name, value: property.value, at: property });
        }
      }
    }
    switch (declaration.type) {
      case "ImportDeclaration":
        for (const specifier of declaration.specifiers) this.moduleNames.add(specifier.local.name);
        break;
      case "FunctionDeclaration":
      case "ClassDeclaration":
        if (declaration.id) {
          this.moduleNames.add(declaration.id.name);
          this.topLevelValues.set(declaration.id.name, declaration);
          if (statement.type === "ExportNamedDeclaration") {
            this.exportNodes.push({
              name: declaration.id.name,
              value: declaration,
              at: declaration,
            });
          }
        }
        break;
      case "VariableDeclaration":
        for (const declarator of declaration.declarations) {
          for (const name of patternNames(declarator.id)) this.moduleNames.add(name);
          this.declareDestructuredAliases(declarator);
          if (declarator.id.type === "Identifier" && declarator.init) {
            this.topLevelValues.set(declarator.id.name, declarator.init);
            const created = unwrap(declarator.init);
            if (created?.type === "NewExpression" && created.callee.type === "Identifier") {
              this.instances.set(declarator.id.name, created.callee.name);
            }
            const aliased = unwrap(declarator.init);
            const target = aliased?.type === "MemberExpression" ? dottedName(aliased) : undefined;
            if (target !== undefined && !target.startsWith("process.env")) {
              this.aliases.set(declarator.id.name, target);
            }
            if (statement.type === "ExportNamedDeclaration") {
              this.exportNodes.push({
                name: declarator.id.name,
                value: declarator.init,
                at: declarator,
              });
            }
          }
        }
        break;
      case "TSEnumDeclaration":
      case "TSModuleDeclaration":
        if (declaration.id?.name) this.moduleNames.add(declaration.id.name);
        break;
      case "ExpressionStatement":
        this.declareCommonJsExport(declaration.expression);
        break;
    }
  }

  /** `const { streamifyResponse } = awslambda`: each name stands for awslambda.streamifyResponse. */
  private declareDestructuredAliases(declarator: Node): void {
    const source = declarator.init ? dottedName(declarator.init) : undefined;
    if (
      declarator.id.type !== "ObjectPattern" ||
      source === undefined ||
      source === "process.env"
    ) {
      return;
    }
    for (const property of declarator.id.properties) {
      if (property.type !== "Property" || property.computed) continue;
      const local = patternNames(property.value)[0];
      if (local !== undefined) this.aliases.set(local, `${source}.${nameOf(property.key)}`);
    }
  }

  /** `exports.handler = ...`, `module.exports.handler = ...`, `module.exports = { handler }`. */
  private declareCommonJsExport(expression: Node): void {
    if (expression.type !== "AssignmentExpression" || expression.operator !== "=") return;
    const target = dottedName(expression.left);
    const exported = /^(?:module\.)?exports\.(\w+)$/.exec(target ?? "");
    if (exported) {
      this.exportNodes.push({ name: exported[1]!, value: expression.right, at: expression });
    } else if (target === "module.exports" && expression.right.type === "ObjectExpression") {
      for (const property of expression.right.properties) {
        if (property.type !== "Property" || property.computed) continue;
        this.exportNodes.push({ name: nameOf(property.key), value: property.value, at: property });
      }
    } else if (target === "module.exports" && requiredSpecifier(expression.right) !== undefined) {
      // module.exports = require("./impl"): everything impl exports.
      this.recordImport(requiredSpecifier(expression.right)!, [["*", "*"]], expression);
      this.bindingRequires.add(requireCall(expression.right));
    } else if (target === "module.exports") {
      this.exportNodes.push({ name: "default", value: expression.right, at: expression });
    }
  }

  private resolveExports(): Map<string, CodeExport> {
    const exports = new Map<string, CodeExport>();
    for (const { name, value, at } of this.exportNodes) {
      const wrappers: string[] = [];
      const functionIndex = this.functionOf(value, wrappers, 0);
      const local = unwrap(value);
      exports.set(name, {
        functionIndex,
        wrappers,
        ...(functionIndex === undefined && local?.type === "Identifier"
          ? { localName: local.name }
          : {}),
        position:
          functionIndex === undefined ? this.position(at) : this.functions[functionIndex]!.position,
      });
    }
    return exports;
  }

  /** `repo.save` as `Repo.save` when repo is a module-level instance of a class declared here. */
  private throughInstance(reference: string): string {
    const dot = reference.indexOf(".");
    const owner = dot < 0 ? undefined : this.instances.get(reference.slice(0, dot));
    return owner === undefined || !this.topLevelValues.has(owner)
      ? reference
      : owner + reference.slice(dot);
  }

  /** The function a value is, names, or wraps (`middy(fn)`, `awslambda.streamifyResponse(async () => ...)`). */
  private functionOf(value: Node, wrappers: string[], depth: number): number | undefined {
    if (!value || depth > 8) return undefined;
    const known = this.functionIndex.get(value);
    if (known !== undefined) return known;
    switch (value.type) {
      case "Identifier": {
        const declared = this.topLevelValues.get(value.name);
        return declared === undefined ? undefined : this.functionOf(declared, wrappers, depth + 1);
      }
      case "MemberExpression": {
        // lambda.handler (.bind(lambda)) on an instance of a class declared here: the method.
        const name = dottedName(value);
        if (name === undefined) return undefined;
        const method = this.throughInstance(name);
        const index = this.functions.findIndex((fn) => fn.name === method);
        return index < 0 ? undefined : index;
      }
      case "CallExpression": {
        const callee = this.calleeText(value.callee);
        if (callee) wrappers.push(this.qualify(callee));
        for (const argument of value.arguments) {
          const found = this.functionOf(argument, wrappers, depth + 1);
          if (found !== undefined) return found;
        }
        // middy(fn).use(...): the function is further in.
        return value.callee.type === "MemberExpression"
          ? this.functionOf(value.callee.object, wrappers, depth + 1)
          : undefined;
      }
      case "AwaitExpression":
      case "TSAsExpression":
      case "TSSatisfiesExpression":
      case "ChainExpression":
        return this.functionOf(value.expression ?? value.argument, wrappers, depth + 1);
      default:
        return undefined;
    }
  }

  // ---- the walk -----------------------------------------------------------

  private visitStatements(statements: readonly Node[], parent: Node, state: WalkState): void {
    let current = state;
    for (const statement of statements) {
      this.visitChild(statement, parent, current);
      // `if (cached) return cached;` guards the rest of the block, where cached is unset.
      if (statement.type === "IfStatement" && exits(statement.consequent)) {
        current = {
          ...current,
          guards: [...current.guards, ...this.moduleNamesIn(statement.test, state)],
          unset: [...current.unset, ...testedNames(statement.test, "set")],
        };
      }
    }
  }

  private visit(node: Node, state: WalkState): void {
    if (!node || typeof node.type !== "string") return;
    if (FUNCTION_TYPES.has(node.type)) {
      this.visitFunction(node, state);
      return;
    }
    switch (node.type) {
      case "ImportDeclaration":
        this.recordImport(
          node.source.value,
          node.specifiers.map((specifier: Node) => [
            specifier.local.name,
            specifier.type === "ImportDefaultSpecifier"
              ? "default"
              : specifier.type === "ImportNamespaceSpecifier"
                ? "*"
                : nameOf(specifier.imported),
          ]),
          node,
        );
        return;
      case "ExportNamedDeclaration":
        // export { handler } from "./impl.js": the name leads to impl's export.
        if (node.source) {
          this.recordImport(
            node.source.value,
            node.specifiers.map((specifier: Node) => [
              nameOf(specifier.exported),
              nameOf(specifier.local),
            ]),
            node,
          );
        }
        break;
      case "ExportAllDeclaration":
        if (node.source)
          this.recordImport(node.source.value, node.exported ? [] : [["*", "*"]], node);
        break;
      case "BlockStatement":
      case "StaticBlock":
        this.visitStatements(node.body, node, state);
        return;
      case "SwitchCase":
        this.visitChild(node.test, node, state);
        this.visitStatements(node.consequent, node, state);
        return;
      case "IfStatement":
      case "ConditionalExpression": {
        this.visitChild(node.test, node, state);
        const guards = [...state.guards, ...this.moduleNamesIn(node.test, state)];
        this.visitChild(node.consequent, node, {
          ...state,
          guards,
          unset: [...state.unset, ...testedNames(node.test, "unset")],
        });
        this.visitChild(node.alternate, node, {
          ...state,
          guards,
          unset: [...state.unset, ...testedNames(node.test, "set")],
        });
        return;
      }
      case "LogicalExpression": {
        this.visitChild(node.left, node, state);
        // `x || (x = f())`, `x ?? (x = f())`: the right runs while x is unset.
        this.visitChild(node.right, node, {
          ...state,
          guards: [...state.guards, ...this.moduleNamesIn(node.left, state)],
          unset: [
            ...state.unset,
            ...testedNames(node.left, node.operator === "&&" ? "unset" : "set"),
          ],
        });
        return;
      }
      case "VariableDeclarator":
        this.visitDeclarator(node, state);
        break;
      case "CallExpression":
      case "NewExpression":
        this.visitCall(node, state);
        break;
      case "ImportExpression":
        if (stringValue(node.source) !== undefined && !this.bindingRequires.has(node)) {
          this.recordImport(stringValue(node.source)!, [], node);
        }
        break;
      case "AssignmentExpression":
        this.visitAssignment(node, state);
        break;
      case "UpdateExpression":
        this.recordWrite(
          node.argument,
          node.argument.type === "Identifier" ? "update" : "mutate",
          false,
          node,
          state,
        );
        break;
      case "UnaryExpression":
        if (node.operator === "delete")
          this.recordWrite(node.argument, "mutate", false, node, state);
        break;
      case "MemberExpression":
        this.visitEnvRead(node, state);
        break;
      case "BinaryExpression":
        this.visitEnvPresenceTest(node, state);
        break;
      case "ObjectExpression":
        for (const property of node.properties) {
          if (property.type === "Property" && !property.computed) {
            this.literalKeys.add(nameOf(property.key));
          }
        }
        break;
    }
    this.visitChildren(node, state);
  }

  private visitChildren(node: Node, state: WalkState): void {
    for (const key in node) {
      if (key === "type" || key === "start" || key === "end" || key === "range") continue;
      const child = node[key];
      if (Array.isArray(child)) for (const item of child) this.visitChild(item, node, state);
      else this.visitChild(child, node, state);
    }
  }

  private visitChild(child: Node, parent: Node, state: WalkState): void {
    if (!child || typeof child.type !== "string") return;
    this.parents.set(child, parent);
    this.visit(child, state);
  }

  private visitFunction(node: Node, state: WalkState): void {
    const index = this.functions.length;
    this.functionIndex.set(node, index);
    this.functions.push({
      name: this.functionName(node),
      position: this.position(node),
      parent: state.scope,
      decorators: [],
      references: [],
    });
    this.functionReferences.push([]);
    const own = new Set<string>();
    for (const parameter of node.params) for (const name of patternNames(parameter)) own.add(name);
    if (node.id?.name && node.type !== "FunctionDeclaration") own.add(node.id.name);
    if (node.body) collectDeclaredNames(node.body, own);
    this.declaredIn.set(index, own);
    const locals = new Set([...state.locals, ...own]);
    // A method's (or a class field arrow's) `this` is its class; other arrows keep the outer `this`.
    const thisClass =
      this.methodOwner(node) ??
      (node.type === "ArrowFunctionExpression" ? state.thisClass : undefined);
    const inner: WalkState = {
      scope: index,
      locals,
      guards: [],
      unset: [],
      ...(thisClass !== undefined ? { thisClass } : {}),
    };
    for (const parameter of node.params) this.visitChild(parameter, node, inner);
    if (node.body?.type === "BlockStatement")
      this.visitStatements(node.body.body, node.body, inner);
    else this.visitChild(node.body, node, inner);
  }

  /** The name of the class a method function belongs to. */
  private methodOwner(node: Node): string | undefined {
    const parent = this.parents.get(node);
    if (parent?.type !== "MethodDefinition" && parent?.type !== "PropertyDefinition") {
      return undefined;
    }
    return this.parents.get(this.parents.get(parent))?.id?.name;
  }

  private functionName(node: Node): string | undefined {
    if (node.type === "FunctionDeclaration") return node.id?.name;
    const parent = this.parents.get(node);
    if (!parent) return node.id?.name;
    if (parent.type === "VariableDeclarator" && parent.id.type === "Identifier")
      return parent.id.name;
    if (parent.type === "AssignmentExpression") return dottedName(parent.left);
    if (parent.type === "Property" && !parent.computed) return nameOf(parent.key);
    if (parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") {
      const owner = this.parents.get(this.parents.get(parent));
      const method = nameOf(parent.key);
      return owner?.id?.name ? `${owner.id.name}.${method}` : method;
    }
    return node.id?.name;
  }

  private visitDeclarator(node: Node, state: WalkState): void {
    const init = unwrap(node.init);
    if (!init) return;
    this.bindValue(node.id, init, state);
    // const x = require("m") / const { a, b: c } = require("m") / const m = await import("m")
    const required = requiredSpecifier(init);
    if (required) {
      const names: [string, string][] =
        node.id.type === "Identifier"
          ? [[node.id.name, init.type === "MemberExpression" ? nameOf(init.property) : "*"]]
          : node.id.type === "ObjectPattern"
            ? node.id.properties
                .filter((property: Node) => property.type === "Property")
                .map((property: Node) => [
                  patternNames(property.value)[0] ?? nameOf(property.key),
                  nameOf(property.key),
                ])
            : [];
      this.recordImport(required, names, node);
      this.bindingRequires.add(requireCall(init));
    }
    // const { TABLE, STAGE } = process.env
    if (node.id.type === "ObjectPattern" && dottedName(init) === "process.env") {
      for (const property of node.id.properties) {
        if (property.type !== "Property") continue;
        this.envReads.push({
          variable: nameOf(property.key),
          // `const { STAGE = "dev" } = process.env` has a default.
          required: property.value?.type !== "AssignmentPattern",
          position: this.position(property),
          scope: state.scope,
        });
      }
    }
  }

  private visitAssignment(node: Node, state: WalkState): void {
    if (node.operator === "=" && node.left.type === "Identifier") {
      this.bindValue(node.left, unwrap(node.right), state);
    }
    const lazyOperator = node.operator === "??=" || node.operator === "||=";
    const plain = node.operator === "=";
    const how: StateWrite["how"] =
      node.left.type !== "Identifier" ? "mutate" : plain || lazyOperator ? "assign" : "update";
    const lazy = lazyOperator || (plain && this.isUnset(state, node.left));
    this.recordWrite(node.left, how, lazy, node, state);
  }

  /** Whether the write sits where its target is known unset: a lazy one-time initialization. */
  private isUnset(state: WalkState, target: Node): boolean {
    const name = rootName(target);
    return name !== undefined && state.unset.includes(name);
  }

  private recordWrite(
    target: Node,
    how: StateWrite["how"],
    lazyInit: boolean,
    at: Node,
    state: WalkState,
  ): void {
    if (state.scope === undefined) return;
    const name = this.stateName(target, state);
    if (name === undefined) return;
    this.stateWrites.push({ name, how, lazyInit, position: this.position(at), scope: state.scope });
  }

  /**
   * The state a write target belongs to: a module-level name, or the
   * process-wide globals every request of a worker shares (`globalThis.x`,
   * `process.env.X`).
   */
  private stateName(target: Node, state: WalkState): string | undefined {
    const name = rootName(target);
    if (name === undefined || state.locals.has(name)) return undefined;
    if (this.moduleNames.has(name)) return name;
    if (name === "globalThis" || name === "global") return name;
    return name === "process" && dottedName(target)?.startsWith("process.env.")
      ? "process.env"
      : undefined;
  }

  private visitCall(node: Node, state: WalkState): void {
    const callee = unwrap(node.callee);
    if (
      node.type === "CallExpression" &&
      callee.type === "Identifier" &&
      callee.name === "require"
    ) {
      const specifier = stringValue(node.arguments[0]);
      if (specifier !== undefined && !this.bindingRequires.has(node)) {
        this.recordImport(specifier, [], node);
      }
    }
    const text = this.calleeText(callee);
    if (text === undefined) return;
    const qualifiedName = this.qualify(text);
    const argumentsList: Node[] = node.arguments;
    const first = argumentsList[0];
    const site: Omit<CallSite, "cached"> = {
      kind: node.type === "NewExpression" ? "new" : "call",
      callee: text,
      qualifiedName,
      name: text.slice(text.lastIndexOf(".") + 1),
      argumentCount: argumentsList.length,
      ...(stringValue(first) !== undefined ? { firstStringArgument: stringValue(first)! } : {}),
      ...(first?.type === "ObjectExpression" &&
      !first.properties.some((p: Node) => p.type !== "Property" || p.computed)
        ? { argumentKeys: first.properties.map((p: Node) => nameOf(p.key)) }
        : {}),
      constructedArguments: argumentsList
        .filter((argument) => argument.type === "NewExpression")
        .map((argument) => this.qualify(this.calleeText(unwrap(argument.callee)) ?? "")),
      argumentNames: argumentsList.flatMap((argument) => dottedName(argument) ?? []),
      ...(argumentsList.some((argument) => argument.type === "ObjectExpression")
        ? { objectArgumentKeys: argumentsList.map(objectKeys) }
        : {}),
      position: this.position(node),
      scope: state.scope,
    };
    this.callIndex.set(node, this.pending.length);
    this.pending.push({
      site,
      ...(callee.type === "MemberExpression" ? { receiver: callee.object } : {}),
      arguments: argumentsList,
      state,
      storedLazily: this.isStoredLazily(node, state),
      guards: state.guards,
      ...(referenceOf(text, state) !== undefined ? { reference: referenceOf(text, state)! } : {}),
    });
    // Callbacks passed by name run too: records.map(processRecord).
    const references =
      state.scope === undefined ? this.moduleReferences : this.functionReferences[state.scope]!;
    references.push(...site.argumentNames);
    if (
      state.scope !== undefined &&
      node.type === "CallExpression" &&
      callee.type === "MemberExpression"
    ) {
      if (MUTATING_METHODS.has(site.name)) {
        this.recordWrite(callee.object, "mutate", this.isUnset(state, callee.object), node, state);
      }
      if (qualifiedName === "Object.assign" && first)
        this.recordWrite(first, "mutate", false, node, state);
    }
    if (FILE_WRITES.has(qualifiedName)) {
      const path = stringValue(first);
      if (path?.startsWith("/tmp/"))
        this.tmpWrites.push({ path, position: this.position(node), scope: state.scope });
    }
  }

  /** Whether the call's value ends up in module state (`client = new S3Client()`, `cache.x = await f()`). */
  private isStoredLazily(node: Node, state: WalkState): boolean {
    if (state.scope === undefined) return false;
    let current = node;
    for (let parent = this.parents.get(current); parent; parent = this.parents.get(current)) {
      if (parent.type === "AssignmentExpression") {
        if (parent.right !== current || (parent.operator !== "??=" && parent.operator !== "||=")) {
          return false;
        }
        const name = rootName(parent.left);
        return name !== undefined && this.isModuleName(name, state);
      }
      if (!TRANSPARENT.has(parent.type)) return false;
      current = parent;
    }
    return false;
  }

  private visitEnvRead(node: Node, state: WalkState): void {
    if (dottedName(node.object) !== "process.env") return;
    const parent = this.parents.get(node);
    // `process.env.X ??= d` reads X and gives it a default; `process.env.X = v` and `delete` only write.
    const defaulted =
      parent?.type === "AssignmentExpression" &&
      parent.left === node &&
      LOGICAL_ASSIGNMENTS.has(parent.operator);
    const written =
      (parent?.type === "AssignmentExpression" && parent.left === node && !defaulted) ||
      (parent?.type === "UnaryExpression" && parent.operator === "delete");
    if (written) return;
    const variable = node.computed ? stringValue(node.property) : nameOf(node.property);
    this.envReads.push({
      ...(variable !== undefined ? { variable } : {}),
      required: !defaulted && !this.isFallbackOrTest(node),
      position: this.position(node),
      scope: state.scope,
    });
  }

  /** `"X" in process.env`: a test of whether X is set. */
  private visitEnvPresenceTest(node: Node, state: WalkState): void {
    if (node.operator !== "in" || dottedName(node.right) !== "process.env") return;
    const variable = stringValue(node.left);
    this.envReads.push({
      ...(variable !== undefined ? { variable } : {}),
      required: false,
      position: this.position(node),
      scope: state.scope,
    });
  }

  /**
   * Whether the value read is only tested, or given a fallback, where it is
   * read: an operand of `??`, `||`, `&&`, `!` or `typeof`, a side of a
   * comparison, the test of an `if`, a loop, a conditional expression or a
   * `switch`, or the object of `?.`. What the code does with it further away
   * is not followed.
   */
  private isFallbackOrTest(node: Node): boolean {
    let current = node;
    let parent = this.parents.get(current);
    while (parent && WRAPPERS.has(parent.type)) {
      current = parent;
      parent = this.parents.get(current);
    }
    if (!parent) return false;
    switch (parent.type) {
      case "LogicalExpression":
        return true;
      case "UnaryExpression":
        return parent.operator === "!" || parent.operator === "typeof";
      case "BinaryExpression":
        return EQUALITY_OPERATORS.has(parent.operator);
      case "IfStatement":
      case "WhileStatement":
      case "DoWhileStatement":
      case "ForStatement":
      case "ConditionalExpression":
        return parent.test === current;
      case "SwitchStatement":
        return parent.discriminant === current;
      case "MemberExpression":
      case "CallExpression":
        return parent.optional === true && (parent.object ?? parent.callee) === current;
      default:
        return false;
    }
  }

  // ---- value origins --------------------------------------------------------

  /** `name = value`, `{ Body, Metadata: meta } = value`: what each name holds, for ValueOrigin. */
  private bindValue(target: Node, value: Node, state: WalkState): void {
    const bind = (name: string, path: readonly string[]) => {
      const names = this.values.get(state.scope) ?? new Map<string, ValueBinding | null>();
      this.values.set(state.scope, names);
      names.set(name, names.has(name) ? null : { value, path, state });
    };
    if (target.type === "Identifier") bind(target.name, []);
    if (target.type !== "ObjectPattern") return;
    for (const property of target.properties) {
      if (property.type !== "Property" || property.computed) continue;
      const local =
        property.value.type === "AssignmentPattern" ? property.value.left : property.value;
      if (local.type === "Identifier") bind(local.name, [nameOf(property.key)]);
    }
  }

  /** The receiver's and the arguments' origins and member paths, once every call has its index. */
  private origins(
    call: PendingCall,
  ): Pick<CallSite, "receiver" | "argumentOrigins" | "argumentPaths"> {
    const receiver =
      call.receiver === undefined ? undefined : this.valueOrigin(call.receiver, call.state, 0);
    let argumentOrigins: (ValueOrigin | null)[] | undefined;
    call.arguments.forEach((argument, index) => {
      const origin = this.valueOrigin(argument, call.state, 0);
      if (origin === undefined) return;
      argumentOrigins ??= call.arguments.map(() => null);
      argumentOrigins[index] = origin;
    });
    const paths = call.arguments.map((argument) => {
      const path = this.memberPathThroughNames(argument, call.state, 0);
      return path.length > 1 ? path : null;
    });
    const argumentPaths = paths.some((path) => path !== null) ? paths : undefined;
    if (!receiver && !argumentOrigins && !argumentPaths) return NO_ORIGINS;
    return {
      ...(receiver ? { receiver } : {}),
      ...(argumentOrigins ? { argumentOrigins } : {}),
      ...(argumentPaths ? { argumentPaths } : {}),
    };
  }

  /**
   * The name an expression reads members of, and which, through names assigned once:
   * `event.body` and, after `const b = event.body` or `const { body } = event`, `b` and `body`
   * are ["event", "body"]. A name bound to anything else is its own root ([name]); [] for no name.
   */
  private memberPathThroughNames(expression: Node, state: WalkState, hops: number): string[] {
    const { base: node, path } = memberChain(expression);
    if (node?.type !== "Identifier") return [];
    const bound = hops < MAX_ORIGIN_HOPS ? this.boundValue(node.name, state) : undefined;
    const base = bound ? this.memberPathThroughNames(bound.value, bound.state, hops + 1) : [];
    return base.length > 0 && bound ? [...base, ...bound.path, ...path] : [node.name, ...path];
  }

  /** The call an expression's value comes from, through members and names assigned once. */
  private valueOrigin(expression: Node, state: WalkState, hops: number): ValueOrigin | undefined {
    const { base: node, path } = memberChain(expression);
    if (node?.type === "CallExpression" || node?.type === "NewExpression") {
      const call = this.callIndex.get(node);
      return call === undefined ? undefined : { call, path };
    }
    if (node?.type !== "Identifier" || hops >= MAX_ORIGIN_HOPS) return undefined;
    const bound = this.boundValue(node.name, state);
    const origin = bound && this.valueOrigin(bound.value, bound.state, hops + 1);
    return origin
      ? { call: origin.call, path: [...origin.path, ...bound.path, ...path] }
      : undefined;
  }

  /** What a name read in this state was assigned: its function's (or an enclosing one's), else the module's. */
  private boundValue(name: string, state: WalkState): ValueBinding | undefined {
    if (!state.locals.has(name)) {
      return this.moduleNames.has(name)
        ? (this.values.get(undefined)?.get(name) ?? undefined)
        : undefined;
    }
    for (let scope = state.scope; scope !== undefined; scope = this.functions[scope]!.parent) {
      const names = this.values.get(scope);
      if (names?.has(name)) return names.get(name) ?? undefined;
      // Declared here with no value followed (a parameter): not an enclosing function's name.
      if (this.declaredIn.get(scope)?.has(name)) return undefined;
    }
    return undefined;
  }

  // ---- names --------------------------------------------------------------

  private recordImport(
    specifier: string,
    names: readonly (readonly [string, string])[],
    at: Node,
  ): void {
    const map = new Map(names.map(([local, imported]) => [local, imported]));
    this.imports.push({ specifier, names: map, position: this.position(at) });
    for (const [local, imported] of map) this.bindings.set(local, { specifier, imported });
  }

  /** `boto3.client`-style dotted text of a callee; calls inside become `()`: `a().b`. */
  private calleeText(node: Node): string | undefined {
    node = unwrap(node);
    switch (node?.type) {
      case "Identifier":
        return node.name;
      case "ThisExpression":
        return "this";
      case "Super":
        return "super";
      case "MemberExpression": {
        const object = this.calleeText(node.object);
        const property = node.computed ? stringValue(node.property) : nameOf(node.property);
        return object === undefined || property === undefined ? undefined : `${object}.${property}`;
      }
      case "CallExpression": {
        const inner = this.calleeText(node.callee);
        return inner === undefined ? undefined : `${inner}()`;
      }
      case "NewExpression": {
        const inner = this.calleeText(node.callee);
        return inner === undefined ? undefined : `new ${inner}()`;
      }
      default:
        return undefined;
    }
  }

  private qualify(text: string, depth = 0): string {
    // globalThis.awslambda.streamifyResponse is awslambda.streamifyResponse.
    if (text.startsWith("globalThis.")) return this.qualify(text.slice(11), depth);
    const dot = text.indexOf(".");
    const paren = text.indexOf("(");
    const end = [dot, paren]
      .filter((index) => index >= 0)
      .reduce((a, b) => Math.min(a, b), text.length);
    const first = text.slice(0, end);
    const alias = this.aliases.get(first);
    if (alias !== undefined && depth < 4) return this.qualify(alias + text.slice(end), depth + 1);
    const binding = this.bindings.get(first);
    if (!binding) return text;
    const origin = normalizeSpecifier(binding.specifier);
    const rest = text.slice(end);
    return binding.imported === "*" || binding.imported === "default"
      ? `${origin}${rest}`
      : `${origin}.${binding.imported}${rest}`;
  }

  private isModuleName(name: string, state: WalkState): boolean {
    return this.moduleNames.has(name) && !state.locals.has(name);
  }

  /** Module-level names an expression reads (for guards). */
  private moduleNamesIn(node: Node, state: WalkState): string[] {
    const names: string[] = [];
    const walk = (current: Node): void => {
      if (!current || typeof current.type !== "string") return;
      if (current.type === "Identifier" && this.isModuleName(current.name, state))
        names.push(current.name);
      if (FUNCTION_TYPES.has(current.type)) return;
      for (const key in current) {
        if (key === "property" && !current.computed) continue;
        const child = current[key];
        if (Array.isArray(child)) child.forEach(walk);
        else if (child && typeof child === "object") walk(child);
      }
    };
    walk(node);
    return names;
  }

  private position(node: Node): CodePosition {
    return this.positions.at(node.start);
  }
}

// ---- helpers over nodes ---------------------------------------------------

function nameOf(node: Node): string {
  return node?.type === "Identifier" ? node.name : String(node?.value ?? node?.name ?? "");
}

function stringValue(node: Node): string | undefined {
  if (node?.type === "Literal" && typeof node.value === "string") return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

/** The keys of an object literal argument; null for anything else, or a literal with a spread or computed key. */
function objectKeys(argument: Node): string[] | null {
  if (argument?.type !== "ObjectExpression") return null;
  if (argument.properties.some((p: Node) => p.type !== "Property" || p.computed)) return null;
  return argument.properties.map((p: Node) => nameOf(p.key));
}

function unwrap(node: Node): Node {
  while (node && (WRAPPERS.has(node.type) || node.type === "AwaitExpression")) {
    node = node.expression ?? node.argument;
  }
  return node;
}

/** `a.b.c` for identifiers and non-computed members; undefined for anything else. */
function dottedName(node: Node): string | undefined {
  node = unwrap(node);
  if (node?.type === "Identifier") return node.name;
  if (node?.type === "MemberExpression" && !node.computed) {
    const object = dottedName(node.object);
    return object === undefined ? undefined : `${object}.${nameOf(node.property)}`;
  }
  return undefined;
}

/**
 * What an expression reads members of, and which: `f(x).a["b"]` -> the call `f(x)` and ["a",
 * "b"]; "[]" for a key not written as a string. Parentheses, `await` and TypeScript assertions are looked through.
 */
function memberChain(expression: Node): { base: Node | undefined; path: string[] } {
  const path: string[] = [];
  let node = unwrap(expression);
  while (node?.type === "MemberExpression") {
    path.unshift(node.computed ? (stringValue(node.property) ?? "[]") : nameOf(node.property));
    node = unwrap(node.object);
  }
  return { base: node, path };
}

/** The identifier at the root of `x`, `x.y`, `x[k].z`. */
function rootName(node: Node): string | undefined {
  node = unwrap(node);
  while (node?.type === "MemberExpression") node = unwrap(node.object);
  return node?.type === "Identifier" ? node.name : undefined;
}

/** The `require("m")` or `import("m")` in `require("m")`, `require("m").x`, `await import("m")`. */
function requireCall(node: Node): Node | undefined {
  node = unwrap(node);
  if (node?.type === "MemberExpression") return requireCall(node.object);
  if (node?.type === "ImportExpression") return node;
  if (
    node?.type === "CallExpression" &&
    node.callee.type === "Identifier" &&
    node.callee.name === "require"
  ) {
    return node;
  }
  return undefined;
}

function requiredSpecifier(node: Node): string | undefined {
  const call = requireCall(node);
  return call === undefined
    ? undefined
    : stringValue(call.type === "ImportExpression" ? call.source : call.arguments[0]);
}

function patternNames(pattern: Node): string[] {
  switch (pattern?.type) {
    case "Identifier":
      return [pattern.name];
    case "ObjectPattern":
      return pattern.properties.flatMap((property: Node) =>
        patternNames(property.type === "RestElement" ? property.argument : property.value),
      );
    case "ArrayPattern":
      return pattern.elements.flatMap((element: Node) => patternNames(element));
    case "RestElement":
      return patternNames(pattern.argument);
    case "AssignmentPattern":
      return patternNames(pattern.left);
    case "TSParameterProperty":
      return patternNames(pattern.parameter);
    default:
      return [];
  }
}

/** Names declared in a function body (var/let/const/function/class), not in nested functions. */
function collectDeclaredNames(node: Node, names: Set<string>): void {
  if (!node || typeof node.type !== "string") return;
  if (node.type === "VariableDeclarator") for (const name of patternNames(node.id)) names.add(name);
  if ((node.type === "FunctionDeclaration" || node.type === "ClassDeclaration") && node.id) {
    names.add(node.id.name);
    return;
  }
  if (node.type === "CatchClause" && node.param)
    for (const name of patternNames(node.param)) names.add(name);
  if (FUNCTION_TYPES.has(node.type)) return;
  for (const key in node) {
    const child = node[key];
    if (Array.isArray(child)) for (const item of child) collectDeclaredNames(item, names);
    else if (child && typeof child.type === "string") collectDeclaredNames(child, names);
  }
}

/** The function a callee names, as a dotted reference: `this.save` inside class Repo is Repo.save. */
function referenceOf(callee: string, state: WalkState): string | undefined {
  if (!/^[\w$.]+$/.test(callee)) return undefined;
  if (!callee.startsWith("this.")) return callee;
  return state.thisClass === undefined ? undefined : state.thisClass + callee.slice(4);
}

/**
 * The names a condition tests as unset (`!x`, `x == null`, `x === undefined`,
 * `typeof x === "undefined"`, `!cache.has(k)`) or as set (`x`, `cache.has(k)`,
 * `x != null`): the root name of what is tested.
 */
function testedNames(test: Node, as: "unset" | "set"): string[] {
  test = unwrap(test);
  if (!test) return [];
  if (test.type === "UnaryExpression" && test.operator === "!") {
    return testedNames(test.argument, as === "unset" ? "set" : "unset");
  }
  if (test.type === "LogicalExpression") {
    return [...testedNames(test.left, as), ...testedNames(test.right, as)];
  }
  if (test.type === "BinaryExpression" && ["==", "===", "!=", "!=="].includes(test.operator)) {
    const empty = (node: Node) =>
      (node.type === "Literal" && node.value === null) ||
      (node.type === "Identifier" && node.name === "undefined") ||
      (node.type === "Literal" && node.value === "undefined");
    const other = empty(test.right) ? test.left : empty(test.left) ? test.right : undefined;
    if (!other) return [];
    const testsUnset = test.operator === "==" || test.operator === "===";
    const subject =
      other.type === "UnaryExpression" && other.operator === "typeof" ? other.argument : other;
    const name = rootName(subject.type === "CallExpression" ? subject.callee : subject);
    return name !== undefined && testsUnset === (as === "unset") ? [name] : [];
  }
  if (as === "set" && ["Identifier", "MemberExpression", "CallExpression"].includes(test.type)) {
    const name = rootName(test.type === "CallExpression" ? test.callee : test);
    return name === undefined ? [] : [name];
  }
  return [];
}

/** A statement that always leaves the block: `return ...`, `throw ...`, or a block ending in one. */
function exits(statement: Node): boolean {
  if (statement?.type === "ReturnStatement" || statement?.type === "ThrowStatement") return true;
  if (statement?.type === "BlockStatement") return exits(statement.body.at(-1));
  return false;
}
