import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { compareCommand } from "../../src/cli/compare.js";
import { UsageError } from "../../src/errors.js";
import { ComparisonSchema } from "../../src/tuning/compare.js";
import { RUNS_FOLDER } from "../../src/tuning/saved-runs.js";
import type { TuneResult } from "../../src/tuning/tune-result.js";
import { BASELINE, REGRESSED } from "../tuning/fixtures.js";
import { runCli } from "./run-cli.js";

let folder: string;
const file = (name: string) => join(folder, name);

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "lo-compare-"));
  writeFileSync(file("old.json"), JSON.stringify(BASELINE));
  writeFileSync(file("new.json"), JSON.stringify(REGRESSED));
  writeFileSync(file("broken.json"), "{ not json");
  const wrong = structuredClone(BASELINE) as unknown as { results: { status: string }[] };
  wrong.results[0]!.status = "fine";
  writeFileSync(file("wrong.json"), JSON.stringify(wrong));
  const edited = (
    name: string,
    edit: (run: TuneResult) => void,
    raw?: (text: string) => string,
  ) => {
    const run = structuredClone(BASELINE);
    edit(run);
    const text = JSON.stringify(run);
    writeFileSync(file(name), raw ? raw(text) : text);
  };
  edited("negative-p95.json", (run) => {
    run.results[0]!.durationMs.p95 = -5;
  });
  edited("negative-cost.json", (run) => {
    run.results[0]!.costPerInvocationUsd = -0.000001;
  });
  // 1e400 is valid JSON that reads as Infinity.
  edited(
    "infinite-cost.json",
    (run) => {
      run.tuningCostUsd = 123456789;
    },
    (text) => text.replace("123456789", "1e400"),
  );
  edited("other-function.json", (run) => {
    run.target.functionName = "resizer";
  });
  edited("zero-p95.json", (run) => {
    for (const result of run.results) result.durationMs.p95 = 0;
  });
});

