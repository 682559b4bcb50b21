/**
 * `lambda-optimizer esm simulate` and `esm optimize` as a user runs them: the mistakes (exit 2,
 * one line naming the flag, the value and what is allowed), and runs end to end in text, JSON
 * and HTML.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EsmOptimizeResultSchema } from "../../src/esm/optimize/optimize-result.js";
import { EsmSimulationResultSchema } from "../../src/esm/simulation/simulation-result.js";
import { formatUsd } from "../../src/format.js";
import { runCli } from "./run-cli.js";

const SQS = ["--source", "sqs", "--rate", "100", "--batch-ms", "50"];
/** Mappings, a traffic and a bound: what every optimize needs, for the mistakes after them. */
const TEMPLATE = ["--template", "template.yaml", "--rate", "100", "--max-age-s", "60"];

describe("lambda-optimizer esm simulate: usage errors", () => {
  it.each([
    [
      ["--source", "sqs", "--rate", "0"],
      "--rate 0 is not valid: expected records per second above 0",
    ],
    [
      ["--source", "sqs", "--rate", "-5"],
      "--rate -5 is not valid: expected records per second above 0",
    ],
    [
      ["--source", "nats", "--rate", "1"],
      '--source "nats" is not valid: expected one of sqs, kinesis, dynamodb, kafka',
    ],
    [
      [...SQS, "--window-s", "301"],
      "--window-s 301 is not valid: expected a whole number of seconds from 0 to 300",
    ],
    [
      ["--source", "kinesis", "--rate", "100", "--batch-ms", "50", "--parallelization", "11"],
      "--parallelization 11 is not valid: expected a whole number from 1 to 10",
    ],
    [
      [...SQS, "--batch-size", "0"],
      "--batch-size 0 is not valid: expected a whole number of records from 1 to 10,000",
    ],
    [
      [...SQS, "--error-rate", "2"],
      "--error-rate 2 is not valid: expected a share from 0 to 1 (0.02 for 2%)",
    ],
    [
      [...SQS, "--max-events", "10"],
      "--max-events 10 is not valid: expected a whole number of events from 1,000 to 10,000,000,000",
    ],
    [
      [...SQS, "--max-concurrency", "1"],
      "--max-concurrency 1 is not valid: expected a whole number from 2 to 1,000",
    ],
    [
      [...SQS, "--max-retries", "-2"],
      "--max-retries -2 is not valid: expected a whole number from -1 to 10,000",
    ],
    [[...SQS, "--shards", "2"], "--shards does not apply to --source sqs"],
    [
      [...SQS, "--fifo", "--batch-size", "20"],
      "--batch-size 20 is not valid: expected a whole number from 1 to 10 for a FIFO queue",
    ],
    [
      ["--source", "sqs", "--rate", "5"],
      "give the function's duration per batch: --batch-ms, --record-ms with --overhead-ms, --tune-file or --logs",
    ],
    [
      [...SQS, "--arrival", "bursty"],
      '--arrival "bursty" is not valid: expected constant or poisson',
    ],
    [[...SQS, "--arch", "sparc"], '--arch "sparc" is not valid: expected one of x86_64, arm64'],
    [
      [...SQS, "--memory", "64"],
      "--memory 64 is not valid: expected a whole number from 128 to 10,240 MB",
    ],
    [
      [...SQS, "--html", "/no/such/dir/x.html"],
      "--html /no/such/dir/x.html: the folder /no/such/dir does not exist",
    ],
    [[...SQS, "--window", "5"], "unknown option '--window'\n(Did you mean --window-s?)"],
  ])("esm simulate %j exits 2: %s", (args, message) => {
    const result = runCli(["esm", "simulate", ...args]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`lambda-optimizer: ${message}\n`);
    expect(result.status).toBe(2);
  });

  it("names the file and the line of a bad profile row", () => {
    const file = join(mkdtempSync(join(tmpdir(), "lo-esm-cli-")), "bad.csv");
    writeFileSync(
      file,
      "timestamp,invocations\n2026-11-16T00:00:00Z,60\n2026-11-16T00:01:00Z,-3\n",
    );
    const result = runCli([
      "esm",
      "simulate",
      "--source",
      "sqs",
      "--rate-profile",
      file,
      "--batch-ms",
      "50",
    ]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `lambda-optimizer: --rate-profile: ${file} line 3: invocations "-3" is not valid: expected a whole number ≥ 0\n`,
    );
  });
});

