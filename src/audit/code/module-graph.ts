/**
 * The handler's module and the local modules it imports, followed as Node.js
 * and Python would resolve them: relative JS specifiers (with the `.js` ->
 * `.ts` mapping TypeScript ESM uses, extensionless and index files), Python
 * relative imports and absolute imports of modules under the code root (Lambda
 * puts the code root on sys.path). Packages (node_modules, site-packages) are
 * not followed: their names are what the rules match.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { CodeImport, CodeModule } from "./code-model.js";
import { JAVASCRIPT_EXTENSIONS, type SourceCache } from "./source-cache.js";

/** Enough for any real handler; a cap keeps a pathological tree from taking the run with it. */
const MAX_MODULES = 400;

/** Where a name bound by an import points: a module of the function and the name imported from it ("*" for the module itself). */
export interface ImportTarget {
  readonly module: CodeModule;
  readonly imported: string;
}

export interface ModuleGraph {
  /** Entry first. */
  readonly modules: readonly CodeModule[];
  /** Per module, its local names bound to other modules of the function. */
  readonly links: ReadonlyMap<CodeModule, ReadonlyMap<string, ImportTarget>>;
}

export function buildModuleGraph(
  entry: CodeModule,
  codeRoot: string,
  sources: SourceCache,
): ModuleGraph {
  const modules: CodeModule[] = [entry];
  const links = new Map<CodeModule, Map<string, ImportTarget>>();
  const seen = new Set([entry.file]);
  for (let index = 0; index < modules.length; index++) {
    const module = modules[index]!;
    const moduleLinks = new Map<string, ImportTarget>();
    links.set(module, moduleLinks);
    for (const entryImport of module.imports) {
      for (const { file, local, imported } of resolveImport(module, entryImport, codeRoot)) {
        const target = sources.load(file);
        if (!target) continue;
        if (!seen.has(file) && modules.length < MAX_MODULES) {
          seen.add(file);
          modules.push(target);
        }
        if (local !== undefined && seen.has(file))
          moduleLinks.set(local, { module: target, imported });
      }
    }
  }
  return { modules, links };
}

interface ResolvedImport {
  readonly file: string;
  /** The local name bound to it, if any. */
  readonly local?: string;
  readonly imported: string;
}

function resolveImport(module: CodeModule, entry: CodeImport, codeRoot: string): ResolvedImport[] {
  if (module.language === "javascript") {
    if (!entry.specifier.startsWith(".") && !entry.specifier.startsWith("/")) return [];
    const file = resolveJavaScriptFile(resolve(dirname(module.file), entry.specifier));
    if (!file) return [];
    const names = [...entry.names].map(([local, imported]) => ({ file, local, imported }));
    return names.length > 0 ? names : [{ file, imported: "*" }];
  }
  return resolvePythonImport(module, entry, codeRoot);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function resolveJavaScriptFile(base: string): string | undefined {
  const candidates = [base];
  // TypeScript ESM writes the output's name: "./db.js" means ./db.ts.
  const swapped = base.replace(
    /\.(m|c)?js$/,
    (_match, kind: string | undefined) => `.${kind ?? ""}ts`,
  );
  if (swapped !== base) candidates.push(swapped);
  for (const extension of JAVASCRIPT_EXTENSIONS) candidates.push(base + extension);
  for (const extension of JAVASCRIPT_EXTENSIONS) candidates.push(join(base, `index${extension}`));
  return candidates.find(isFile);
}

/** `a.b` under a folder: a/b.py or a/b/__init__.py. */
function pythonModuleFile(folder: string, dotted: string): string | undefined {
  const base = dotted === "" ? folder : join(folder, ...dotted.split("."));
  return [`${base}.py`, join(base, "__init__.py")].find(isFile);
}

/** Top-level names of the packages pip vendored into a folder (their *.dist-info), which are not the user's code. */
const vendoredPackages = new Map<string, Set<string>>();

function isVendored(codeRoot: string, dotted: string): boolean {
  let names = vendoredPackages.get(codeRoot);
  if (!names) {
    names = new Set();
    try {
      for (const entry of readdirSync(codeRoot)) {
        const match = /^(.+?)-[^-]+\.dist-info$/.exec(entry);
        if (match) names.add(match[1]!.toLowerCase().replace(/-/g, "_"));
      }
    } catch {
      // an unreadable root has nothing vendored we can see
    }
    vendoredPackages.set(codeRoot, names);
  }
  return names.has(dotted.split(".")[0]!.toLowerCase());
}

function resolvePythonImport(
  module: CodeModule,
  entry: CodeImport,
  codeRoot: string,
): ResolvedImport[] {
  const dots = /^\.*/.exec(entry.specifier)![0].length;
  if (dots === 0 && isVendored(codeRoot, entry.specifier)) return [];
  let folder = dots > 0 ? dirname(module.file) : codeRoot;
  for (let level = 1; level < dots; level++) folder = dirname(folder);
  const dotted = entry.specifier.slice(dots);
  const resolved: ResolvedImport[] = [];
  const moduleFile = pythonModuleFile(folder, dotted);
  for (const [local, imported] of entry.names) {
    if (imported === "*") {
      // `import lib.db` binds `lib`; `import lib.db as db` binds the module itself.
      if (moduleFile) resolved.push({ file: moduleFile, local, imported: "*" });
      continue;
    }
    // `from lib import db` may name a submodule.
    const packageFolder = dotted === "" ? folder : join(folder, ...dotted.split("."));
    const submodule = existsSync(packageFolder)
      ? pythonModuleFile(packageFolder, imported)
      : undefined;
    if (submodule) resolved.push({ file: submodule, local, imported: "*" });
    else if (moduleFile) resolved.push({ file: moduleFile, local, imported });
  }
  if (resolved.length === 0 && moduleFile) resolved.push({ file: moduleFile, imported: "*" });
  return resolved;
}
