import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CostEstimateSchema } from "../../src/pricing/cost-estimate.js";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";
import { runCli } from "./run-cli.js";

const EXAMPLE = ["cost", "--memory", "1024", "--duration-ms", "100", "--invocations", "10M"];

describe("lambda-optimizer cost --json", () => {
  it("reports the issue's example: $16.67 + $2.00 = $18.67 on x86_64, $15.33 on arm64", () => {
    const result = runCli([...EXAMPLE, "--json"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    const estimate = CostEstimateSchema.parse(JSON.parse(result.stdout));
    expect(estimate.monthly.computeUsd.toFixed(2)).toBe("16.67");
    expect(estimate.monthly.requestsUsd.toFixed(2)).toBe("2.00");
    expect(estimate.monthly.ephemeralUsd).toBe(0);
    expect(estimate.monthly.totalUsd.toFixed(2)).toBe("18.67");
    expect(estimate.alternatives.arm64?.monthly.totalUsd.toFixed(2)).toBe("15.33");
    expect(estimate.perInvocationUsd).toBeCloseTo(0.00000186667, 14);
    expect(estimate.prices.date).toBe(BUNDLED_PRICE_TABLE.date);
  });

  it("prices arm64 with x86_64 as the alternative, and ephemeral storage", () => {
    const result = runCli([
      ...["cost", "--memory", "2048", "--duration-ms", "12.3", "--invocations", "2.5k"],
      ...["--arch", "arm64", "--ephemeral-mb", "1536", "--json"],
    ]);
    expect(result.status).toBe(0);
    const estimate = JSON.parse(result.stdout);
    expect(estimate.input).toMatchObject({
      invocations: 2500,
      billedDurationMs: 13,
      architecture: "arm64",
    });
    // 2,500 x 2 GB x 0.013 s = 65 GB-s x $0.0000133334
    expect(estimate.monthly.computeUsd).toBeCloseTo(65 * 0.0000133334, 12);
    // 2,500 x 1 GB extra /tmp x 0.013 s = 32.5 GB-s x $0.0000000309
    expect(estimate.monthly.ephemeralUsd).toBeCloseTo(32.5 * 0.0000000309, 14);
    expect(estimate.alternatives.x86_64.savingUsd).toBeLessThan(0);
  });

  it("adds init billing for cold starts and prices provisioned concurrency", () => {
    const result = runCli([
      ...EXAMPLE,
      ...[
        "--init-ms",
        "400",
        "--cold-start-rate",
        "1%",
        "--provisioned-concurrency",
        "5",
        "--json",
      ],
    ]);
    expect(result.status).toBe(0);
    const estimate = JSON.parse(result.stdout);
    // 99% at 100 ms + 1% at 500 ms = 104 ms billed on average
    expect(estimate.input.billedDurationMs).toBeCloseTo(104, 10);
    // 5 x 1 GB x 2,628,000 s x $0.0000041667
    expect(estimate.provisionedConcurrency.configuredUsd).toBeCloseTo(
      5 * 2_628_000 * 0.0000041667,
      6,
    );
  });

  it("prices another region from the table", () => {
    const result = runCli([...EXAMPLE, "--region", "af-south-1", "--json"]);
    const estimate = JSON.parse(result.stdout);
    // 1,000,000 GB-s x $0.0000221 + 10 x $0.27
    expect(estimate.monthly.totalUsd).toBeCloseTo(22.1 + 2.7, 8);
  });

  it("uses --price-file instead of the bundled table", () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-price-"));
    const file = join(folder, "prices.json");
    const table = structuredClone(BUNDLED_PRICE_TABLE);
    table.priceSets["us-east-1"]!.requestsPerMillion = 1;
    table.date = "2030-01-01";
    writeFileSync(file, JSON.stringify(table));
    const estimate = JSON.parse(runCli([...EXAMPLE, "--price-file", file, "--json"]).stdout);
    expect(estimate.monthly.requestsUsd).toBeCloseTo(10, 10);
    expect(estimate.prices.date).toBe("2030-01-01");
  });
});

describe("lambda-optimizer cost --region: whose prices", () => {
  it("prices Osaka with its own figures, read from its own AWS entry", () => {
    const result = runCli([...EXAMPLE, "--region", "ap-northeast-3", "--json"]);
    expect(result.status).toBe(0);
    const estimate = CostEstimateSchema.parse(JSON.parse(result.stdout));
    // 1,000,000 GB-s x $0.0000166667 + 10 x $0.20
    expect(estimate.monthly.totalUsd).toBeCloseTo(16.6667 + 2, 8);
    expect(estimate.prices.modelledOn).toBeUndefined();
    expect(estimate.prices.source).toContain("its own ap-northeast-3 entry");
    expect(estimate.prices.date).toBe("2026-12-02");
  });

  it("says a modelled region's prices are modelled, in --json and in text", () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-price-"));
    const file = join(folder, "prices.json");
    const table = structuredClone(BUNDLED_PRICE_TABLE);
    table.regions["ap-southeast-3"] = { priceSet: "ap-southeast-1", modelled: true };
    writeFileSync(file, JSON.stringify(table));
    const args = [...EXAMPLE, "--region", "ap-southeast-3", "--price-file", file];
    const label =
      "prices for ap-southeast-3 modelled on ap-southeast-1: no AWS price was found for ap-southeast-3";

    const json = runCli([...args, "--json"]);
    expect(json.status).toBe(0);
    const estimate = CostEstimateSchema.parse(JSON.parse(json.stdout));
    expect(estimate.input.region).toBe("ap-southeast-3");
    expect(estimate.prices.region).toBe("ap-southeast-3");
    expect(estimate.prices.modelledOn).toBe("ap-southeast-1");
    expect(estimate.assumptions).toContain(`${label}.`);

    const text = runCli(args);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`  - ${label}.`);
  });
});

