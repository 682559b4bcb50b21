/**
 * Which code runs when. Init path: every module's top-level code (importing
 * a module runs it) and the functions it calls. Handler path: the handler and
 * the functions it calls, here or in local modules, with every function
 * nested in one of them (callbacks, closures). A reference the parser could
 * not tie to a function (a method on an object of unknown type) is not
 * followed: the rules then say less rather than something false.
 */
import type { CodeExport, CodeModule } from "./code-model.js";
import type { HandlerSite, ScopeSet } from "./function-code.js";
import type { ModuleGraph } from "./module-graph.js";

interface FunctionRef {
  readonly module: CodeModule;
  readonly index: number;
}

export interface CodePaths {
  readonly handlerPath: ScopeSet;
  readonly initPath: ScopeSet;
}

/**
 * @param handler the handler function; undefined when it could not be found,
 *   and then every function of the entry module counts as the handler's.
 */
export function codePaths(graph: ModuleGraph, handler: FunctionRef | undefined): CodePaths {
  const entry = graph.modules[0]!;
  const handlerRoots: FunctionRef[] = handler
    ? [handler]
    : entry.functions.flatMap((fn, index) =>
        fn.parent === undefined ? [{ module: entry, index }] : [],
      );
  const handlerPath = reach(graph, handlerRoots, new Map());
  const initScopes = new Map<CodeModule, Set<number | undefined>>(
    graph.modules.map((module) => [module, new Set([undefined])]),
  );
  const initRoots = graph.modules.flatMap((module) =>
    module.moduleReferences.flatMap((reference) => resolveReference(graph, module, reference)),
  );
  return { handlerPath, initPath: reach(graph, initRoots, initScopes) };
}

function reach(
  graph: ModuleGraph,
  roots: readonly FunctionRef[],
  scopes: Map<CodeModule, Set<number | undefined>>,
): ScopeSet {
  const queue = [...roots];
  while (queue.length > 0) {
    const { module, index } = queue.pop()!;
    const reached = scopes.get(module) ?? new Set<number | undefined>();
    scopes.set(module, reached);
    if (reached.has(index)) continue;
    reached.add(index);
    module.functions.forEach((fn, nested) => {
      if (fn.parent === index) queue.push({ module, index: nested });
    });
    for (const reference of module.functions[index]!.references) {
      queue.push(...resolveReference(graph, module, reference));
    }
  }
  return scopes;
}

/** The functions a dotted name used in a module designates: its own, or one imported from a local module. */
export function resolveReference(
  graph: ModuleGraph,
  module: CodeModule,
  reference: string,
): FunctionRef[] {
  const own = lookup(module, reference);
  if (own !== undefined) return [{ module, index: own }];
  // The longest bound prefix: `lib.db.connect` after `import lib.db` binds "lib.db".
  const parts = reference.split(".");
  for (let length = parts.length - 1; length >= 1; length--) {
    const target = graph.links.get(module)?.get(parts.slice(0, length).join("."));
    if (!target) continue;
    const rest = parts.slice(length).join(".");
    const name =
      target.imported === "*"
        ? rest
        : target.imported === "default"
          ? ["default", rest].filter(Boolean).join(".") // export default { save } -> "default.save"
          : target.imported;
    const found = name === "" ? undefined : lookup(target.module, name);
    return found === undefined ? [] : [{ module: target.module, index: found }];
  }
  if (parts.length === 1) {
    const target = graph.links.get(module)?.get(reference);
    const found = target
      ? lookup(target.module, target.imported === "*" ? "" : target.imported)
      : undefined;
    return target && found !== undefined ? [{ module: target.module, index: found }] : [];
  }
  return [];
}

/**
 * The handler the entry module exports under a name, followed through
 * re-exports (`export { handler } from`, `export *`, `module.exports =
 * require(...)`, an imported name exported again, Python `from .impl import
 * handler`) to the module that defines it.
 */
export function findHandler(
  graph: ModuleGraph,
  exportName: string,
): { readonly handler?: FunctionRef; readonly site?: HandlerSite } {
  let module = graph.modules[0]!;
  let name = exportName;
  for (let hop = 0; hop < 8; hop++) {
    const exported: CodeExport | undefined = module.exports.get(name);
    const index = exported?.functionIndex ?? lookup(module, name);
    const site = exported ? { module, exported } : undefined;
    if (index !== undefined) return { handler: { module, index }, ...(site ? { site } : {}) };
    const local = exported?.localName ?? name;
    const links = graph.links.get(module);
    const link = links?.get(local) ?? links?.get("*");
    if (!link) return site ? { site } : {};
    module = link.module;
    name = link.imported === "*" ? local : link.imported;
  }
  return {};
}

/** Each module's top-level functions by name (the first of a name), made on first lookup. */
const topLevelFunctions = new WeakMap<CodeModule, Map<string, number>>();

/** A module's top-level function, or exported function, by name. */
export function lookup(module: CodeModule, name: string): number | undefined {
  const exported = module.exports.get(name)?.functionIndex;
  if (exported !== undefined) return exported;
  let byName = topLevelFunctions.get(module);
  if (!byName) {
    byName = new Map();
    module.functions.forEach((fn, index) => {
      if (fn.parent === undefined && fn.name !== undefined && !byName!.has(fn.name)) {
        byName!.set(fn.name, index);
      }
    });
    topLevelFunctions.set(module, byName);
  }
  return byName.get(name);
}
