/**
 * TuningOptionsSchema: the defaults a tune gets when asked for nothing, every
 * check, and each mistake in a library caller's words (`maxP95Ms`) and in the
 * CLI's (`--max-p95-ms`), from the one schema.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { TuningOptionsSchema } from "../../src/api/tuning-options.js";
import { type TuneFlags, tuneFlagName } from "../../src/cli/tune-options.js";
import { UsageError } from "../../src/errors.js";
import { fieldName, type OptionName, parseOptions } from "../../src/options.js";

const HANDLER = "app.mjs:handler";
const local = { handler: HANDLER };
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

const parse = (input: Record<string, unknown>) =>
  parseOptions(TuningOptionsSchema, { target: local, ...input });

function messageOf(input: Record<string, unknown>, nameOf: OptionName = fieldName): string {
  try {
    parseOptions(TuningOptionsSchema, { target: local, ...input }, nameOf);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

/** The CLI's names, for flags given as in `flags` (which file --payloads read, --aws or not). */
const flags = (given: TuneFlags & { aws?: boolean } = {}, target?: string) =>
  tuneFlagName({ flags: given, ...(target !== undefined ? { target } : {}) });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("TuningOptionsSchema: the defaults", () => {
  it("gives a tune asked for nothing the CLI's defaults", () => {
    expect(parse({})).toEqual({
      target: {
        kind: "local",
        source: { handler: HANDLER },
        region: "us-east-1",
        awsAccess: { passCredentials: false },
        env: {},
      },
      memorySizes: [128, 256, 512, 1024, 1769, 3008],
      architectures: [],
      num: 10,
      payloads: [{ payload: Buffer.from("{}"), weight: 1 }],
      strategy: "cost",
      metric: "duration",
      balancedWeight: 0.5,
      discard: 0.2,
      parallel: false,
      concurrency: 10,
      onlyColdStarts: false,
      allowedExceptions: [],
      sleepBetweenMs: 0,
      untilConfident: false,
      maxNum: 50,
      dryRun: false,
      apply: false,
    });
  });

  it("follows num: concurrency is num, maxNum is 50 or num if more", () => {
    expect(parse({ num: 4 })).toMatchObject({ concurrency: 4, maxNum: 50 });
    expect(parse({ num: 80 })).toMatchObject({ concurrency: 80, maxNum: 80 });
    expect(parse({ num: 80, concurrency: 5, maxNum: 200 })).toMatchObject({
      concurrency: 5,
      maxNum: 200,
    });
  });

  it("sorts memory sizes and drops repeats, and architectures' repeats", () => {
    expect(parse({ memorySizes: [512, 128, 512] }).memorySizes).toEqual([128, 512]);
    expect(parse({ architectures: ["arm64", "arm64"] }).architectures).toEqual(["arm64"]);
  });

  it("sends an event given as a value as its JSON, and one given as bytes as it is", () => {
    expect(text(parse({ payload: { orderId: 7 } }).payloads[0]!.payload)).toBe('{"orderId":7}');
    expect(text(parse({ payload: null }).payloads[0]!.payload)).toBe("null");
    const file = Buffer.from('{ "spaced": true }\n');
    expect(parse({ payload: file }).payloads[0]!.payload).toBe(file);
    const weighted = parse({
      payloads: [
        { payload: { size: "s" }, weight: 1 },
        { payload: Buffer.from('"l"'), weight: 3 },
      ],
    }).payloads;
    expect(weighted.map((entry) => [text(entry.payload), entry.weight])).toEqual([
      ['{"size":"s"}', 1],
      ['"l"', 3],
    ]);
  });

  it("applies on $LATEST, or behind an alias", () => {
    expect(parse({ apply: true }).apply).toEqual({});
    expect(parse({ apply: true, alias: "live" }).apply).toEqual({ alias: "live" });
  });
});

