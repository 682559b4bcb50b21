/** `metrics`' options: the defaults every surface gets, and each check in both surfaces' names. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../src/errors.js";
import { MetricsOptionsSchema } from "../../src/metrics/metrics-options.js";
import { fieldName, flagName, type OptionName, parseOptions } from "../../src/options.js";

const DAY_MS = 86_400_000;

/** The CLI's names for metrics (src/cli/metrics.ts): positional inputs and --arch. */
const cliName: OptionName = (path) =>
  ({ functions: "function names", logFiles: "log files", architecture: "--arch" })[
    String(path.at(-1))
  ] ?? flagName(path);

function messageOf(input: unknown, nameOf: OptionName = fieldName): string {
  try {
    parseOptions(MetricsOptionsSchema, input, nameOf);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("metrics options: defaults", () => {
  it("reads log files over 14 days, at most 10,000 REPORT lines a function, in us-east-1, re-tuning after 90 days", () => {
    vi.stubEnv("AWS_REGION", undefined);
    expect(parseOptions(MetricsOptionsSchema, { logFiles: ["api.log"] })).toEqual({
      logFiles: ["api.log"],
      local: false,
      aws: false,
      all: false,
      since: 14 * DAY_MS,
      maxLogEvents: 10_000,
      retuneAfterDays: 90,
      region: "us-east-1",
    });
  });

  it("takes the region from AWS_REGION, as the AWS CLI does", () => {
    vi.stubEnv("AWS_REGION", "eu-west-1");
    expect(parseOptions(MetricsOptionsSchema, { aws: true, all: true }).region).toBe("eu-west-1");
  });

  it("reads durations in minutes, hours, days and weeks", () => {
    const options = parseOptions(MetricsOptionsSchema, {
      aws: true,
      functions: ["api"],
      since: "90m",
      period: "1.5d",
    });
    expect(options.since).toBe(90 * 60_000);
    expect(options.period).toBe(1.5 * DAY_MS);
    expect(parseOptions(MetricsOptionsSchema, { local: true, since: "2w" }).since).toBe(
      14 * DAY_MS,
    );
  });
});

describe("metrics options: each check, named as the caller names it", () => {
  it.each([
    [{ logFiles: ["a.log"], since: "fortnight" }, "since", "--since", '"fortnight"'],
    [{ logFiles: ["a.log"], period: "0d" }, "period", "--period", '"0d"'],
  ])("a duration: %j", (input, field, flag, shown) => {
    const allowed = "is not valid: expected a length such as 90m, 24h, 14d or 2w";
    expect(messageOf(input)).toBe(`${field} ${shown} ${allowed}`);
    expect(messageOf(input, cliName)).toBe(`${flag} ${shown} ${allowed}`);
  });

  it("maxLogEvents: a whole number ≥ 0", () => {
    for (const value of [-1, 2.5, "lots"]) {
      expect(messageOf({ logFiles: ["a.log"], maxLogEvents: value })).toBe(
        `maxLogEvents ${JSON.stringify(value)} is not valid: expected a whole number ≥ 0`,
      );
    }
    expect(messageOf({ logFiles: ["a.log"], maxLogEvents: "lots" }, cliName)).toBe(
      '--max-log-events "lots" is not valid: expected a whole number ≥ 0',
    );
  });

  it("architecture: x86_64 or arm64", () => {
    const input = { logFiles: ["a.log"], architecture: "sparc" };
    expect(messageOf(input)).toBe(
      'architecture "sparc" is not valid: expected one of x86_64, arm64',
    );
    expect(messageOf(input, cliName)).toBe(
      '--arch "sparc" is not valid: expected one of x86_64, arm64',
    );
  });

  it("endpointUrl: a URL", () => {
    expect(messageOf({ aws: true, all: true, endpointUrl: "localhost" }, cliName)).toBe(
      '--endpoint-url "localhost" is not valid: expected a URL such as http://127.0.0.1:5000',
    );
  });

  it.each([
    [
      { aws: true, all: true, functions: ["api"] },
      "give functions or all, not both",
      "give function names or --all, not both",
    ],
    [
      { aws: true, local: true, functions: ["api"] },
      "local reads the emulator's logs: leave out aws",
      "--local reads the emulator's logs: leave out --aws",
    ],
    [
      { local: true, functions: ["arn:aws:lambda:us-east-1:123456789012:function:api"] },
      "local reads the emulator's logs: leave out aws",
      "--local reads the emulator's logs: leave out --aws",
    ],
    [
      { aws: true },
      "aws needs function names, ARNs, or all",
      "--aws needs function names, ARNs, or --all",
    ],
    [
      {},
      "give logFiles (or - for stdin), local, or aws",
      "give log files (or - for stdin), --local, or --aws",
    ],
    [
      { logFiles: ["a.log"], local: true },
      "give logFiles, local or aws: one source",
      "give log files, --local or --aws: one source",
    ],
    [
      { functions: ["api"] },
      "functions are measured with aws or local; name the function of log files with function",
      "function names are measured with --aws or --local; name the function of log files with --function",
    ],
  ])("%j", (input, library, cli) => {
    expect(messageOf(input)).toBe(library);
    expect(messageOf(input, cliName)).toBe(cli);
  });

  it("an ARN means AWS without saying so", () => {
    const arn = "arn:aws-cn:lambda:cn-north-1:123456789012:function:api";
    expect(parseOptions(MetricsOptionsSchema, { functions: [arn] }).functions).toEqual([arn]);
  });

  it("refuses an unknown option with the closest known one", () => {
    expect(messageOf({ logFiles: ["a.log"], maxLogEvent: 5 })).toBe(
      "unknown option maxLogEvent: the closest is maxLogEvents",
    );
  });
});

describe("metrics options: an explicit AWS window (start, end)", () => {
  const aws = { aws: true, functions: ["api"] };

  it("reads ISO 8601 times; one without an offset is UTC, as CloudWatch reads it", () => {
    const options = parseOptions(MetricsOptionsSchema, {
      ...aws,
      start: "2026-11-01",
      end: "2026-11-02T06:30:00",
    });
    expect(options.start?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(options.end?.toISOString()).toBe("2026-11-02T06:30:00.000Z");
    const offset = parseOptions(MetricsOptionsSchema, {
      ...aws,
      start: "2026-11-01T02:00:00+02:00",
    });
    expect(offset.start?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("refuses a time that is not one, a start after its end, and a window for log files", () => {
    expect(messageOf({ ...aws, start: "last tuesday" })).toBe(
      'start "last tuesday" is not valid: expected an ISO 8601 time such as 2026-11-28T00:00:00Z',
    );
    expect(messageOf({ ...aws, end: "2026-13-45" }, cliName)).toBe(
      '--end "2026-13-45" is not valid: expected an ISO 8601 time such as 2026-11-28T00:00:00Z',
    );
    expect(messageOf({ ...aws, start: "2026-11-02", end: "2026-11-01" }, cliName)).toBe(
      "--start (2026-11-02T00:00:00.000Z) must be before --end (2026-11-01T00:00:00.000Z)",
    );
    expect(messageOf({ ...aws, start: "2999-01-01" })).toBe(
      "start (2999-01-01T00:00:00.000Z) must be before end (now)",
    );
    expect(messageOf({ logFiles: ["a.log"], end: "2026-11-01" })).toBe(
      "start and end set the CloudWatch window of aws; log files cover what they hold (give period for monthly figures)",
    );
  });
});
