// What several benchmarks need: the same pseudo-random data every run, and
// source modules that are not part of the library API, bundled from src/.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** mulberry32: seeded, so every run generates (and measures) the same data. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Bundle `contents` (an ES module re-exporting from src/) into one file a child process can import.
 * Packages in `external` are imported at run time instead (those that load native or WebAssembly
 * files next to themselves): write `outfile` where node_modules resolves them, under the repository.
 */
export async function bundleFromSource(contents, outfile, { external = [] } = {}) {
  await build({
    stdin: { contents, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "warning",
    external,
    // Bundled CommonJS dependencies still call require(). Aliased: src/ may import createRequire itself.
    banner: {
      js: 'import { createRequire as __bannerCreateRequire } from "node:module"; const require = __bannerCreateRequire(import.meta.url);',
    },
  });
  return outfile;
}
