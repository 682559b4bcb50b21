/**
 * layer-candidate (the guide's checklist: "minimize deployment package size
 * (exclude dev dependencies, use layers for shared code)"): functions of one
 * template with separate code folders that each declare the same production
 * dependencies ship a copy of them in every deployment package. A layer holds
 * one copy: deployed once, versioned once, and each function's package keeps
 * only its own code. A layer does not make a cold start faster (the function
 * and its layers are unpacked together, within the same 250 MB), so this is
 * info, about deployments and upkeep.
 *
 * Evidence is what each folder declares: package.json `dependencies` (same
 * name and range; a `file:` range by the folder it points to, so two functions
 * using one local library match) and requirements.txt (same normalized name
 * and specifier). Functions built with esbuild are left out: each ships only
 * what it imports, which is the other good answer. Functions that share one
 * code folder already share its source and are counted as that one folder.
 */
import { resolve } from "node:path";
import type { AuditContext } from "../audit-context.js";
import type { FunctionCode } from "../code/function-code.js";
import { formatSize, list } from "../code-rules/package-size.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

interface SharedDependency {
  /** What two folders must both declare to share it. */
  readonly key: string;
  /** As the message names it: "zod ^3.23.8", "Pillow==10.4.0". */
  readonly label: string;
  /** The npm package's name, to find its installed size; undefined for Python. */
  readonly npmName?: string;
}

export const layerCandidate: AuditRule = {
  meta: {
    id: "layer-candidate",
    severity: "info",
    title: "Functions that each ship the same dependencies",
    rationale:
      "Every function's deployment package carries its own copy of dependencies it shares with other functions: each deploy uploads them again and each copy is upgraded separately. A layer holds one copy for all of them.",
    fix: "Move the shared dependencies into a layer (AWS::Serverless::LayerVersion with a BuildMethod, or AWS::Lambda::LayerVersion) listed in each function's Layers, and remove them from the functions' own packages; or bundle each function with esbuild, which ships only what it imports.",
    docs: docsFor("layer-candidate"),
  },
  readsCode: true,
  check(context) {
    const code = context.environment.code?.ofTemplate(context) ?? [];
    const folders = new Map<string, FunctionCode[]>();
    for (const fn of code) {
      if (fn.buildMethod === "esbuild") continue;
      folders.set(fn.codeRoot, [...(folders.get(fn.codeRoot) ?? []), fn]);
    }
    // Which folders declare each dependency, then the dependencies grouped by the same set of folders.
    const declaredBy = new Map<string, { dependency: SharedDependency; roots: string[] }>();
    for (const [root, functions] of folders) {
      for (const dependency of declaredDependencies(functions[0]!)) {
        const entry = declaredBy.get(dependency.key) ?? { dependency, roots: [] };
        entry.roots.push(root);
        declaredBy.set(dependency.key, entry);
      }
    }
    const groups = new Map<string, { roots: string[]; dependencies: SharedDependency[] }>();
    for (const { dependency, roots } of declaredBy.values()) {
      if (roots.length < 2) continue;
      const key = roots.join("\0");
      const group = groups.get(key) ?? { roots, dependencies: [] };
      group.dependencies.push(dependency);
      groups.set(key, group);
    }
    return [...groups.values()].map((group) =>
      finding(
        context,
        group.roots.flatMap((root) => folders.get(root) ?? []),
        group.dependencies,
      ),
    );
  },
};

function finding(
  context: AuditContext,
  functions: readonly FunctionCode[],
  dependencies: readonly SharedDependency[],
): RuleFinding {
  const first = functions[0]!;
  const names = functions.map((fn) => fn.resource);
  const who =
    names.length === 2
      ? `${names[0]} and ${names[1]}`
      : `${names.length} functions (${list(names)})`;
  const labels = dependencies.map((dependency) => dependency.label);
  const what = labels.length === 1 ? "dependency" : `${labels.length} dependencies`;
  const bytes = installedBytes(first, dependencies);
  const size = bytes > 0 ? `, ${formatSize(bytes)} installed in ${first.resource}'s folder` : "";
  const flavour = context.functions.find((fn) => fn.logicalId === first.resource)?.flavour;
  const codeProperty = flavour === "cloudformation" ? "Code" : "CodeUri";
  return {
    resource: first.resource,
    path: context.propertyPath(first.resource, [codeProperty]),
    message: `${who} each ship the same ${what} in their own deployment package (${list(labels)}${size}): a layer would hold one copy for all of them.`,
    fix: layerFix(first),
  };
}

/** The production dependencies a function's folder declares, keyed so that two folders declaring the same one match. */
function declaredDependencies(fn: FunctionCode): SharedDependency[] {
  const npm = (fn.package.packageJson?.dependencies ?? []).map((dependency) => {
    const local = /^(?:file|link):(.*)$/.exec(dependency.range)?.[1];
    const reference =
      local === undefined ? dependency.range : `file:${resolve(fn.codeRoot, local)}`;
    return {
      key: `npm\0${dependency.name}\0${reference}`,
      label: `${dependency.name} ${dependency.range}`,
      npmName: dependency.name,
    };
  });
  const pypi = (fn.package.requirements?.requirements ?? []).map((requirement) => ({
    key: `pypi\0${requirement.normalized}\0${requirement.specifier}`,
    label: `${requirement.name}${requirement.specifier}`,
  }));
  return [...npm, ...pypi];
}

/** Bytes the shared npm packages take in the function's node_modules (0 when not installed there, or for Python). */
function installedBytes(fn: FunctionCode, dependencies: readonly SharedDependency[]): number {
  const names = new Set(dependencies.map((dependency) => dependency.npmName));
  return fn.package.installed
    .filter((installed) => names.has(installed.name))
    .reduce((sum, installed) => sum + installed.bytes, 0);
}

/** How to build the layer, in the function's language. */
function layerFix(fn: FunctionCode): string {
  const runtime = fn.runtime ?? (fn.language === "python" ? "python3.12" : "nodejs22.x");
  const manifest = fn.language === "python" ? "requirements.txt" : "package.json";
  return `Put the shared dependencies in their own folder's ${manifest}, declare it as an AWS::Serverless::LayerVersion with ContentUri set to that folder and Metadata BuildMethod ${runtime}, add it to each function's Layers, and remove them from each function's ${manifest}.`;
}