describe("lambda-optimizer esm optimize: usage errors", () => {
  it.each([
    [["--template", "template.yaml", "--rate", "100"], "--max-age-s is required"],
    [
      ["--rate", "100", "--max-age-s", "60"],
      "give the mappings: --template (a SAM or CloudFormation template), --aws with FUNCTION, or one mapping's --settings",
    ],
    [
      [...TEMPLATE, "--aws"],
      "give --template, --aws or --settings: one place the mappings come from",
    ],
    [
      ["--settings", "nope.json", "--rate", "100", "--max-age-s", "60"],
      "--settings nope.json: cannot read it (ENOENT)",
    ],
    [
      ["--settings", '{"BatchSize": 10}', "--rate", "100", "--batch-ms", "50", "--max-age-s", "60"],
      "--event-source is needed: say what feeds the mapping (sqs, kinesis, dynamodb or kafka), or give its EventSourceArn in --settings",
    ],
    [
      ["--settings", "[1]", "--event-source", "sqs", "--rate", "100", "--max-age-s", "60"],
      "--settings [1] is not valid: expected an object of event source mapping settings as the Lambda API names them (BatchSize, MaximumBatchingWindowInSeconds, ...)",
    ],
    [["--aws", "--max-age-s", "60"], "--aws needs FUNCTION: the deployed function"],
    [
      ["--template", "template.yaml", "--max-age-s", "60"],
      "give the traffic: --rate or --rate-profile (with --aws it is read from CloudWatch)",
    ],
    [[...TEMPLATE, "--rate-profile", "jobs.csv"], "give --rate or --rate-profile, not both"],
    [[...TEMPLATE, "--aws-profile", "dev"], "--aws-profile and --endpoint-url go with --aws"],
    [
      ["--template", "template.yaml", "--rate", "100", "--max-age-s", "0"],
      "--max-age-s 0 is not valid: expected seconds above 0",
    ],
    [
      ["orders", "--aws", "--max-age-s", "60", "--days", "0"],
      "--days 0 is not valid: expected a whole number of days from 1 to 455",
    ],
    [
      ["orders", "--function", "payments", "--aws", "--max-age-s", "60"],
      'FUNCTION "orders" and --function "payments" differ: give the function once',
    ],
    [
      [...TEMPLATE, "--html", "/no/such/dir/x.html"],
      "--html /no/such/dir/x.html: the folder /no/such/dir does not exist",
    ],
  ])("esm optimize %j exits 2: %s", (args, message) => {
    const result = runCli(["esm", "optimize", ...args]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`lambda-optimizer: ${message}\n`);
    expect(result.status).toBe(2);
  });

  it("says where --settings stops being JSON, in the engine's words", () => {
    const result = runCli(["esm", "optimize", "--settings", '{"BatchSize": 10', "--rate", "100"]);
    expect(result.stdout).toBe("");
    // Node.js 22 adds "(line 1 column 17)" to Node.js 20's message: the position is in both.
    expect(result.stderr).toMatch(
      /^lambda-optimizer: --settings is not JSON \(Expected ',' or '\}' after property value in JSON at position 16( \(line 1 column 17\))?\): expected the mapping's settings as an object, inline or in a file\n$/,
    );
    expect(result.status).toBe(2);
  });
});

describe("lambda-optimizer esm --help", () => {
  it("teaches each subcommand with a description and examples", () => {
    const esm = runCli(["esm", "--help"]);
    expect(esm.status).toBe(0);
    expect(esm.stdout).toContain("simulate [options]");
    expect(esm.stdout).toContain("optimize [options] [function]");
    const simulate = runCli(["esm", "simulate", "--help"]);
    expect(simulate.stdout).toContain("Simulate one Lambda event source mapping, event by event");
    for (const flag of [
      "--source",
      "--rate ",
      "--rate-profile",
      "--arrival",
      "--burst-rate",
      "--burst-at",
      "--burst-seconds",
      "--seconds",
      "--batch-size",
      "--window-s",
      "--max-concurrency",
      "--fifo",
      "--message-groups",
      "--visibility-timeout",
      "--max-receive-count",
      "--report-batch-item-failures",
      "--shards",
      "--parallelization",
      "--tumbling-window-s",
      "--max-retries",
      "--bisect-on-error",
      "--max-record-age-s",
      "--partitions",
      "--pollers",
      "--batch-ms",
      "--record-ms",
      "--overhead-ms",
      "--tune-file",
      "--logs",
      "--error-rate",
      "--reserved-concurrency",
      "--timeout",
      "--memory",
      "--arch",
      "--record-bytes",
      "--seed",
      "--max-events",
      "--region",
      "--price-file",
      "--json",
      "--html",
      "--quiet",
    ])
      expect(simulate.stdout, flag).toContain(flag);
    expect(simulate.stdout).toContain(
      "$ lambda-optimizer esm simulate --source kinesis --shards 4",
    );
    const optimize = runCli(["esm", "optimize", "--help"]);
    for (const flag of [
      "--template",
      "--function",
      "--mapping",
      "--aws",
      "--days",
      "--aws-profile",
      "--endpoint-url",
      "--max-age-s",
      "--allow-throttles",
      "--search-memory",
    ])
      expect(optimize.stdout, flag).toContain(flag);
    expect(optimize.stdout).toContain("$ lambda-optimizer esm optimize orders-consumer --aws");
  });
});

