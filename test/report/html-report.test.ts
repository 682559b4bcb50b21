import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import type { chartDataOf } from "../../src/report/chart-data.js";
import { chartJsSource, escapeForScriptElement } from "../../src/report/chart-library.js";
import { escapeHtml, jsonForScript } from "../../src/report/html-escape.js";
import { renderHtmlReport } from "../../src/report/html-report.js";
import { configuration, tuneResult } from "./fixture.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The JSON the charts read, parsed back the way the browser does. */
function chartDataIn(html: string): unknown {
  const match = /<script type="application\/json" id="tune-chart-data">([^<]*)<\/script>/.exec(
    html,
  );
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!);
}

describe("renderHtmlReport", () => {
  const result = tuneResult();
  const html = renderHtmlReport(result);

  it("is one document with Chart.js inlined and nothing to fetch", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(chartJsSource());
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'`);
    // No attribute anywhere points outside the file.
    expect(html).not.toMatch(/\s(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+rel=["']?stylesheet/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });

  it("shows the header, the verdict and the run's figures", () => {
    expect(html).toContain("<h1>checkout-api");
    expect(html).toContain("local run");
    expect(html).toContain("2026-03-14 09:26 UTC");
    expect(html).toContain("us-east-1 as of 2025-08-01");
    expect(html).toContain("cgroup-v2");
    expect(html).toContain('<span class="choice">128 MB</span>');
    expect(html).toContain(escapeHtml(result.recommendation!.reason));
    expect(html).toContain("Saving against 1,024 MB x86_64");
    expect(html).toContain("7.8%");
    expect(html).toContain("$0.00231");
  });

  it("has a table row for every configuration, the failed one with its error", () => {
    const rows = html.match(/<tr(?: class="[^"]*")?>\n<td class="standing-cell">/g) ?? [];
    expect(rows).toHaveLength(result.results.length);
    expect(html).toContain("<code>Runtime.OutOfMemory</code>: RequestId: 1f0c Error:");
    expect(html.match(/title="recommended">★/g)).toHaveLength(1);
    expect(html.match(/title="tied with the recommendation within noise">≈/g)).toHaveLength(4);
  });

  it("hands the charts one series per architecture, with confidence intervals", () => {
    const data = chartDataIn(html) as ReturnType<typeof chartDataOf>;
    expect(data.labels).toEqual(["128", "256", "512", "1024", "1769", "3008"]);
    expect(data.series.map((series) => series.architecture)).toEqual(["x86_64", "arm64"]);
    const x86 = data.series[0]!;
    expect(x86.cost[0]!.y).toBeNull(); // 128 MB x86_64 failed: a gap, not a zero
    expect(x86.cost[1]!.low).toBeLessThan(x86.cost[1]!.y!);
    expect(x86.cost[1]!.high).toBeGreaterThan(x86.cost[1]!.y!);
    expect(data.failed).toEqual([expect.objectContaining({ x: "128", architecture: "x86_64" })]);
    expect(data.recommended).toMatchObject({ x: "128" });
  });

  it("escapes every string that comes from the result", () => {
    const hostile = '<img src=x onerror=alert(1)>"</script><script>alert(2)</script>';
    const base = tuneResult();
    const evil = tuneResult({
      target: { ...base.target, functionName: hostile, functionArn: hostile, endpoint: hostile },
      settings: { ...base.settings, allowedExceptions: [hostile] },
      results: [
        configuration({
          memoryMb: 128,
          architecture: "x86_64",
          durationMs: 0,
          failed: { type: hostile, message: hostile },
        }),
        configuration({ memoryMb: 256, architecture: "x86_64", durationMs: 100 }),
      ],
    });
    evil.recommendation!.reason = hostile;
    const page = renderHtmlReport(evil);
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<script>alert");
    expect(page).toContain(escapeHtml(hostile));
    // The chart data still carries the text intact once parsed.
    const data = chartDataIn(page) as ReturnType<typeof chartDataOf>;
    expect(data.failed[0]!.tooltip.join(" ")).toContain("<img src=x onerror=alert(1)>");
  });

  it("says so when every configuration failed, and when no configuration met the SLO", () => {
    const failed = tuneResult({
      results: [
        configuration({
          memoryMb: 128,
          architecture: "x86_64",
          durationMs: 0,
          failed: { type: "Sandbox.Timedout", message: "Task timed out" },
        }),
      ],
      recommendation: null,
    });
    expect(renderHtmlReport(failed)).toContain("Every configuration failed");

    const base = tuneResult();
    const slo = tuneResult({
      settings: { ...base.settings, strategy: "slo", maxP99Ms: 100 },
      recommendation: null,
      closestToSlo: { memoryMb: 3008, architecture: "x86_64", percentileMs: 215 },
    });
    const page = renderHtmlReport(slo);
    expect(page).toContain("No configuration meets the SLO (p99 ≤ 100 ms)");
    expect(page).toContain("The closest is 3,008 MB x86_64, at 215 ms.");
  });
});

describe("inline script safety", () => {
  it("escapes what would end a script element early", () => {
    expect(escapeForScriptElement('a="</script>";b="</SCRIPT";c="<!--"')).toBe(
      'a="<\\/script>";b="<\\/SCRIPT";c="\\x3C!--"',
    );
    expect(jsonForScript({ text: "</script><!--\u2028" })).toBe(
      '{"text":"\\u003c/script\\u003e\\u003c!--\\u2028"}',
    );
    expect(JSON.parse(jsonForScript({ text: "</script>&" }))).toEqual({ text: "</script>&" });
  });

  it("inlines Chart.js's UMD build", () => {
    const source = chartJsSource();
    expect(source.length).toBeGreaterThan(100_000);
    expect(source).toMatch(/Chart\.js v4/);
    expect(source).not.toMatch(/<\/script/i);
  });
});

describe("Chart.js from a bundle", () => {
  const outDir = join(REPO_ROOT, "node_modules", ".cache", "lambda-optimizer");
  let tempDir: string | undefined;
  afterAll(async () => {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  // tsup (esbuild) puts this module into a chunk under dist/; Node must still find chart.js from
  // there. Bundling it the same way into a folder inside the repository checks just that.
  it("is found from a bundled chunk as from src/", async () => {
    await mkdir(outDir, { recursive: true });
    tempDir = await mkdtemp(join(outDir, "bundle-"));
    const outfile = join(tempDir, "chart-library.js");
    await build({
      entryPoints: [join(REPO_ROOT, "src", "report", "chart-library.ts")],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "silent",
    });
    const bundled = (await import(
      pathToFileURL(outfile).href
    )) as typeof import("../../src/report/chart-library.js");
    expect(bundled.chartJsSource()).toBe(chartJsSource());
  });
});
