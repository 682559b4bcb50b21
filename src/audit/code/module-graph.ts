/**
 * The handler's module and the local modules it imports, followed as Node.js
 * and Python would resolve them: relative JS specifiers (with the `.js` ->
 * `.ts` mapping TypeScript ESM uses, extensionless and index files), `#`
 * subpath imports through package.json "imports", Python
 * relative imports and absolute imports of modules under the code root (Lambda
 * puts the code root on sys.path). Packages (node_modules, site-packages) are
 * not followed: their names are what the rules match.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { CodeImport, CodeModule } from "./code-model.js";
import { recordTopLevel } from "./package-scan.js";
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

interface ResolvedImport {
  readonly file: string;
  /** The local name bound to it, if any. */
  readonly local?: string;
  readonly imported: string;
}

/** Whether a path is a regular file (following links); false for anything missing or unreadable. */
export function isFile(path: string): boolean {
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

/** A path out of an "imports" target: a string, or the node/import/require/default condition of an object. */
function conditionalTarget(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    for (const condition of ["node", "import", "require", "default"]) {
      const target = conditionalTarget((value as Record<string, unknown>)[condition]);
      if (target !== undefined) return target;
    }
  }
  return undefined;
}

/** `a.b` under a folder: a/b.py or a/b/__init__.py. */
function pythonModuleFile(folder: string, dotted: string): string | undefined {
  const base = dotted === "" ? folder : join(folder, ...dotted.split("."));
  return [`${base}.py`, join(base, "__init__.py")].find(isFile);
}

/**
 * A distribution's import names: its name, its top_level.txt, and the first
 * path segment of each file its RECORD lists (Pillow installs `PIL`, PyYAML
 * installs `yaml`).
 */
function importNamesOf(distInfo: string, distribution: string): string[] {
  let topLevel: string[] = [];
  try {
    topLevel = readFileSync(join(distInfo, "top_level.txt"), "utf8").split("\n");
  } catch {
    // top_level.txt is optional; RECORD names the same
  }
  const recorded = [...recordTopLevel(join(distInfo, "RECORD"))].filter(
    (name) => !name.endsWith(".dist-info"),
  );
  return [distribution.replace(/-/g, "_"), ...topLevel, ...recorded]
    .map((name) => name.trim().replace(/\.py$/, "").toLowerCase())
    .filter(Boolean);
}

/**
 * Follows a function's imports. What it reads about folders (package.json
 * "imports", pip's dist-info) is kept for the one audit run that made it, so
 * a later run sees the files as they are then.
 */
export class ModuleResolver {
  /** package.json files read while resolving `#` imports, by folder (undefined: none there). */
  private readonly packageImports = new Map<string, Record<string, unknown> | undefined>();

  /** Top-level import names of the packages pip vendored into a folder, which are not the user's code. */
  private readonly vendoredPackages = new Map<string, Set<string>>();

  graph(entry: CodeModule, codeRoot: string, sources: SourceCache): ModuleGraph {
    const modules: CodeModule[] = [entry];
    const links = new Map<CodeModule, Map<string, ImportTarget>>();
    const seen = new Set([entry.file]);
    for (let index = 0; index < modules.length; index++) {
      const module = modules[index]!;
      const moduleLinks = new Map<string, ImportTarget>();
      links.set(module, moduleLinks);
      for (const entryImport of module.imports) {
        for (const { file, local, imported } of this.resolveImport(module, entryImport, codeRoot)) {
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

  /** Whether `dotted`'s top-level package under `codeRoot` was installed there by pip. */
  isVendored(codeRoot: string, dotted: string): boolean {
    let names = this.vendoredPackages.get(codeRoot);
    if (!names) {
      names = new Set();
      try {
        for (const entry of readdirSync(codeRoot)) {
          const match = /^(.+?)-[^-]+\.dist-info$/.exec(entry);
          if (!match) continue;
          for (const name of importNamesOf(join(codeRoot, entry), match[1]!)) names.add(name);
        }
      } catch {
        // an unreadable root has nothing vendored we can see
      }
      this.vendoredPackages.set(codeRoot, names);
    }
    return names.has(dotted.split(".")[0]!.toLowerCase());
  }

  private resolveImport(module: CodeModule, entry: CodeImport, codeRoot: string): ResolvedImport[] {
    if (module.language === "javascript") {
      const target = entry.specifier.startsWith("#")
        ? this.subpathImport(module.file, entry.specifier)
        : entry.specifier.startsWith(".") || entry.specifier.startsWith("/")
          ? resolve(dirname(module.file), entry.specifier)
          : undefined; // a package
      const file = target === undefined ? undefined : resolveJavaScriptFile(target);
      if (!file) return [];
      const names = [...entry.names].map(([local, imported]) => ({ file, local, imported }));
      return names.length > 0 ? names : [{ file, imported: "*" }];
    }
    return this.resolvePythonImport(module, entry, codeRoot);
  }

  private importsField(folder: string): Record<string, unknown> | undefined {
    if (!this.packageImports.has(folder)) {
      let imports: Record<string, unknown> | undefined;
      try {
        const parsed = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
        imports = parsed && typeof parsed.imports === "object" ? parsed.imports : undefined;
      } catch {
        imports = undefined;
      }
      this.packageImports.set(folder, imports);
    }
    return this.packageImports.get(folder);
  }

  /** `#helpers/db` through the nearest package.json's "imports" (exact keys, or one `*` pattern). */
  private subpathImport(fromFile: string, specifier: string): string | undefined {
    for (let folder = dirname(fromFile); ; folder = dirname(folder)) {
      if (existsSync(join(folder, "package.json"))) {
        const imports = this.importsField(folder);
        if (!imports) return undefined;
        for (const [key, value] of Object.entries(imports)) {
          const star = key.indexOf("*");
          const matched =
            star === -1
              ? key === specifier
                ? ""
                : undefined
              : specifier.startsWith(key.slice(0, star)) && specifier.endsWith(key.slice(star + 1))
                ? specifier.slice(star, specifier.length - (key.length - star - 1))
                : undefined;
          const target = matched === undefined ? undefined : conditionalTarget(value);
          if (target !== undefined) return resolve(folder, target.replace("*", matched!));
        }
        return undefined;
      }
      if (dirname(folder) === folder) return undefined;
    }
  }

  private resolvePythonImport(
    module: CodeModule,
    entry: CodeImport,
    codeRoot: string,
  ): ResolvedImport[] {
    const dots = /^\.*/.exec(entry.specifier)![0].length;
    if (dots === 0 && this.isVendored(codeRoot, entry.specifier)) return [];
    let folder = dots > 0 ? dirname(module.file) : codeRoot;
    for (let level = 1; level < dots; level++) folder = dirname(folder);
    const dotted = entry.specifier.slice(dots);
    const resolved: ResolvedImport[] = [];
    const moduleFile = pythonModuleFile(folder, dotted);
    for (const [local, imported] of entry.names) {
      if (imported === "*") {
        // `import lib.db` binds `lib`, used as `lib.db.x`: link the dotted name; `import lib.db as db` binds db.
        const bound = entry.specifier.startsWith(`${local}.`) ? entry.specifier : local;
        if (moduleFile) resolved.push({ file: moduleFile, local: bound, imported: "*" });
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
}