describe("lambda-optimizer cost, text", () => {
  it("shows the breakdown, the other architecture and the price date", () => {
    const result = runCli(EXAMPLE);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Per month: $18.67");
    expect(result.stdout).toMatch(/compute\s+1,000,000 GB-s\s+\$16\.67/);
    expect(result.stdout).toMatch(/requests\s+10M\s+\$2\.00/);
    expect(result.stdout).toContain("On arm64: $15.33 a month — saves $3.33");
    expect(result.stdout).toContain(`read ${BUNDLED_PRICE_TABLE.date}`);
  });

  it("prices streamed bytes beyond the first 6 MB of each response at $0.008 per GB", () => {
    const args = ["cost", "--memory", "1024", "--duration-ms", "3000", "--invocations", "1M"];
    const result = runCli([...args, "--streamed-bytes", "20MB", "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const estimate = CostEstimateSchema.parse(JSON.parse(result.stdout));
    // 20 MB = 20,971,520 bytes; the first 6 MB (6,291,456) are free: 14,680,064 billed, 14/1,024 GB.
    expect(estimate.streaming).toEqual({
      bytesPerInvocation: 20_971_520,
      freeBytesPerInvocation: 6_291_456,
      billedBytesPerInvocation: 14_680_064,
      // 14,680,064 x 1,000,000 / 1,073,741,824
      billedGbPerMonth: 13_671.875,
      perGbUsd: 0.008,
      // 14 / 1,024 GB x $0.008
      perInvocationUsd: 0.000109375,
      monthlyUsd: 109.375,
    });
    // 3 GB-s x $0.0000166667 + $0.0000002 + $0.000109375
    expect(estimate.perInvocation.streamingUsd).toBe(0.000109375);
    expect(estimate.perInvocationUsd).toBeCloseTo(3 * 0.0000166667 + 0.0000002 + 0.000109375, 14);
    // $50.00 compute + $0.20 requests + $109.375 streaming
    expect(estimate.monthly.streamingUsd).toBe(109.375);
    expect(estimate.monthly.totalUsd).toBeCloseTo(3_000_000 * 0.0000166667 + 0.2 + 109.375, 8);
    // The other architecture streams the same bytes at the same price.
    expect(estimate.alternatives.arm64?.monthly.streamingUsd).toBe(109.375);

    const text = runCli([...args, "--streamed-bytes", "20971520"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/response streaming\s+13,671\.88 GB beyond 6 MB each\s+\$109\.38/);
    expect(text.stdout).toContain(
      "(20,971,520 − 6,291,456) bytes × 1,000,000 invocations ÷ 1,073,741,824 = 13,671.875 GB a month",
    );

    // Up to 6 MB a response costs nothing more.
    const small = runCli([...args, "--streamed-bytes", "6MB", "--json"]);
    expect(JSON.parse(small.stdout).streaming.monthlyUsd).toBe(0);
  });

  it("refuses more streamed bytes than a response may carry, in one line", () => {
    const result = runCli([...EXAMPLE, "--streamed-bytes", "201MB"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(
      "--streamed-bytes 210763776 is not valid: expected a whole number of bytes from 0 to 209,715,200",
    );
  });

  it("teaches with --help", () => {
    const result = runCli(["cost", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("--duration-ms <ms>");
    expect(result.stdout).toContain("Examples:");
  });
});

describe("lambda-optimizer cost, bad input", () => {
  const malformed = join(mkdtempSync(join(tmpdir(), "lo-bad-")), "bad.json");
  writeFileSync(malformed, '{"currency": "USD", "source": "x"');
  const wrongShape = join(mkdtempSync(join(tmpdir(), "lo-bad-")), "shape.json");
  writeFileSync(
    wrongShape,
    JSON.stringify({ ...BUNDLED_PRICE_TABLE, regions: { "us-east-1": "missing-set" } }),
  );

  it.each([
    [["--memory", "64"], /--memory 64 is not valid: expected a whole number from 128 to 10,240 MB/],
    [["--memory", "10241"], /--memory 10241 is not valid.*128 to 10,240 MB/],
    [["--duration-ms", "fast"], /--duration-ms "fast" is not valid/],
    [
      ["--duration-ms", "-5"],
      /--duration-ms -5 is not valid: expected a number from 0 to 900,000 ms/,
    ],
    [
      ["--duration-ms", "1e300"],
      /--duration-ms 1e\+300 is not valid: expected a number from 0 to 900,000 ms/,
    ],
    [["--duration-ms", "900001"], /--duration-ms 900001 is not valid.*from 0 to 900,000 ms/],
    [["--duration-ms", "Infinity"], /--duration-ms "Infinity" is not valid/],
    [
      ["--init-ms", "1e9", "--cold-start-rate", "1%"],
      /--init-ms 1000000000 is not valid: expected a number from 0 to 900,000 ms/,
    ],
    [["--init-ms", "-1", "--cold-start-rate", "1%"], /--init-ms -1 is not valid/],
    [
      ["--cold-start-rate", "-0.1", "--init-ms", "100"],
      /--cold-start-rate -0.1 is not valid: expected a share from 0 to 1/,
    ],
    [["--invocations", "1e300"], /--invocations "1e300" is not valid: expected a whole number/],
    [["--invocations", "-3"], /--invocations "-3" is not valid/],
    [["--invocations", "99999999999B"], /--invocations "99999999999B" is not valid/],
    [["--ephemeral-mb", "1e6"], /--ephemeral-mb 1000000 is not valid.*512 to 10,240 MB/],
    [["--memory", "NaN"], /--memory "NaN" is not valid/],
    [["--provisioned-concurrency", "-2"], /--provisioned-concurrency "-2" is not valid/],
    [["--provisioned-concurrency", "1e300"], /--provisioned-concurrency "1e300" is not valid/],
    [["--invocations", "ten"], /--invocations "ten" is not valid: expected a whole number/],
    [["--invocations", "0.5"], /--invocations "0.5" is not valid/],
    [
      ["--region", "mars-1"],
      /--region "mars-1" is not valid: expected a region the price table has: one of .*us-east-1.* \(or a --price-file that covers it\)/,
    ],
    [["--arch", "arm"], /--arch "arm" is not valid: expected one of x86_64, arm64/],
    [["--ephemeral-mb", "256"], /--ephemeral-mb 256 is not valid/],
    [
      ["--cold-start-rate", "150%", "--init-ms", "100"],
      /--cold-start-rate 1\.5 is not valid: expected a share from 0 to 1/,
    ],
    [["--init-ms", "100"], /--init-ms and --cold-start-rate go together/],
    [
      ["--price-file", "/no/such/prices.json"],
      /--price-file \/no\/such\/prices\.json: cannot read it/,
    ],
    [["--price-file", malformed], /--price-file .*bad\.json: not valid JSON/],
    [
      ["--price-file", wrongShape],
      /--price-file .*shape\.json: not a price table: regions\.us-east-1/,
    ],
    [["--bogus"], /unknown option '--bogus'/],
    // Numbers reach the library's schema as numbers (150% as 1.5), so a refusal shows the number read.
  ])("%j exits 2 with one line naming the flag", (override, message) => {
    // A repeated flag takes its last value, so the override replaces the example's.
    const args = [...EXAMPLE, ...override];
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 when a required flag is missing", () => {
    const result = runCli(["cost", "--memory", "1024"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/required option '--duration-ms <ms>' not specified/);
  });
});
