/**
 * package-size: a deployment package above 50 MB unzipped, and what it ships
 * that the function never runs (devDependencies, tests, docs). Lambda
 * downloads and unpacks the package on every cold start, so its size adds
 * to cold-start latency, and it caps it at 250 MB unzipped with layers.
 */
import type { CodeFinding, CodeRule } from "../code/code-rule.js";
import { FILE_START } from "../code/code-rule.js";
import type { FunctionCode } from "../code/function-code.js";
import type { ShippedExtra } from "../code/package-scan.js";
import { docsFor } from "../rule.js";

const MB = 1024 * 1024;
/** Above this, the package is worth trimming (a quarter of Lambda's 250 MB limit). */
export const PACKAGE_SIZE_THRESHOLD_MB = 50;
/** Lambda's limit on the unzipped function code plus its layers. */
const LAMBDA_UNZIPPED_LIMIT_MB = 250;
/** Extras smaller than this are reported as info: removing them hardly changes a cold start. */
const SMALL_EXTRA_BYTES = MB;
/** Names listed in a message before "and N more". */
const LISTED = 5;

export const packageSize: CodeRule = {
  meta: {
    id: "package-size",
    severity: "warning",
    title: "Large deployment package, or one that ships devDependencies, tests or docs",
    rationale: `Lambda fetches and unpacks the package on every cold start, so a larger package starts more slowly; the unzipped code with its layers may not exceed ${LAMBDA_UNZIPPED_LIMIT_MB} MB.`,
    fix: "Ship only what runs: install production dependencies only (`npm ci --omit=dev`), bundle and tree-shake (esbuild), keep tests and docs out of the deployment folder (or exclude them with package.json `files` / .npmignore).",
    docs: docsFor("package-size"),
  },
  check(fn) {
    // `sam build` with esbuild ships the bundle of what the handler imports, not the folder.
    if (fn.buildMethod === "esbuild") return [];
    const facts = fn.package;
    const anchor = anchorFile(fn);
    const findings: CodeFinding[] = [];

    if (facts.totalBytes > PACKAGE_SIZE_THRESHOLD_MB * MB) {
      const layerBytes = facts.layers.reduce((sum, layer) => sum + layer.totalBytes, 0);
      const withLayers =
        layerBytes > 0
          ? ` (${formatSize(facts.totalBytes + layerBytes)} with its layers, of Lambda's ${LAMBDA_UNZIPPED_LIMIT_MB} MB limit)`
          : ` (Lambda's limit is ${LAMBDA_UNZIPPED_LIMIT_MB} MB with layers)`;
      findings.push({
        file: anchor,
        position: FILE_START,
        message: `The deployment package is ${facts.truncated ? "at least " : ""}${formatSize(facts.totalBytes)} unzipped in ${facts.fileCount} files${withLayers}, above ${PACKAGE_SIZE_THRESHOLD_MB} MB: every cold start downloads and unpacks it.`,
      });
    }

    const devDependencies = facts.shippedDevDependencies;
    if (devDependencies.length > 0) {
      const bytes = devDependencies.reduce((sum, pkg) => sum + pkg.bytes, 0);
      const names = new Set(devDependencies.map((pkg) => pkg.name));
      const firstLine = facts.packageJson?.devDependencies.find((dependency) =>
        names.has(dependency.name),
      )?.line;
      findings.push({
        file: facts.packageJson?.file ?? anchor,
        position: firstLine ? { line: firstLine, column: 1 } : FILE_START,
        message: `node_modules ships ${devDependencies.length} devDependenc${devDependencies.length === 1 ? "y" : "ies"} (${list(devDependencies.map((pkg) => pkg.name))}), ${formatSize(bytes)} the function never loads.`,
        fix: "Install production dependencies only before packaging (`npm ci --omit=dev`, or `sam build`, which does), or bundle with esbuild.",
        ...(bytes < SMALL_EXTRA_BYTES ? { severity: "info" as const } : {}),
      });
    }

    const extra = (extras: readonly ShippedExtra[], what: string, fix: string) => {
      if (extras.length === 0) return;
      const bytes = extras.reduce((sum, item) => sum + item.bytes, 0);
      findings.push({
        file: anchor,
        position: FILE_START,
        message: `The package ships ${what} (${list(extras.map((item) => item.relative + (item.kind === "folder" ? "/" : "")))}), ${formatSize(bytes)}.`,
        fix,
        ...(bytes < SMALL_EXTRA_BYTES ? { severity: "info" as const } : {}),
      });
    };
    extra(
      facts.tests,
      "tests",
      "Keep tests outside the deployment folder (CodeUri), or list what ships in package.json `files` (or .npmignore).",
    );
    extra(
      facts.docs,
      "documentation or examples",
      "Keep docs and examples outside the deployment folder (CodeUri), or list what ships in package.json `files` (or .npmignore).",
    );
    return findings;
  },
};

/** Where package-wide findings point: the folder's package.json, else the entry module, else the folder. */
function anchorFile(fn: FunctionCode): string {
  return fn.package.packageJson?.file ?? fn.modules[0]?.file ?? fn.codeRoot;
}

/** "a, b, c, d, e and 3 more". */
export function list(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(", ");
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** Sizes in MB (MiB, as Lambda's limits are), or KB under 1 MB. */
export function formatSize(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
