/**
 * Chart.js's UMD build, read from the installed package when a report is rendered and inlined
 * into the HTML, so the report opens offline and makes no network request. Resolved from this
 * module's location, which works from src/ (tests) and from dist/ (tsup bundles this file into a
 * chunk there, and Node looks for chart.js up the folders from it).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const UMD_BUILD = "chart.umd.min.js";

let cached: string | undefined;

/** The source of Chart.js (it defines the global `Chart`), safe to place inside a <script>. */
export function chartJsSource(): string {
  if (cached === undefined) {
    // chart.js's package.json "exports" lists only its ES and CommonJS entries, so the UMD file
    // cannot be resolved by name; it sits beside the CommonJS entry in dist/.
    const entry = createRequire(import.meta.url).resolve("chart.js");
    const source = readFileSync(join(dirname(entry), UMD_BUILD), "utf8");
    cached = escapeForScriptElement(source);
  }
  return cached;
}

/**
 * "</script" (in any case) would end the element early, and "<!--" would change how the HTML
 * parser reads the rest of it; "<\/" and "\x3C!--" mean the same inside JavaScript strings and
 * regular expressions, which is where minified code can hold them.
 */
export function escapeForScriptElement(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "\\x3C!--");
}
