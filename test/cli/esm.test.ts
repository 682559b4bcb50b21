/**
 * `lambda-optimizer esm simulate` and `esm optimize` as a user runs them: the mistakes (exit 2,
 * one line naming the flag, the value and what is allowed), and runs end to end in text, JSON
 * and HTML.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
    [[...SQS, "--bogus"], "unknown option '--bogus'"],
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
      `lambda-optimizer: ${file} line 3: invocations "-3" is not valid: expected a whole number ≥ 0\n`,
    );
  });
});

describe("lambda-optimizer esm optimize: usage errors", () => {
  it.each([
    [["--template", "template.yaml", "--rate", "100"], "--max-age-s is required"],
    [
      ["--rate", "100", "--max-age-s", "60"],
      "give the mappings: --template (a SAM or CloudFormation template) or --aws with FUNCTION",
    ],
    [[...TEMPLATE, "--aws"], "give --template or --aws, not both"],
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
