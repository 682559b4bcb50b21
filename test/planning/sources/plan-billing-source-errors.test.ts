/**
 * planBilling, the library call, on traffic and templates it cannot use:
 * each source's mistake reaches the caller as one UsageError (exit 2 on the
 * CLI) naming the file and what is wrong, with file names taken relative to
 * `cwd`. (The CloudWatch case, against moto, is in profile-from-cloudwatch.test.ts.)
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { planBilling } from "../../../src/planning/plan-billing.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/plan");

async function refusal(input: Parameters<typeof planBilling>[0]): Promise<string> {
  const error = await planBilling(input).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe("planBilling: mistakes in the traffic's files", () => {
  it("a profile file that is not there, or wrong inside", async () => {
    expect(await refusal({ trafficFile: "nowhere.csv", cwd: FIXTURES, memoryMb: 512 })).toBe(
      `${join(FIXTURES, "nowhere.csv")}: cannot read the profile (no such file)`,
    );
    // template.yaml is no CSV: its first line is no header holding the columns.
    expect(await refusal({ trafficFile: "template.yaml", cwd: FIXTURES, memoryMb: 512 })).toBe(
      `${join(FIXTURES, "template.yaml")} line 1: no timestamp column in the header: expected timestamp and invocations (concurrency and duration_ms are optional)`,
    );
  });

  it("log files that are missing, untimed, or of several functions", async () => {
    expect(await refusal({ logFiles: ["orders.log", "gone.log"], cwd: FIXTURES })).toBe(
      `log file ${join(FIXTURES, "gone.log")} does not exist`,
    );
    expect(await refusal({ logFiles: ["untimed.log"], cwd: FIXTURES })).toBe(
      `${join(FIXTURES, "untimed.log")}: the REPORT lines have no timestamp, and a profile needs when each invocation ran: give timestamped logs (a CloudWatch Logs export, \`aws logs tail\` output or \`aws logs filter-log-events\` JSON)`,
    );
    expect(await refusal({ logFiles: ["orders.log", "untimed.log"], cwd: FIXTURES })).toBe(
      `${join(FIXTURES, "orders.log")}, ${join(FIXTURES, "untimed.log")}: REPORT lines of several functions (orders, untimed), named by their files or log groups: plan reads one function; give function to read every line as that function's`,
    );
  });

  it("a template without the function named", async () => {
    expect(
      await refusal({
        trafficFile: "steady.csv",
        template: "template.yaml",
        function: "Orders",
        cwd: FIXTURES,
      }),
    ).toBe(
      `${join(FIXTURES, "template.yaml")}: no function "Orders": expected the logical id of one of OrdersFunction, ReportsFunction, LegacyFunction`,
    );
  });
});
