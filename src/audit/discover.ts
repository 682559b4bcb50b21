/**
 * Find the templates under the paths `audit` is given: template.yaml/.yml/.json,
 * cdk.out/*.template.json, and any other YAML or JSON file that is a
 * CloudFormation template (AWSTemplateFormatVersion, or Resources with AWS::
 * types). node_modules and dot-folders are not searched.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

const TEMPLATE_EXTENSIONS = /\.(ya?ml|json|template)$/i;
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", ".aws-sam", "dist", "coverage"]);
const MAX_SNIFF_BYTES = 64 * 1024;

export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";
}

export function findTemplates(paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch {
      throw new DiscoveryError(`${path}: no such file or folder`);
    }
    if (stats.isFile()) found.add(path);
    else walk(path, found);
  }
  return [...found].sort();
}

function walk(folder: string, found: Set<string>): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (
        !SKIPPED_FOLDERS.has(entry.name) &&
        (!entry.name.startsWith(".") || entry.name === "cdk.out")
      )
        walk(path, found);
    } else if (entry.isFile() && TEMPLATE_EXTENSIONS.test(entry.name) && looksLikeTemplate(path)) {
      found.add(path);
    }
  }
}

function looksLikeTemplate(path: string): boolean {
  const name = basename(path).toLowerCase();
  if (/^template\.(ya?ml|json)$/.test(name) || name.endsWith(".template.json")) return true;
  let head: string;
  try {
    head = readFileSync(path, "utf8").slice(0, MAX_SNIFF_BYTES);
  } catch {
    return false;
  }
  return (
    /AWSTemplateFormatVersion/.test(head) || (/\bResources\b/.test(head) && /AWS::/.test(head))
  );
}