describe("TuningOptionsSchema: the target", () => {
  it("reads a template's function, named or (the only one) not", () => {
    expect(parse({ target: { template: "t.yaml", function: "Orders" } }).target).toMatchObject({
      kind: "local",
      source: { template: "t.yaml", function: "Orders" },
    });
    expect(parse({ target: { template: "t.yaml" } }).target).toMatchObject({
      source: { template: "t.yaml" },
    });
  });

  it("tunes a deployed function by ARN in its region, the function itself rather than a version", () => {
    expect(
      parse({
        target: { functionName: "arn:aws-cn:lambda:cn-north-1:123456789012:function:api:live" },
      }).target,
    ).toEqual({
      kind: "aws",
      functionName: "arn:aws-cn:lambda:cn-north-1:123456789012:function:api",
      region: "cn-north-1",
    });
    expect(
      parse({
        target: {
          functionName: "orders",
          region: "eu-west-1",
          profile: "ci",
          endpointUrl: "http://127.0.0.1:9001",
        },
      }).target,
    ).toEqual({
      kind: "aws",
      functionName: "orders",
      region: "eu-west-1",
      profile: "ci",
      endpointUrl: "http://127.0.0.1:9001",
    });
  });

  it("takes a deployed function's region from AWS_REGION, and says so when there is none", () => {
    vi.stubEnv("AWS_REGION", "ap-south-1");
    expect(parse({ target: { functionName: "orders" } }).target.region).toBe("ap-south-1");
    vi.stubEnv("AWS_REGION", "");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    expect(messageOf({ target: { functionName: "orders" } })).toBe(
      "target.region is needed: the target is not an ARN and AWS_REGION is not set",
    );
    expect(messageOf({ target: { functionName: "orders" } }, flags({ aws: true }))).toBe(
      "--region is needed: the target is not an ARN and AWS_REGION is not set",
    );
  });

  it("keeps a local function's settings: sandbox, AWS access and variables", () => {
    expect(
      parse({
        target: {
          handler: HANDLER,
          region: "eu-west-1",
          sandbox: "duty-cycle",
          awsAccess: { endpointUrl: "http://127.0.0.1:5000" },
          env: { TABLE_NAME: "orders" },
        },
      }).target,
    ).toEqual({
      kind: "local",
      source: { handler: HANDLER },
      region: "eu-west-1",
      sandbox: "duty-cycle",
      awsAccess: { endpointUrl: "http://127.0.0.1:5000", passCredentials: false },
      env: { TABLE_NAME: "orders" },
    });
  });

  it.each([
    ["no target at all", { target: undefined }, "target is required", "--target is required"],
    [
      "a target naming no function",
      { target: { region: "eu-west-1" } },
      "give the function to tune: target.handler, target.template or target.functionName",
      "give the function to tune: the handler, --template or --aws or an ARN target",
    ],
    [
      "a handler and a deployed function",
      { target: { handler: HANDLER, functionName: "orders", region: "eu-west-1" } },
      "give target.handler or target.functionName, not both",
      "give the handler or --aws or an ARN target, not both",
    ],
    [
      "a template with a deployed function",
      { target: { template: "t.yaml", functionName: "orders", region: "eu-west-1" } },
      "target.template runs on the embedded emulator: leave out target.functionName",
      "--template runs on the embedded emulator: leave out --aws or an ARN target",
    ],
    [
      "a function without its template",
      { target: { handler: HANDLER, function: "Orders" } },
      "target.function names a function in target.template: give the template",
      "the function's logical id names a function in --template: give the template",
    ],
    [
      "another Lambda API for a local function",
      { target: { handler: HANDLER, endpointUrl: "http://127.0.0.1:1" } },
      "target.endpointUrl goes with target.functionName (a deployed function); for the function's own AWS calls on the emulator: target.awsAccess.endpointUrl",
      "--endpoint-url goes with --aws or an ARN target (a deployed function); for the function's own AWS calls on the emulator: --aws-endpoint-url",
    ],
    [
      "a profile for a local function",
      { target: { handler: HANDLER, profile: "ci" } },
      "target.profile goes with target.functionName (a deployed function)",
      "--profile goes with --aws or an ARN target (a deployed function)",
    ],
    [
      "variables for a deployed function",
      { target: { functionName: "orders", region: "eu-west-1", env: { A1: "b" } } },
      "target.env is for functions on the embedded emulator: a deployed function keeps its own configuration",
      "--env is for functions on the embedded emulator: a deployed function keeps its own configuration",
    ],
    [
      "an AWS endpoint for a deployed function's own calls",
      {
        target: {
          functionName: "orders",
          region: "eu-west-1",
          awsAccess: { endpointUrl: "http://127.0.0.1:5000" },
        },
      },
      "target.awsAccess.endpointUrl is for functions on the embedded emulator: a deployed function keeps its own configuration",
      "--aws-endpoint-url is for functions on the embedded emulator: a deployed function keeps its own configuration",
    ],
    [
      "credentials passed to a deployed function",
      {
        target: {
          functionName: "orders",
          region: "eu-west-1",
          awsAccess: { passCredentials: true },
        },
      },
      "target.awsAccess.passCredentials is for functions on the embedded emulator: a deployed function keeps its own configuration",
      "--pass-aws-credentials is for functions on the embedded emulator: a deployed function keeps its own configuration",
    ],
    [
      "a sandbox for a deployed function",
      { target: { functionName: "orders", region: "eu-west-1", sandbox: "cgroup" } },
      "target.sandbox is for functions on the embedded emulator: a deployed function keeps its own configuration",
      "--sandbox is for functions on the embedded emulator: a deployed function keeps its own configuration",
    ],
    [
      "an ARN that is not a function's",
      { target: { functionName: "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:jobs" } },
      "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:jobs is not a Lambda function ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])",
      "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:jobs is not a Lambda function ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])",
    ],
    [
      "a sandbox there is none of",
      { target: { handler: HANDLER, sandbox: "docker" } },
      'target.sandbox "docker" is not valid: expected cgroup, duty-cycle or portable',
      '--sandbox "docker" is not valid: expected cgroup, duty-cycle or portable',
    ],
    [
      "an AWS endpoint that is not a URL",
      { target: { handler: HANDLER, awsAccess: { endpointUrl: "localhost:5000" } } },
      'target.awsAccess.endpointUrl "localhost:5000" is not valid: expected an http:// or https:// URL such as http://127.0.0.1:5000',
      '--aws-endpoint-url "localhost:5000" is not valid: expected an http:// or https:// URL such as http://127.0.0.1:5000',
    ],
    [
      "a variable Lambda reserves",
      { target: { handler: HANDLER, env: { AWS_REGION: "eu-west-1" } } },
      'target.env.AWS_REGION "eu-west-1" is not valid: expected a name Lambda does not reserve for itself as the variable\'s name',
      '--env "eu-west-1" is not valid: expected a name Lambda does not reserve for itself as the variable\'s name',
    ],
    [
      "a misspelt target option",
      { target: { handler: HANDLER, regoin: "eu-west-1" } },
      "unknown option target.regoin: the closest is target.region",
      "unknown option --regoin: the closest is --region",
    ],
  ])("refuses %s, naming it as each caller does", (_case, input, library, cli) => {
    vi.stubEnv("AWS_REGION", "");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    expect(messageOf(input)).toBe(library);
    expect(messageOf(input, flags())).toBe(cli);
  });

  it("names a deployed function as the user gave it on the command line", () => {
    const input = { target: { template: "t.yaml", functionName: "orders", region: "eu-west-1" } };
    expect(messageOf(input, flags({ aws: true }))).toBe(
      "--template runs on the embedded emulator: leave out --aws",
    );
    const arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
    expect(messageOf({ target: { template: "t.yaml", functionName: arn } }, flags({}, arn))).toBe(
      "--template runs on the embedded emulator: leave out the ARN",
    );
  });
});

