/**
 * Where the package's own files are, whether this code runs from src/ (tests)
 * or from dist/ (the built CLI): the bootstraps ship as plain files beside
 * the code and are found from the package root.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (
      existsSync(manifest) &&
      JSON.parse(readFileSync(manifest, "utf8")).name === "lambda-optimizer"
    ) {
      cached = folder;
      return folder;
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error("cannot find the lambda-optimizer package root");
    folder = parent;
  }
}

export function bootstrapPath(runtime: "node" | "python"): string {
  const file = runtime === "node" ? "node/bootstrap.mjs" : "python/bootstrap.py";
  return join(packageRoot(), "src", "emulator", "runtimes", file);
}
