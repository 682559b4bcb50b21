/**
 * `tune --metric ttfb` on the embedded emulator: every sample keeps its time to first byte, each
 * configuration summarises it, and the strategy ranks by it. The fixture's first byte waits on
 * CPU work (sooner with more memory) while its whole answer waits longer on the larger size, so
 * time to first byte and duration point at opposite sizes: the choice shows which one it followed.
 * Only relations are asserted (no times), and they hold however loaded the machine is.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { runCli, startCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { CREDENTIALS, startEmulatedAccount } from "./emulated-account.js";

const HANDLER = join(FIXTURES, "ttfb-cpu-first/index.mjs:handler");

describe("tune --metric ttfb", () => {
  it("records each answer's first byte and picks the size whose first byte comes first", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-tune-ttfb-"));
    const tune = (extra: string[]) =>
      runCli(
        ["tune", HANDLER, "--memory", "128,1769", "--num", "3", "--strategy", "speed", ...extra],
        { cwd },
      );
    const json = tune([
      "--metric",
      "ttfb",
      "--json",
      "--quiet",
      "--html",
      "r.html",
      "--csv",
      "r.csv",
    ]);
    expect(json.status, json.stderr).toBe(0);
    const result = TuneResultSchema.parse(JSON.parse(json.stdout));
    expect(result.settings.metric).toBe("ttfb");

    const measured = result.results.filter((configuration) => !configuration.modelled);
    expect(measured.map((configuration) => configuration.memoryMb)).toEqual([128, 1769]);
    for (const configuration of measured) {
      expect(configuration.status).toBe("ok");
      const ttfb = configuration.ttfbMs!;
      expect(ttfb.p50).toBeLessThanOrEqual(ttfb.p95);
      expect(ttfb.min).toBeGreaterThan(0);
      expect(configuration.samples).toHaveLength(3);
      for (const sample of configuration.samples) {
        // A stream's first byte comes before its end.
        expect(sample.ttfbMs).toBeGreaterThan(0);
        expect(sample.ttfbMs!).toBeLessThanOrEqual(
          sample.durationMs + (sample.initDurationMs ?? 0),
        );
      }
    }
    const [small, large] = measured;
    // The first byte comes sooner with more CPU, the whole answer later: the choice follows TTFB.
    expect(large!.ttfbMs!.p95).toBeLessThan(small!.ttfbMs!.p50);
    expect(large!.durationMs.mean).toBeGreaterThan(small!.durationMs.mean);
    expect(result.recommendation).toMatchObject({
      memoryMb: 1769,
      strategy: "speed",
      metric: "ttfb",
      ttfbMsP50: large!.ttfbMs!.p50,
      ttfbMsP95: large!.ttfbMs!.p95,
    });
    expect(result.recommendation!.reason).toMatch(
      /^Fastest to first byte \([\d.,]+ ms to first byte \(p50\)/,
    );
    // Cost stays priced on billed duration.
    for (const configuration of measured)
      expect(configuration.costPerInvocationUsd).toBeGreaterThan(0);

    expect(readFileSync(join(cwd, "r.html"), "utf8")).toContain("TTFB p50 ms");
    const [header, ...rows] = readFileSync(join(cwd, "r.csv"), "utf8").trim().split("\r\n");
    const column = header!.split(",").indexOf("ttfb_p50_ms");
    expect(column).toBeGreaterThan(0);
    expect(rows.map((row) => Number(row.split(",")[column]))).toContain(large!.ttfbMs!.p50);

    // The same run by duration goes the other way; its table keeps to the durations.
    const text = tune([]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).not.toContain("TTFB p50");
    expect(text.stdout).toMatch(/Recommended: 128 MB/);
    const byFirstByte = tune(["--metric", "ttfb"]);
    expect(byFirstByte.stdout).toMatch(/Memory\s+Arch\s+p50 ms\s+p95 ms\s+TTFB p50\s+TTFB p95/);
    expect(byFirstByte.stdout).toMatch(/Recommended: 1,769 MB/);
    expect(byFirstByte.stdout.replace(/\s+/g, " ")).toMatch(
      /first byte p50 [\d.,]+ ms, p95 [\d.,]+ ms; strategy speed: the fastest to first byte \(p50\)/,
    );
  }, 240_000);

  it("on a deployed function, times the first PayloadChunk of InvokeWithResponseStream from the client", async () => {
    const code = join(FIXTURES, "ttfb-cpu-first");
    const file = join(mkdtempSync(join(tmpdir(), "lo-tune-ttfb-")), "template.yaml");
    writeFileSync(
      file,
      [
        "Transform: AWS::Serverless-2016-10-31",
        "Resources:",
        "  Tokens:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        "      FunctionName: tokens",
        `      CodeUri: ${code}`,
        "      Handler: index.handler",
        "      Runtime: nodejs22.x",
        "      MemorySize: 512",
        "      Timeout: 30",
      ].join("\n"),
    );
    const account = await startEmulatedAccount(file);
    try {
      const before = await account.snapshot("tokens");
      const { finished } = startCli(
        [
          ...["tune", "tokens", "--aws", "--endpoint-url", account.endpoint, "--quiet"],
          ...["--memory", "128,1769", "--num", "3", "--strategy", "speed", "--metric", "ttfb"],
          "--json",
        ],
        { cwd: mkdtempSync(join(tmpdir(), "lo-tune-ttfb-")), env: CREDENTIALS },
      );
      const run = await finished;
      expect(run.code, run.stderr).toBe(0);
      const result = TuneResultSchema.parse(JSON.parse(run.stdout));
      expect(result.target.kind).toBe("aws");
      const [small, large] = result.results;
      for (const configuration of [small!, large!]) {
        expect(configuration.status).toBe("ok");
        expect(configuration.ttfbMs!.p50).toBeLessThanOrEqual(configuration.ttfbMs!.p95);
        for (const sample of configuration.samples) expect(sample.ttfbMs).toBeGreaterThan(0);
      }
      // Timed from the client, the network's share included: the choice still follows it.
      expect(large!.ttfbMs!.p95).toBeLessThan(small!.ttfbMs!.p50);
      expect(large!.durationMs.mean).toBeGreaterThan(small!.durationMs.mean);
      expect(result.recommendation).toMatchObject({ memoryMb: 1769, metric: "ttfb" });
      // Left as it was.
      expect(await account.snapshot("tokens")).toEqual(before);
    } finally {
      await account.stop();
    }
  }, 240_000);

  it("refuses a metric it does not know, naming the allowed ones", () => {
    const result = runCli(["tune", HANDLER, "--metric", "latency"], {
      cwd: mkdtempSync(join(tmpdir(), "lo-tune-ttfb-")),
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--metric.*latency.*duration, ttfb/);
  });
});