describe("TuningOptionsSchema: the settings' checks", () => {
  it.each([
    [
      { num: 0 },
      "num 0 is not valid: expected a whole number from 1 to 10,000",
      "--num 0 is not valid: expected a whole number from 1 to 10,000",
    ],
    [
      { num: 2.5 },
      "num 2.5 is not valid: expected a whole number from 1 to 10,000",
      "--num 2.5 is not valid: expected a whole number from 1 to 10,000",
    ],
    [
      { num: "ten" },
      'num "ten" is not valid: expected a whole number from 1 to 10,000',
      '--num "ten" is not valid: expected a whole number from 1 to 10,000',
    ],
    [
      { memorySizes: [128, 64] },
      "memorySizes.1 64 is not valid: expected a whole number from 128 to 10,240 MB",
      "--memory 64 is not valid: expected a whole number from 128 to 10,240 MB",
    ],
    [
      { memorySizes: [] },
      "memorySizes [] is not valid: expected at least one memory size",
      "--memory [] is not valid: expected at least one memory size",
    ],
    [
      { architectures: ["sparc"] },
      'architectures.0 "sparc" is not valid: expected one of x86_64, arm64',
      '--arch "sparc" is not valid: expected one of x86_64, arm64',
    ],
    [
      { strategy: "cheapest" },
      'strategy "cheapest" is not valid: expected one of cost, speed, balanced, slo',
      '--strategy "cheapest" is not valid: expected one of cost, speed, balanced, slo',
    ],
    [
      { strategy: "slo" },
      "strategy slo needs a bound: maxP95Ms or maxP99Ms, in milliseconds",
      "--strategy slo needs a bound: --max-p95-ms or --max-p99-ms, in milliseconds",
    ],
    [
      { strategy: "slo", maxP95Ms: 200, maxP99Ms: 400 },
      "give maxP95Ms or maxP99Ms, not both",
      "give --max-p95-ms or --max-p99-ms, not both",
    ],
    [
      { maxP99Ms: -1 },
      "maxP99Ms -1 is not valid: expected a number of milliseconds ≥ 0",
      "--max-p99-ms -1 is not valid: expected a number of milliseconds ≥ 0",
    ],
    [
      { balancedWeight: 1.5 },
      "balancedWeight 1.5 is not valid: expected a share from 0 to 1",
      "--balanced-weight 1.5 is not valid: expected a share from 0 to 1",
    ],
    [
      { discard: 0.5 },
      "discard 0.5 is not valid: expected a share from 0 to below 0.5",
      "--discard 0.5 is not valid: expected a share from 0 to below 0.5",
    ],
    [
      { concurrency: 1001 },
      "concurrency 1001 is not valid: expected a whole number from 1 to 1,000",
      "--concurrency 1001 is not valid: expected a whole number from 1 to 1,000",
    ],
    [
      { sleepBetweenMs: -5 },
      "sleepBetweenMs -5 is not valid: expected a number of milliseconds ≥ 0",
      "--sleep-between-ms -5 is not valid: expected a number of milliseconds ≥ 0",
    ],
    [
      { num: 20, maxNum: 10 },
      "maxNum 10 is below num 20: expected a whole number from 20 to 100,000",
      "--max-num 10 is below --num 20: expected a whole number from 20 to 100,000",
    ],
    [{ alias: "live" }, "alias goes with apply", "--alias goes with --apply"],
    [
      { apply: true, alias: "123" },
      'alias "123" is not valid: expected an alias name: letters, digits, - and _, not only digits',
      '--alias "123" is not valid: expected an alias name: letters, digits, - and _, not only digits',
    ],
    [
      { apply: true, dryRun: true },
      "apply and dryRun contradict each other: pick one",
      "--apply and --dry-run contradict each other: pick one",
    ],
    [
      { parallel: "yes" },
      'parallel "yes" is not valid: expected true or false',
      '--parallel "yes" is not valid: expected true or false',
    ],
    [
      { allowedExceptions: [""] },
      'allowedExceptions.0 "" is not valid: expected an error type',
      '--allowed-exceptions "" is not valid: expected an error type',
    ],
    [
      { numm: 3 },
      "unknown option numm: the closest is num",
      "unknown option --numm: the closest is --num",
    ],
  ])("%j: one line, in each caller's names", (input, library, cli) => {
    expect(messageOf(input)).toBe(library);
    expect(messageOf(input, flags())).toBe(cli);
  });

  it("refuses the event's bytes when they are not JSON text", () => {
    expect(messageOf({ payload: Buffer.from("{ nope") })).toMatch(
      /^payload .+ is not valid: expected the event: a JSON value, or its JSON text as bytes$/,
    );
  });

  it("refuses one payload and weighted payloads together, naming each as it was given", () => {
    const payloads = [{ payload: {}, weight: 1 }];
    expect(messageOf({ payload: {}, payloads })).toBe("give payloads or payload, not both");
    expect(
      messageOf({ payload: {}, payloads }, flags({ payloads: "w.json", payloadFile: "e.json" })),
    ).toBe("give --payloads w.json or --payload-file e.json, not both");
  });

  it("checks weighted payloads against num as Power Tuning shares them out", () => {
    const input = {
      num: 5,
      payloads: [
        { payload: { a: 1 }, weight: 1 },
        { payload: { b: 1 }, weight: 100 },
      ],
    };
    expect(messageOf(input)).toBe(
      "payloads: payload 1 (weight 1) gets no invocation out of 5: raise num or its weight",
    );
    expect(messageOf(input, flags({ payloads: "w.json" }))).toBe(
      "--payloads w.json: payload 1 (weight 1) gets no invocation out of 5: raise --num or its weight",
    );
    expect(messageOf({ ...input, num: 1 })).toBe(
      "payloads: 2 weighted payloads need at least as many invocations; num is 1",
    );
    expect(
      messageOf({ payloads: [{ payload: {}, weight: 0 }] }, flags({ payloads: "w.json" })),
    ).toBe("--payloads w.json entry 1 weight 0 is not valid: expected a number above 0");
    expect(messageOf({ payloads: [{ payload: {} }] })).toBe("payloads.0.weight is required");
  });
});