const OPTIMIZE_TEMPLATE = join(import.meta.dirname, "../fixtures/esm-optimize/template.yaml");

describe("lambda-optimizer esm simulate, end to end", () => {
  // Capacity-bound: at most 2 batches of 10 records at once, each 1 s: 20 records/s processed of
  // the 100 arriving, so the backlog grows by 80 a second: about 48,000 after 10 minutes.
  const capacityBound = [
    ...["--source", "sqs", "--rate", "100", "--arrival", "constant", "--seconds", "600"],
    ...["--batch-size", "10", "--batch-ms", "1000", "--max-concurrency", "2"],
  ];

  it("prints the figures, the bill and the two charts; --json the same run", () => {
    const text = runCli(["esm", "simulate", ...capacityBound]);
    expect(text.stderr).toBe("");
    expect(text.status).toBe(0);
    const json = runCli(["esm", "simulate", ...capacityBound, "--json"]);
    expect(json.status).toBe(0);
    const run = EsmSimulationResultSchema.parse(JSON.parse(json.stdout));
    expect(run).toMatchObject({ source: "sqs", arrived: 60_000, concurrencyMax: 2 });
    expect(run.settings).toMatchObject({ BatchSize: 10, MaximumConcurrency: 2 });
    // Capacity 20 records/s: within 2% of 12,000 processed and 48,000 left.
    expect(Math.abs(run.processed - 12_000)).toBeLessThan(240);
    expect(Math.abs(run.backlogEnd - 48_000)).toBeLessThan(960);
    expect(Math.abs(run.invocations - 1_200)).toBeLessThan(24);
    // The oldest record waited nearly the whole run: its age is the backlog's 48,000 ÷ 100 a second.
    expect(run.timeline.at(-1)!.oldestAgeSeconds).toBeGreaterThan(450);

    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^SQS mapping, 10 minutes simulated \(seed 1, [\d.]+[kM]? events\): 60,000 records arrived$/,
    );
    const figure = (name: string) =>
      lines
        .find((line) => line.trimStart().startsWith(name))
        ?.trim()
        .split(/ {2,}/)[1];
    expect(figure("Records processed")).toBe(run.processed.toLocaleString("en-US"));
    expect(figure("Backlog at the end")).toBe(run.backlogEnd.toLocaleString("en-US"));
    expect(figure("Peak concurrency")).toBe("2");
    expect(text.stdout).toContain("  Backlog (records not yet processed)");
    expect(text.stdout).toContain("  Age of the oldest record not yet processed");
    expect(text.stdout).toMatch(/Prices: us-east-1 as of \d{4}-\d{2}-\d{2}\./);
  });

  it("is reproducible: the same seed gives the same run, another seed another", () => {
    const poisson = [
      "esm",
      "simulate",
      "--source",
      "kinesis",
      "--rate",
      "500",
      "--shards",
      "2",
      "--record-ms",
      "2",
      "--overhead-ms",
      "20",
      "--seconds",
      "300",
      "--json",
    ];
    const first = runCli([...poisson, "--seed", "7"]);
    const again = runCli([...poisson, "--seed", "7"]);
    const other = runCli([...poisson, "--seed", "8"]);
    expect(first.status).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(JSON.parse(other.stdout).arrived).not.toBe(JSON.parse(first.stdout).arrived);
  });

  it("writes the HTML report beside the text", () => {
    const html = join(mkdtempSync(join(tmpdir(), "lo-esm-cli-")), "run.html");
    const result = runCli(["esm", "simulate", ...capacityBound, "--html", html]);
    expect(result.status).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page).toContain('<canvas id="backlog-chart"');
    expect(page).toContain("SQS event source mapping, simulated");
  });

  it("stops a run past --max-events with one line, not a hung process", () => {
    const result = runCli([
      "esm",
      "simulate",
      "--source",
      "sqs",
      "--rate",
      "1000",
      "--batch-ms",
      "10",
      "--seconds",
      "86400",
      "--max-events",
      "5000",
    ]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toHaveLength(2);
    expect(result.stderr).toMatch(
      /^lambda-optimizer: the simulation passed 5,000 events at \d+ s of 86,400 s simulated: .*--max-events\n$/,
    );
  });
});

