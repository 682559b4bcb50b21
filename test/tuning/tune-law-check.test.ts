/**
 * A local tune and the host's CPU law check: the check kept in the user cache is the one used
 * (injected here, so nothing depends on this host's timing), an off one makes the verdict warn
 * in every form of the report, and with none kept the report says so and nothing is measured.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LAW_RATIO } from "../../src/emulator/law-check.js";
import { lawCheckFile, saveLawCheck } from "../../src/emulator/law-check-cache.js";
import { detectSandbox } from "../../src/emulator/sandbox/index.js";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { runCli } from "../cli/run-cli.js";

const IO_BOUND = fileURLToPath(
  new URL("../../examples/io-bound/handler.mjs:handler", import.meta.url),
);
const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const flat = (text: string) => text.replace(/\s+/g, " ");
const TUNE = [IO_BOUND, "--memory", "128,512", "--num", "3", "--payload", '{"latencyMs":5}'];

describe("tune and the host's CPU law", () => {
  it("warns that durations and the curve's steepness are off when the kept check is off", async () => {
    const cacheDir = tempDir("lo-law-cache-");
    const sandbox = await detectSandbox();
    // 37% slow at 128 MB: what the duty cycle measured on this host before its fix.
    saveLawCheck(
      {
        mechanism: sandbox.mechanism,
        sandbox,
        ratio: 18.98,
        durationRatio: 18.98,
        law: LAW_RATIO,
        error: 18.98 / LAW_RATIO - 1,
        withinTolerance: false,
        durationsMs: { small: 3_890, large: 205 },
        cpuMs: { small: 205, large: 205 },
        samples: 5,
        checkedAt: "2026-12-03T11:00:00.000Z",
        wallMs: 4_000,
      },
      cacheDir,
    );
    const cwd = tempDir("lo-law-cwd-");
    const env = { LAMBDA_OPTIMIZER_CACHE_DIR: cacheDir };
    const json = runCli(["tune", ...TUNE, "--json", "--html", "report.html"], { cwd, env });
    expect(json.status, json.stderr).toBe(0);
    const result = TuneResultSchema.parse(JSON.parse(json.stdout));
    expect(result.sandbox).toMatchObject({
      mechanism: sandbox.mechanism,
      lawCheck: { ratio: 18.98, withinTolerance: false, cached: true },
    });
    const warning = result.verdict?.warnings.find((entry) => entry.kind === "cpu-law-off");
    expect(warning?.message).toBe(
      "this host's CPU law is off by +37.3%: a CPU-bound function took 18.98 times as long at 128 MB as at 1,769 MB (13.82 on Lambda; checked 2026-12-03 11:00 UTC), so the absolute durations and how steeply they fall with memory are off by about as much",
    );
    expect(result.verdict?.status).toBe("doubtful");
    const html = readFileSync(join(cwd, "report.html"), "utf8");
    expect(html).toContain("CPU law d(128)/d(1769) 18.98 (Lambda: 13.82, +37.3%)");
    expect(html).toContain(
      "so the absolute durations and how steeply they fall with memory are off",
    );

    const text = runCli(["tune", ...TUNE], { cwd, env });
    expect(text.status, text.stderr).toBe(0);
    expect(flat(text.stdout)).toContain("this host's CPU law is off by +37.3%");
    expect(flat(text.stdout)).toContain(
      `Sandbox: ${sandbox.mechanism}; memory ${sandbox.memoryEnforcement}; ${sandbox.hostCpus} host CPUs; CPU law d(128)/d(1769) 18.98 (Lambda: 13.82, +37.3%).`,
    );
  });

  it("with no check kept, says so and measures nothing", async () => {
    const cacheDir = tempDir("lo-law-cache-");
    const { mechanism } = await detectSandbox();
    const cwd = tempDir("lo-law-cwd-");
    const env = { LAMBDA_OPTIMIZER_CACHE_DIR: cacheDir };
    const run = runCli(["tune", ...TUNE, "--json"], { cwd, env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/pair \d\/\d: /);
    const result = TuneResultSchema.parse(JSON.parse(run.stdout));
    expect(result.sandbox).toMatchObject({ mechanism, lawCheck: null });
    expect(result.verdict?.warnings.some((entry) => entry.kind === "cpu-law-off")).toBe(false);
    expect(existsSync(lawCheckFile(mechanism, cacheDir))).toBe(false);
    const text = runCli(["tune", ...TUNE], { cwd, env });
    expect(flat(text.stdout)).toContain(
      "CPU law not checked on this host (lambda-optimizer doctor --check)",
    );
  });
});
