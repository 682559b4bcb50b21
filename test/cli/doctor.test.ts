/**
 * `doctor` and `doctor --check` as a user runs them: the mechanism, and the CPU law measured
 * under it (a few seconds), kept per mechanism and host in the user cache for later runs.
 * This host is noisy and the duty cycle is still being tuned, so the measured ratio is held to
 * its shape (positive, its error its distance from the law, the tolerance judged from that),
 * never to a value.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DoctorReportSchema } from "../../src/emulator/doctor-report.js";
import { LAW_RATIO, LAW_TOLERANCE, type LawCheck } from "../../src/emulator/law-check.js";
import { lawCheckFile } from "../../src/emulator/law-check-cache.js";
import { formatNumber } from "../../src/format.js";
import { runCli } from "./run-cli.js";

/** A cache folder of the test's own: no check kept there yet. */
const freshCache = () => mkdtempSync(join(tmpdir(), "lo-doctor-cache-"));

function doctorJson(args: string[], cacheDir: string) {
  const result = runCli(["doctor", ...args, "--json"], {
    env: { LAMBDA_OPTIMIZER_CACHE_DIR: cacheDir },
  });
  if (result.status !== 0) throw new Error(`doctor exited ${result.status}: ${result.stderr}`);
  return { report: DoctorReportSchema.parse(JSON.parse(result.stdout)), stderr: result.stderr };
}

function expectLawShape(check: LawCheck) {
  expect(check.ratio).toBeGreaterThan(0);
  expect(check.law).toBeCloseTo(LAW_RATIO, 10);
  expect(check.error).toBeCloseTo(check.ratio / LAW_RATIO - 1, 10);
  expect(check.withinTolerance).toBe(Math.abs(check.error) <= LAW_TOLERANCE);
  expect(check.durationsMs.small).toBeGreaterThan(check.durationsMs.large);
  expect(check.durationRatio).toBeGreaterThan(1);
  // The same work at both sizes: its CPU cost varies from run to run on a shared host (70-95 ms
  // here), never by a factor of two, and a run's CPU time is never much over its wall time.
  expect(check.cpuMs.small / check.cpuMs.large).toBeGreaterThan(0.5);
  expect(check.cpuMs.small / check.cpuMs.large).toBeLessThan(2);
  expect(check.cpuMs.large).toBeLessThan(check.durationsMs.large * 1.1 + 5);
  expect(check.samples).toBe(5);
  expect(check.wallMs).toBeGreaterThan(0);
  expect(Number.isNaN(Date.parse(check.checkedAt))).toBe(false);
}

describe("lambda-optimizer doctor --check", () => {
  it("measures the CPU law under this host's mechanism, prints it, and keeps it for later runs", () => {
    const cacheDir = freshCache();
    const before = doctorJson([], cacheDir).report;
    expect(before.check).toBeNull();
    const text = runCli(["doctor"], { env: { LAMBDA_OPTIMIZER_CACHE_DIR: cacheDir } }).stdout;
    expect(text).toContain("CPU law, d(128)/d(1769): not checked yet: run doctor --check");

    const { report, stderr } = doctorJson(["--check"], cacheDir);
    const check = report.check!;
    // As detected, unforced: cgroup-v1 on the root-and-cgroup-v1 host these tests run on here.
    expect(check.mechanism).toBe(before.sandbox.mechanism);
    expect(check.sandbox.mechanism).toBe(check.mechanism);
    if (process.getuid?.() === 0 && existsSync("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
      expect(check.mechanism).toBe("cgroup-v1");
    expect(check.cached).toBe(false);
    expectLawShape(check);
    // Progress goes to stderr, a line per pair; stdout holds the one JSON document.
    expect(stderr).toContain(`Checking the CPU law under ${check.mechanism}`);
    expect(stderr).toMatch(
      /pair 5\/5: [\d.,]+ ms \/ [\d.,]+ ms = [\d.,]+; for [\d.,]+ and [\d.,]+ ms of CPU: [\d.,]+/,
    );
    expect(existsSync(lawCheckFile(check.mechanism, cacheDir))).toBe(true);

    // Kept: the next doctor shows the same figure as cached, in JSON and in text.
    const after = doctorJson([], cacheDir).report;
    expect(after.check).toEqual({ ...check, cached: true });
    const again = runCli(["doctor"], { env: { LAMBDA_OPTIMIZER_CACHE_DIR: cacheDir } }).stdout;
    expect(again.replace(/\s+/g, " ")).toContain(
      `CPU law, d(128)/d(1769): ${formatNumber(check.ratio, 2)} measured, 13.82 on Lambda: `,
    );
    expect(again).toContain("doctor --check measures it again");
  });

  it("names the measured figure in its text output", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-doctor-cwd-"));
    const result = runCli(["doctor", "--check"], {
      cwd,
      env: { LAMBDA_OPTIMIZER_CACHE_DIR: freshCache() },
    });
    expect(result.status).toBe(0);
    // The check's emulator kept its files in a temporary folder: nothing in the user's project.
    expect(readdirSync(cwd)).toEqual([]);
    const line =
      /CPU law, d\(128\)\/d\(1769\): ([\d.,]+) measured, 13\.82 on Lambda: ([+−][\d.]+)% \((within|outside) ±10%\)/.exec(
        result.stdout,
      );
    expect(line, result.stdout).not.toBeNull();
    const ratio = Number(line![1]!.replace(/,/g, ""));
    expect(ratio).toBeGreaterThan(0);
    // The printed error is the printed ratio's distance from the law, to the rounding shown.
    const error = Number(line![2]!.replace("−", "-")) / 100;
    expect(Math.abs(error - (ratio / LAW_RATIO - 1))).toBeLessThan(0.002);
    expect(line![3]).toBe(Math.abs(error) <= LAW_TOLERANCE ? "within" : "outside");
    expect(result.stdout).toMatch(
      /median of 5 warm pairs, per unit of CPU work; [\d.,]+ ms at 128 MB, [\d.,]+ ms at 1,769 MB \([\d.,]+ from durations alone, for [\d.,]+ and [\d.,]+ ms of CPU\); measured now in [\d.]+ s/,
    );
  });

  it("measures under the mechanism --sandbox forces", () => {
    const cacheDir = freshCache();
    const { report } = doctorJson(["--check", "--sandbox", "duty-cycle"], cacheDir);
    expect(report.sandbox.mechanism).toBe("duty-cycle");
    expect(report.check?.mechanism).toBe("duty-cycle");
    expect(report.check?.sandbox.reason).toMatch(/forced/);
    expectLawShape(report.check!);
    // Kept under its own mechanism: the unforced doctor does not show it as its own.
    const unforced = doctorJson([], cacheDir).report;
    if (unforced.sandbox.mechanism !== "duty-cycle") expect(unforced.check).toBeNull();
  });

  it("refuses an unknown --sandbox with one line and exit 2", () => {
    const result = runCli(["doctor", "--check", "--sandbox", "docker"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/--sandbox "docker" is not valid: expected cgroup, duty-cycle/);
  });
});