describe("lambda-optimizer esm optimize, end to end", () => {
  const args = [
    ...["--template", OPTIMIZE_TEMPLATE, "--rate", "50", "--arrival", "constant"],
    ...["--overhead-ms", "50", "--record-ms", "5", "--max-age-s", "30", "--seconds", "600"],
  ];

  it("recommends settings for the SQS, Kinesis and DynamoDB mappings, in text and JSON alike", () => {
    const json = runCli(["esm", "optimize", ...args, "--json", "--quiet"]);
    expect(json.stderr).toBe("");
    expect(json.status).toBe(0);
    const result = EsmOptimizeResultSchema.parse(JSON.parse(json.stdout));
    expect(result.mappings.map((mapping) => [mapping.id, mapping.eventSource])).toEqual([
      ["ClickMapping", "kinesis"],
      ["OrderWorker/OrderQueue", "sqs"],
      ["AccountAudit/AccountChanges", "dynamodb"],
    ]);
    for (const mapping of result.mappings) {
      expect(mapping.recommended, mapping.id).not.toBeNull();
      expect(mapping.predicted.recommended!.ageP99Seconds).toBeLessThan(30);
      expect(mapping.predicted.recommended!.monthlyUsd).toBeLessThanOrEqual(
        mapping.predicted.current.meetsBound
          ? mapping.predicted.current.monthlyUsd
          : Number.POSITIVE_INFINITY,
      );
      expect(mapping.reasons.length).toBeGreaterThan(0);
    }
    const sqs = result.mappings.find((mapping) => mapping.eventSource === "sqs")!;
    expect(sqs.current).toMatchObject({ BatchSize: 10, VisibilityTimeout: 30 });
    // At least 6× the function's 10 s timeout.
    expect(sqs.recommended!.VisibilityTimeout as number).toBeGreaterThanOrEqual(60);

    const text = runCli(["esm", "optimize", ...args]);
    expect(text.status).toBe(0);
    // Progress on stderr, one line per mapping searched.
    expect(text.stderr).toContain("searching the settings of");
    const lines = text.stdout.split("\n");
    expect(lines[0]).toBe(
      `3 event source mappings in ${result.origin}; the bound: p99 age under 30 s, without throttles.`,
    );
    const start = lines.findIndex((line) =>
      line.startsWith("OrderWorker/OrderQueue (SQS, function OrderWorker, line"),
    );
    const row = (name: string) =>
      lines
        .slice(start)
        .find((line) => line.slice(6).startsWith(name))
        ?.trim()
        .split(/ {2,}/);
    expect(row("VisibilityTimeout")?.slice(-2)).toEqual([
      "30",
      sqs.recommended!.VisibilityTimeout!.toLocaleString("en-US"),
    ]);
    expect(row("cost a month")?.slice(-2)).toEqual([
      formatUsd(sqs.predicted.current.monthlyUsd),
      formatUsd(sqs.predicted.recommended!.monthlyUsd),
    ]);
    expect(text.stdout).toContain(`  Why:\n    - ${sqs.reasons[0]}`);
  });

  it("optimizes one mapping's settings as `aws lambda get-event-source-mapping` prints them", () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-esm-settings-"));
    const file = join(folder, "mapping.json");
    writeFileSync(
      file,
      JSON.stringify({
        UUID: "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE",
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 0,
        EventSourceArn: "arn:aws:sqs:us-east-2:123456789012:my-queue",
        FunctionArn: "arn:aws:lambda:us-east-2:123456789012:function:my-function",
        LastModified: 1569284520.333,
        State: "Enabled",
        FunctionResponseTypes: [],
      }),
    );
    const common = ["--rate", "100", "--record-ms", "2", "--overhead-ms", "30"];
    const settings = ["--settings", file, ...common, "--max-age-s", "20", "--timeout", "10"];
    const json = runCli(["esm", "optimize", ...settings, "--seconds", "600", "--json", "--quiet"]);
    expect(json.stderr).toBe("");
    expect(json.status).toBe(0);
    const result = EsmOptimizeResultSchema.parse(JSON.parse(json.stdout));
    expect(result).toMatchObject({ source: "settings", origin: "the settings given" });
    const [mapping] = result.mappings;
    expect(mapping).toMatchObject({
      id: "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE",
      eventSource: "sqs",
      current: { BatchSize: 10, MaximumBatchingWindowInSeconds: 0, VisibilityTimeout: 30 },
    });
    expect(mapping!.recommended!.VisibilityTimeout as number).toBeGreaterThanOrEqual(60);
    expect(mapping!.advice.map((finding) => finding.property)).toContain("FunctionResponseTypes");
    const text = runCli(["esm", "optimize", ...settings, "--seconds", "600", "--quiet"]);
    expect(text.stdout.split("\n")[0]).toBe(
      "1 event source mapping in the settings given; the bound: p99 age under 20 s, without throttles.",
    );
    expect(text.stdout).toContain("a1b2c3d4-5678-90ab-cdef-11111EXAMPLE (SQS)");
  });
});
