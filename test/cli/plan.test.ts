/**
 * `lambda-optimizer plan` as a user runs it: the mistakes that are the command's and the
 * schema's (exit 2, one line naming the flag and the value), and a plan made end to end from a
 * profile file, in text, JSON and HTML.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlanResultSchema } from "../../src/planning/plan-result.js";
import { BUNDLED_PRICE_TABLE, knownRegions } from "../../src/pricing/price-table.js";
import {
  createFunction,
  createRole,
  motoClients,
  putLambdaMetrics,
} from "../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { runCli, startCli } from "./run-cli.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/plan");
/** A profile the schema's checks reach before it is read: it need not exist. */
const PROFILE = ["--profile", "traffic.csv"];

describe("lambda-optimizer plan: usage errors", () => {
  it.each([
    [[], "give the traffic: --profile, --logs or --aws with FUNCTION"],
    [
      [...PROFILE, "--logs", "orders.log"],
      "give one traffic source: --profile, --logs or --aws, not several",
    ],
    [["--aws"], "--aws needs FUNCTION: the deployed function"],
    [
      ["orders", "--function", "payments", "--aws"],
      'FUNCTION "orders" and --function "payments" differ: give the function once',
    ],
    [
      [...PROFILE, "--max-cold-start-share", "2"],
      "--max-cold-start-share 2 is not valid: expected a share from 0 to 1 (0.02 for 2%)",
    ],
    [
      [...PROFILE, "--savings-plan-discount", "thirty"],
      '--savings-plan-discount "thirty" is not valid: expected a share from 0 to 1 (0.02 for 2%)',
    ],
    [[...PROFILE, "--arch", "sparc"], '--arch "sparc" is not valid: expected one of x86_64, arm64'],
    [
      [...PROFILE, "--memory", "64"],
      "--memory 64 is not valid: expected a whole number from 128 to 10,240 MB",
    ],
    [
      ["orders", "--aws", "--days", "0"],
      "--days 0 is not valid: expected a whole number of days from 1 to 455",
    ],
    [
      [...PROFILE, "--idle-reclaim-minutes", "0.5"],
      "--idle-reclaim-minutes 0.5 is not valid: expected minutes from 1 to 120",
    ],
    [
      [...PROFILE, "--max-concurrency-per-environment", "0"],
      "--max-concurrency-per-environment 0 is not valid: expected a whole number of requests from 1 to 1,600",
    ],
    [
      [...PROFILE, "--pool-size", "0"],
      "--pool-size 0 is not valid: expected a whole number of connections from 1 to 1,000",
    ],
    [[...PROFILE, "--aws-profile", "dev"], "--aws-profile and --endpoint-url go with --aws"],
    [
      ["orders", "--aws", "--endpoint-url", "localhost"],
      '--endpoint-url "localhost" is not valid: expected a URL such as http://127.0.0.1:5000',
    ],
    [
      [...PROFILE, "--region", "xx-nowhere-1"],
      `--region "xx-nowhere-1" is not valid: expected a region the price table has: one of ${knownRegions(BUNDLED_PRICE_TABLE).join(", ")} (or a --price-file that covers it)`,
    ],
    [
      [...PROFILE, "--html", "/no/such/dir/x.html"],
      "--html /no/such/dir/x.html: the folder /no/such/dir does not exist",
    ],
    [
      [...PROFILE, "--price-file", "/no/such/prices.json"],
      "--price-file /no/such/prices.json: cannot read it (no such file)",
    ],
    // Said before the traffic is read: the profile need not exist.
    [
      [...PROFILE, "--template", "template.yaml"],
      "--template needs FUNCTION: the function's logical id",
    ],
    [
      ["--logs", join(FIXTURES, "orders.log"), join(FIXTURES, "untimed.log")],
      `${join(FIXTURES, "orders.log")}, ${join(FIXTURES, "untimed.log")}: REPORT lines of several functions (orders, untimed), named by their files or log groups: plan reads one function; give FUNCTION to read every line as that function's`,
    ],
  ])("plan %j exits 2: %s", (args, message) => {
    const result = runCli(["plan", ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`lambda-optimizer: ${message}\n`);
  });
});

/** A profile file of `days` one-minute rows: `invocations` and `concurrency` each minute. */
function writeProfile(
  name: string,
  days: number,
  row: (minute: number) => { invocations: number; concurrency?: number },
): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-plan-cli-"));
  const start = Date.UTC(2026, 10, 16);
  const lines = ["timestamp,invocations,concurrency"];
  for (let minute = 0; minute < days * 1_440; minute++) {
    const { invocations, concurrency } = row(minute);
    lines.push(
      `${new Date(start + minute * 60_000).toISOString()},${invocations},${concurrency ?? ""}`,
    );
  }
  const file = join(folder, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe("lambda-optimizer plan --profile, end to end", () => {
  // Two days of 20 requests a second at 500 ms: 10 environments busy every minute, all day.
  const steady = writeProfile("steady.csv", 2, () => ({ invocations: 1_200, concurrency: 10 }));
  // Python 3.12: SnapStart is priced, Managed Instances (Python 3.13+) is not.
  const args = [
    ...["plan", "--profile", steady, "--memory", "2048", "--duration-ms", "500"],
    ...["--runtime", "python3.12"],
  ];

  it("recommends provisioned concurrency at the steady level, in text", () => {
    const result = runCli([...args, "--init-ms", "900"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Function: 2,048 MB x86_64, python3.12, mean 500 ms, init 900 ms");
    expect(lines[1]).toBe(
      `Traffic: 2 days from 2026-11-16 00:00 UTC in 1-minute steps, 3.46M invocations (${steady})`,
    );
    expect(result.stdout).toMatch(/^ {2}→ provisioned concurrency\s+\$[\d,.]+\s+.*level 10; /m);
    expect(result.stdout).toMatch(
      /^Recommendation: provisioned concurrency at \$[\d,.]+ a month saves \$/m,
    );
    expect(result.stdout).toContain("The arithmetic, over the profile's 2 days:");
    expect(result.stdout).toContain("Prices: us-east-1 as of ");
  });

  it("prints one JSON document that PlanResultSchema reads, and writes the HTML report", () => {
    const html = join(mkdtempSync(join(tmpdir(), "lo-plan-html-")), "plan.html");
    const result = runCli([...args, "--json", "--html", html]);
    expect(result.status).toBe(0);
    const plan = PlanResultSchema.parse(JSON.parse(result.stdout));
    // 2 days × 1,440 minutes × 1,200 invocations
    expect(plan.profile).toMatchObject({ steps: 2_880, invocations: 3_456_000, stepSeconds: 60 });
    expect(plan.periodSeconds).toBe(172_800);
    expect(plan.recommendation.model).toBe("provisioned-concurrency");
    expect(plan.options.find((option) => option.model === "managed-instances")?.reason).toMatch(
      /^python3\.12 cannot run on Managed Instances/,
    );
    const provisioned = plan.options.find((option) => option.model === "provisioned-concurrency");
    expect(provisioned?.provisionedConcurrency).toBe(10);
    // Each option's month is its period's cost × 730 h ÷ 48 h.
    for (const option of plan.options.filter((candidate) => candidate.available))
      expect(option.monthlyUsd).toBeCloseTo((option.periodUsd * 730) / 48, 6);
    const page = readFileSync(html, "utf8");
    expect(page).toContain('<tr data-model="provisioned-concurrency" class="recommended">');
    expect(page).toContain('id="scaling-chart"');
  });

  it("counts the database connections each model holds, with --pool-size", () => {
    // 10 requests at once on Node.js 22: one Managed Instances environment (64 requests) whose
    // pool of 4 serves them all, against one connection per on-demand environment.
    const node = ["plan", "--profile", steady, "--memory", "2048", "--duration-ms", "500"];
    const result = runCli([...node, "--runtime", "nodejs22.x", "--pool-size", "4", "--json"]);
    expect(result.status).toBe(0);
    const plan = PlanResultSchema.parse(JSON.parse(result.stdout));
    const option = (model: string) => plan.options.find((candidate) => candidate.model === model);
    expect(option("on-demand")?.connections?.peak).toBe(10);
    expect(option("managed-instances")?.connections).toMatchObject({ peak: 4, opened: 4 });
    expect(option("managed-instances")?.notes).toContain(
      "4 database connections at the peak, against on-demand's 10 (one per environment): 6 fewer: concurrent requests share warm pools",
    );
    const text = runCli([...node, "--runtime", "nodejs22.x", "--pool-size", "4"]);
    expect(text.stdout).toMatch(
      /^ {2}→ Managed Instances .*; 4 database connections at the peak$/m,
    );
  });

  it("refuses a profile without an invocations column, naming the file and the line", () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-plan-bad-"));
    const file = join(folder, "calls.csv");
    writeFileSync(file, "timestamp,calls\n2026-11-16T00:00:00Z,5\n");
    const result = runCli(["plan", "--profile", file, "--memory", "512", "--duration-ms", "100"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `lambda-optimizer: ${file} line 1: no invocations column in the header: expected timestamp and invocations (concurrency and duration_ms are optional)\n`,
    );
  });

  it("asks for the memory size when the profile does not say it", () => {
    const result = runCli(["plan", "--profile", steady, "--duration-ms", "100"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "lambda-optimizer: the traffic does not say the function's memory size: give --memory or --template\n",
    );
  });
});

describe("lambda-optimizer plan FUNCTION --aws against moto_server", () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    const { lambda, cloudwatch } = motoClients(moto.endpoint);
    await createRole(moto.endpoint);
    await createFunction(lambda, {
      FunctionName: "checkout",
      MemorySize: 1024,
      Architectures: ["arm64"],
      Runtime: "java21",
    });
    // An hour of steady traffic two hours ago: 600 invocations a minute at 200 ms, 3 at once.
    const minute = 60_000;
    const start = Math.floor((Date.now() - 3 * 3_600_000) / minute) * minute;
    const data = Array.from({ length: 60 }, (_, index) => {
      const at = new Date(start + index * minute + 10_000);
      return [
        { MetricName: "Invocations", Value: 600, Unit: "Count" as const, Timestamp: at },
        { MetricName: "ConcurrentExecutions", Value: 3, Unit: "Count" as const, Timestamp: at },
        { MetricName: "Duration", Value: 200, Unit: "Milliseconds" as const, Timestamp: at },
      ];
    }).flat();
    // Twenty datapoints a call: moto answers a much larger PutMetricData with an HTML error page.
    for (let index = 0; index < data.length; index += 20)
      await putLambdaMetrics(cloudwatch, "checkout", data.slice(index, index + 20));
  });
  afterAll(() => moto?.stop());

  const plan = (args: string[]) =>
    startCli(
      [
        "plan",
        ...args,
        "--aws",
        "--days",
        "1",
        "--endpoint-url",
        moto.endpoint,
        "--region",
        "us-east-1",
      ],
      { env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" } },
    ).finished;

  it("reads a day of the function's metrics and configuration, with progress on stderr", async () => {
    const result = await plan(["checkout", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "reading CloudWatch metrics for checkout, 1 day at 1-minute resolution\n",
    );
    const planned = PlanResultSchema.parse(JSON.parse(result.stdout));
    expect(planned.profile).toMatchObject({
      source: "cloudwatch",
      stepSeconds: 60,
      invocations: 36_000,
    });
    expect(planned.function).toMatchObject({
      name: "checkout",
      memoryMb: 1024,
      architecture: "arm64",
      runtime: "java21",
      meanDurationMs: 200,
    });
    expect(planned.function.sources).toMatchObject({
      memoryMb: "cloudwatch",
      runtime: "cloudwatch",
    });
    expect(planned.shape.peakConcurrency).toBe(3);
  });

  it("says nothing on stderr with --quiet, and names a function that is not there (exit 2)", async () => {
    const quiet = await plan(["checkout", "--quiet"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toMatch(/^checkout: 1,024 MB arm64, java21, mean 200 ms/);
    const ghost = await plan(["ghost", "--quiet"]);
    expect(ghost.code).toBe(2);
    expect(ghost.stdout).toBe("");
    expect(ghost.stderr).toContain("ghost");
    expect(ghost.stderr.trim().split("\n")).toHaveLength(1);
  });
});