/** Run the command in this process; what it wrote on stdout, and the exit code it set. */
async function compare(args: string[]): Promise<{ stdout: string; exitCode: unknown }> {
  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await compareCommand().exitOverride().parseAsync(args, { from: "user" });
    return { stdout, exitCode: process.exitCode };
  } finally {
    write.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("compareCommand (in process)", () => {
  it("prints the comparison as JSON and sets exit code 1 on a regression", async () => {
    const { stdout, exitCode } = await compare([file("old.json"), file("new.json"), "--json"]);
    expect(exitCode).toBe(1);
    const comparison = ComparisonSchema.parse(JSON.parse(stdout));
    expect(comparison.regression).toBe(true);
    expect(comparison.gates).toEqual({ maxCostIncrease: 0.05, maxP95Increase: 0.1 });
    expect(comparison.configurations.map((c) => c.breaches)).toEqual([["cost"], []]);
  });

  it("prints a table a person can read", async () => {
    const { stdout } = await compare([file("old.json"), file("new.json")]);
    const lines = stdout.split("\n");
    expect(lines.find((line) => line.includes("512 MB arm64"))).toMatch(
      /^ {2}512 MB arm64 +REGRESSION: cost > \+5% +\$0\.000001 → \$0\.00000108 +\+8% +120 ms → 125 ms +\+4\.2%$/,
    );
    expect(lines.find((line) => line.includes("1,024 MB arm64"))).toMatch(
      /^ {2}1,024 MB arm64 +ok +\$0\.0000016 → \$0\.0000016 +±0% \(within noise\) +90 ms → 95 ms +\+5\.6%$/,
    );
    expect(stdout).toContain(
      "Recommendation unchanged: 512 MB arm64 (cost strategy), $0.000001 → $0.00000108 per invocation.",
    );
    expect(stdout).toContain("Prices: us-east-1, read 2026-01-01.");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("Regression: 512 MB arm64 (cost > +5%).");
  });

  it("takes the gates as fractions or percentages, and leaves the exit code alone when they pass", async () => {
    const { stdout, exitCode } = await compare([
      ...[file("old.json"), file("new.json"), "--max-cost-increase", "0.1"],
      ...["--max-p95-increase", "6%", "--json"],
    ]);
    expect(exitCode).toBeUndefined();
    expect(JSON.parse(stdout)).toMatchObject({
      regression: false,
      gates: { maxCostIncrease: 0.1, maxP95Increase: 0.06 },
    });
  });

  it("refuses two different functions unless --force, naming both", async () => {
    await expect(compare([file("old.json"), file("other-function.json")])).rejects.toThrow(
      new UsageError(
        `${file("old.json")} is a run of thumbnailer and ${file("other-function.json")} of resizer: different functions, so their costs do not compare; give --force to compare them anyway`,
      ),
    );
    const { stdout, exitCode } = await compare([
      ...[file("old.json"), file("other-function.json"), "--force"],
    ]);
    expect(exitCode).toBeUndefined();
    expect(stdout).toContain(
      "Note: The runs differ in function: thumbnailer before, resizer after.",
    );
  });

  it("names the file and its first problem", async () => {
    await expect(compare([file("missing.json"), file("new.json")])).rejects.toThrow(
      new UsageError(`${file("missing.json")}: cannot read it (no such file)`),
    );
    await expect(compare([file("old.json"), file("broken.json")])).rejects.toThrow(
      /broken\.json: not valid JSON/,
    );
    await expect(compare([file("wrong.json"), file("new.json")])).rejects.toThrow(
      /wrong\.json: not a tuning result: results\.0\.status: /,
    );
    await expect(
      compare([file("old.json"), file("new.json"), "--max-cost-increase", "five"]),
    ).rejects.toThrow(/--max-cost-increase "five" is not valid/);
  });
});

describe("lambda-optimizer compare: absurd numbers (subprocess)", () => {
  it.each([
    ["negative-p95.json", /negative-p95\.json: not a tuning result: results\.0\.durationMs\.p95: /],
    [
      "negative-cost.json",
      /negative-cost\.json: not a tuning result: results\.0\.costPerInvocationUsd: /,
    ],
    ["infinite-cost.json", /infinite-cost\.json: not a tuning result: tuningCostUsd: /],
  ])("refuses %s: exit 2, one line naming the file and the field", (name, message) => {
    const result = runCli(["compare", file("old.json"), file(name)]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it("never prints relative: null; from a baseline of 0, a rise is relative 1", () => {
    const result = runCli(["compare", file("zero-p95.json"), file("new.json"), "--json"]);
    const comparison = ComparisonSchema.parse(JSON.parse(result.stdout));
    for (const configuration of comparison.configurations) {
      const p95 = configuration.durationMsP95;
      if (p95) {
        expect(p95.before).toBe(0);
        expect(p95.relative).toBe(p95.after > 0 ? 1 : 0);
      }
    }
    expect(JSON.stringify(comparison)).not.toMatch(/"relative":null/);
  });
});

describe("lambda-optimizer compare (subprocess)", () => {
  it("exits 1 on a regression, 0 without one, 2 on bad input", () => {
    const regressed = runCli(["compare", file("old.json"), file("new.json")]);
    expect(regressed.stderr).toBe("");
    expect(regressed.status).toBe(1);
    expect(regressed.stdout).toContain("Regression: 512 MB arm64 (cost > +5%).");

    const same = runCli(["compare", file("old.json"), file("old.json"), "--json"]);
    expect(same.status).toBe(0);
    expect(JSON.parse(same.stdout).regression).toBe(false);

    const missing = runCli(["compare", file("missing.json"), file("old.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe(
      `lambda-optimizer: ${file("missing.json")}: cannot read it (no such file)\n`,
    );
  });
});

describe("lambda-optimizer compare: saved runs by id (subprocess)", () => {
  it("reads a run saved in .lambda-optimizer/runs/ by its run id or its file name", () => {
    const project = mkdtempSync(join(tmpdir(), "lo-compare-saved-"));
    mkdirSync(join(project, RUNS_FOLDER), { recursive: true });
    const saved = join(project, RUNS_FOLDER, "20260115T100000-4f2a9c-thumbnailer.json");
    writeFileSync(saved, JSON.stringify(BASELINE));
    writeFileSync(join(project, "new.json"), JSON.stringify(REGRESSED));

    const byId = runCli(["compare", "20260115T100000-4f2a9c", "new.json"], { cwd: project });
    expect(byId.status).toBe(1);
    expect(byId.stdout.split("\n")[0]).toBe(
      `${saved}: thumbnailer in us-east-1, 2026-01-15T10:00:00.000Z`,
    );
    expect(byId.stdout).toContain("Regression: 512 MB arm64 (cost > +5%).");

    const byName = runCli(["compare", "new.json", "20260115T100000-4f2a9c-thumbnailer", "--json"], {
      cwd: project,
    });
    expect(ComparisonSchema.parse(JSON.parse(byName.stdout)).before.functionName).toBe(
      "thumbnailer",
    );

    const unknown = runCli(["compare", "20990101T000000-abcdef", "new.json"], { cwd: project });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      `lambda-optimizer: 20990101T000000-abcdef: cannot read it (no such file, and no run of that id saved in ${join(project, RUNS_FOLDER)})\n`,
    );
  });
});
