/**
 * `lambda-optimizer plan` as a user runs it: the mistakes that are the command's and the
 * schema's (exit 2, one line naming the flag and the value), and a plan made end to end from a
 * profile file, in text, JSON and HTML.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PlanResultSchema } from "../../src/planning/plan-result.js";
import { BUNDLED_PRICE_TABLE, knownRegions } from "../../src/pricing/price-table.js";
import { runCli } from "./run-cli.js";

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
  ])("plan %j exits 2: %s", (args, message) => {
    const result = runCli(["plan", ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`lambda-optimizer: ${message}\n`);
  });
});
