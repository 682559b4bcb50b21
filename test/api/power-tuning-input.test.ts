/**
 * Power Tuning's execution input, field by field: what each becomes among our
 * tune options, and the exact one-line refusal for what we cannot honour.
 * The inputs are written here after Power Tuning's README-INPUT-OUTPUT.md.
 */
import { describe, expect, it } from "vitest";
import { mapPowerTuningInput, POWER_TUNING_FIELDS } from "../../src/api/power-tuning-input.js";
import { UsageError } from "../../src/errors.js";

const SOURCE = "--input pt.json";
const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:api";
const map = (input: unknown) => mapPowerTuningInput(input, SOURCE);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

function refusal(input: unknown): string {
  try {
    map(input);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("the input was accepted");
}

describe("Power Tuning input: each field becomes the tune option it stands for", () => {
  it("maps a full CI-pipeline input", () => {
    const mapping = map({
      lambdaARN: ARN,
      powerValues: [128, 256, 512, 1024],
      num: 50,
      payload: { orderId: 7 },
      parallelInvocation: true,
      strategy: "balanced",
      balancedWeight: 0.3,
      autoOptimize: true,
      autoOptimizeAlias: "prod",
      discardTopBottom: 0.1,
      sleepBetweenRunsMs: 250,
      includeOutputResults: true,
      disablePayloadLogs: true,
      allowedExceptions: ["HandledError"],
    });
    expect(mapping.target).toBe(ARN);
    const { payload, ...options } = mapping.options;
    expect(text(payload as Uint8Array)).toBe('{"orderId":7}');
    expect(options).toEqual({
      memorySizes: [128, 256, 512, 1024],
      num: 50,
      parallel: true,
      strategy: "balanced",
      balancedWeight: 0.3,
      apply: true,
      alias: "prod",
      discard: 0.1,
      sleepBetweenMs: 250,
      allowedExceptions: ["HandledError"],
    });
    expect(mapping.fieldOf).toMatchObject({
      memorySizes: "powerValues",
      parallel: "parallelInvocation",
      apply: "autoOptimize",
      alias: "autoOptimizeAlias",
      discard: "discardTopBottom",
      sleepBetweenMs: "sleepBetweenRunsMs",
    });
    expect(mapping.includeOutputResults).toBe(true);
    expect(mapping.notes).toEqual([]);
  });

  it("leaves lambdaARN out when the input has none (a local handler on the command line)", () => {
    const mapping = map({ num: 5, payload: {} });
    expect(mapping.target).toBeUndefined();
    expect(mapping.includeOutputResults).toBe(false);
  });

  it('powerValues: "ALL" keeps Power Tuning\'s meaning, 128 to 3,008 MB in 64 MB steps', () => {
    const all = map({ powerValues: "ALL" }).options.memorySizes;
    expect(all).toHaveLength(46);
    expect([all?.[0], all?.[1], all?.at(-1)]).toEqual([128, 192, 3008]);
  });

  it("powerValues: numeric strings are read as Power Tuning's parseInt reads them; an empty list means the defaults", () => {
    expect(map({ powerValues: ["128", 2048] }).options.memorySizes).toEqual([128, 2048]);
    expect(map({ powerValues: [] }).options.memorySizes).toBeUndefined();
    expect(map({}).options.memorySizes).toBeUndefined();
  });

  it("booleans: false and absent set nothing", () => {
    const mapping = map({
      parallelInvocation: false,
      dryRun: false,
      onlyColdStarts: false,
      autoOptimize: false,
    });
    expect(Object.keys(mapping.options)).toEqual(["payload"]);
    expect(map({ dryRun: true }).options.dryRun).toBe(true);
  });

  it("onlyColdStarts: every cold start counts, so discardTopBottom becomes 0, as in Power Tuning", () => {
    const mapping = map({ onlyColdStarts: true, discardTopBottom: 0.3 });
    expect(mapping.options).toMatchObject({ onlyColdStarts: true, discard: 0 });
    expect(mapping.fieldOf.discard).toBe("onlyColdStarts");
    expect(mapping.notes).toEqual([
      "--input pt.json: discardTopBottom 0.3 is not used with onlyColdStarts (every cold start counts), as in Power Tuning",
    ]);
  });

  it("autoOptimizeAlias without autoOptimize is ignored, as Power Tuning ignores it, and said so", () => {
    const mapping = map({ autoOptimizeAlias: "live" });
    expect(mapping.options.apply).toBeUndefined();
    expect(mapping.options.alias).toBeUndefined();
    expect(mapping.notes).toEqual([
      '--input pt.json: autoOptimizeAlias "live" is ignored: autoOptimize is not true (Power Tuning ignores it too)',
    ]);
  });

  it("autoOptimize in a dry run applies nothing, as in Power Tuning", () => {
    const mapping = map({ autoOptimize: true, autoOptimizeAlias: "live", dryRun: true });
    expect(mapping.options).toMatchObject({ dryRun: true });
    expect(mapping.options.apply).toBeUndefined();
    expect(mapping.notes).toEqual([
      "--input pt.json: autoOptimize is not applied in a dry run (nor is it in Power Tuning)",
    ]);
  });

  it("disablePayloadLogs is accepted and changes nothing: no payload is ever logged here", () => {
    const { options } = map({ disablePayloadLogs: true });
    expect(Object.keys(options)).toEqual(["payload"]);
    expect(text(options.payload as Uint8Array)).toBe("null");
  });

  it("knows every field of Power Tuning's README", () => {
    expect(POWER_TUNING_FIELDS).toEqual([
      "lambdaARN",
      "powerValues",
      "num",
      "payload",
      "payloadS3",
      "parallelInvocation",
      "strategy",
      "balancedWeight",
      "autoOptimize",
      "autoOptimizeAlias",
      "dryRun",
      "preProcessorARN",
      "postProcessorARN",
      "discardTopBottom",
      "sleepBetweenRunsMs",
      "onlyColdStarts",
      "includeOutputResults",
      "disablePayloadLogs",
      "allowedExceptions",
    ]);
  });
});

describe("Power Tuning input: the event sent is the one Power Tuning would send", () => {
  it.each([
    ["an object", { a: 1 }, '{"a":1}'],
    ['a string holding JSON (the sample input\'s "{}")', "{}", "{}"],
    ["a string holding a JSON string", '"hi"', '"hi"'],
    ["a plain string, JSON-encoded", "just a string", '"just a string"'],
    ["a number", 42, "42"],
    ["true", true, "true"],
    ["a list that is not weighted", [1, 2, 3], "[1,2,3]"],
    ["a list whose entries lack a weight", [{ payload: { a: 1 } }], '[{"payload":{"a":1}}]'],
    ["absent: null", undefined, "null"],
    ["null", null, "null"],
    ["a falsy 0: null, as Power Tuning's executor falls back", 0, "null"],
    ["an empty string: null", "", "null"],
  ])("%s", (_name, payload, sent) => {
    const mapping = map(payload === undefined ? {} : { payload });
    expect(text(mapping.options.payload as Uint8Array)).toBe(sent);
    expect(mapping.options.payloads).toBeUndefined();
  });

  it("a weighted list becomes weighted payloads, each converted the same way", () => {
    const mapping = map({
      num: 50,
      payload: [
        { payload: { size: "small" }, weight: 5 },
        { payload: "not json", weight: 15 },
        { payload: '{"size":"large"}', weight: 30 },
      ],
    });
    expect(mapping.options.payload).toBeUndefined();
    expect(
      mapping.options.payloads?.map((entry) => [text(entry.payload as Uint8Array), entry.weight]),
    ).toEqual([
      ['{"size":"small"}', 5],
      ['"not json"', 15],
      ['{"size":"large"}', 30],
    ]);
    expect(mapping.fieldOf.payloads).toBe("payload");
  });
});

describe("Power Tuning input: refusals name the field, the value and what is allowed", () => {
  it.each([
    [
      "payloadS3",
      { payloadS3: "s3://bucket/event.json" },
      '--input pt.json: payloadS3 "s3://bucket/event.json": reading the payload from S3 is not supported; download the object and give its content as payload (or --payload-file FILE)',
    ],
    [
      "preProcessorARN",
      { preProcessorARN: `${ARN}-pre` },
      "--input pt.json: preProcessorARN: pre-processor functions are not supported yet; prepare the payload beforehand and give it as payload",
    ],
    [
      "postProcessorARN",
      { postProcessorARN: `${ARN}-post` },
      "--input pt.json: postProcessorARN: post-processor functions are not supported yet; clean up after the run instead",
    ],
    [
      "an unknown field",
      { lambdaArn: ARN },
      '--input pt.json: unknown field "lambdaArn": not one of Power Tuning\'s input fields (lambdaARN, powerValues, num, payload, payloadS3, parallelInvocation, strategy, balancedWeight, autoOptimize, autoOptimizeAlias, dryRun, preProcessorARN, postProcessorARN, discardTopBottom, sleepBetweenRunsMs, onlyColdStarts, includeOutputResults, disablePayloadLogs, allowedExceptions)',
    ],
    [
      "an old sample's field name",
      { enableParallel: true },
      '--input pt.json: unknown field "enableParallel": Power Tuning calls it parallelInvocation',
    ],
    [
      "a lambdaARN that is a name",
      { lambdaARN: "api" },
      '--input pt.json: lambdaARN "api" is not valid: expected a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)',
    ],
    [
      "a memory size out of range",
      { powerValues: [64, 128] },
      '--input pt.json: powerValues [64,128] is not valid: expected "ALL" or a list of memory sizes, each a whole number from 128 to 10,240 MB',
    ],
    [
      "num as a string",
      { num: "10" },
      '--input pt.json: num "10" is not valid: expected a whole number from 1 to 10000',
    ],
    [
      "num 0",
      { num: 0 },
      "--input pt.json: num 0 is not valid: expected a whole number from 1 to 10000",
    ],
    [
      "a boolean given as a string",
      { parallelInvocation: "true" },
      '--input pt.json: parallelInvocation "true" is not valid: expected true or false',
    ],
    [
      "our slo strategy, which Power Tuning does not have",
      { strategy: "slo" },
      '--input pt.json: strategy "slo" is not valid: expected one of cost, speed, balanced',
    ],
    [
      "balancedWeight above 1",
      { balancedWeight: 1.5 },
      "--input pt.json: balancedWeight 1.5 is not valid: expected a number from 0 to 1",
    ],
    [
      "discardTopBottom above 0.4",
      { discardTopBottom: 0.45 },
      "--input pt.json: discardTopBottom 0.45 is not valid: expected a number from 0 to 0.4",
    ],
    [
      "a negative sleep",
      { sleepBetweenRunsMs: -5 },
      "--input pt.json: sleepBetweenRunsMs -5 is not valid: expected a whole number from 0 to 900000",
    ],
    [
      "an alias of digits only",
      { autoOptimize: true, autoOptimizeAlias: "42" },
      '--input pt.json: autoOptimizeAlias "42" is not valid: expected an alias name: letters, digits, - and _, not only digits',
    ],
    [
      "allowedExceptions as one string",
      { allowedExceptions: "HandledError" },
      '--input pt.json: allowedExceptions "HandledError" is not valid: expected a list of error types, e.g. ["HandledError"]',
    ],
    [
      "includeOutputResults as a number",
      { includeOutputResults: 1 },
      "--input pt.json: includeOutputResults 1 is not valid: expected true or false",
    ],
    [
      "a weighted payload with a weight that is not a number",
      { payload: [{ payload: { a: 1 }, weight: "5" }] },
      '--input pt.json: payload entry 1 has weight "5": expected a number above 0',
    ],
    [
      "a list instead of an object",
      [{ lambdaARN: ARN }],
      "--input pt.json: expected a JSON object (Power Tuning's execution input), got a list",
    ],
    [
      "null",
      null,
      "--input pt.json: expected a JSON object (Power Tuning's execution input), got null",
    ],
  ])("%s", (_name, input, message) => {
    expect(refusal(input)).toBe(message);
  });
});
