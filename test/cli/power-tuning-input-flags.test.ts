/**
 * `tune --input FILE` under the flags: the input fills in what the command
 * line leaves out, a flag the user typed wins (with a note), and the merged
 * options go through the library's schema as any flags do.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TuningOptionsSchema } from "../../src/api/tuning-options.js";
import { mergePowerTuningInput } from "../../src/cli/power-tuning-input-flags.js";
import { type TuneFlags, tuneFlagName, tuneOptionsFromFlags } from "../../src/cli/tune-options.js";
import { UsageError } from "../../src/errors.js";
import { parseOptions } from "../../src/options.js";

const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:api";
const HANDLER = "examples/io-bound/handler.mjs:handler";

/** What commander hands over when no flag is typed: nothing; the library has the defaults. */
const NO_FLAGS: TuneFlags = {};

function inputFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "lo-pt-input-")), "input.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function merge(content: unknown, options: { target?: string; flags?: Partial<TuneFlags> } = {}) {
  const file = inputFile(content);
  const flags = { ...NO_FLAGS, ...options.flags };
  const typed = new Set(Object.keys(options.flags ?? {}));
  const merged = mergePowerTuningInput(
    file,
    options.target,
    undefined,
    tuneOptionsFromFlags(flags),
    (key) => typed.has(key),
  );
  const settings = () =>
    parseOptions(
      TuningOptionsSchema,
      { ...merged.options, target: { handler: HANDLER } },
      tuneFlagName({
        flags,
        ...(merged.weightedPayloadsFromInput ? { weightedPayloadsFrom: file } : {}),
      }),
    );
  return { file, merged, settings };
}

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("no UsageError");
}

describe("tune --input: the input under the flags", () => {
  it("turns a Power Tuning input into the same settings its flags would", () => {
    const { merged, settings } = merge({
      lambdaARN: ARN,
      powerValues: [128, 512],
      num: 6,
      payload: { latencyMs: 20 },
      parallelInvocation: true,
      strategy: "balanced",
      balancedWeight: 0.25,
      discardTopBottom: 0.1,
      sleepBetweenRunsMs: 0,
      autoOptimize: true,
      autoOptimizeAlias: "live",
      allowedExceptions: ["HandledError"],
    });
    expect(merged.target).toBe(ARN);
    expect(merged.notes).toEqual([]);
    const tuning = settings();
    expect(tuning).toMatchObject({
      memorySizes: [128, 512],
      num: 6,
      strategy: "balanced",
      balancedWeight: 0.25,
      discard: 0.1,
      parallel: true,
      concurrency: 6,
      allowedExceptions: ["HandledError"],
      apply: { alias: "live" },
      dryRun: false,
    });
    expect(tuning.payloads.map((entry) => Buffer.from(entry.payload).toString())).toEqual([
      '{"latencyMs":20}',
    ]);
  });

  it("lets a flag typed on the command line win, and says so", () => {
    const { merged, settings, file } = merge(
      { lambdaARN: ARN, num: 50, strategy: "speed", payload: { a: 1 } },
      { flags: { num: "5", payload: '{"b":2}' } },
    );
    expect(settings()).toMatchObject({ num: 5, strategy: "speed" });
    expect(Buffer.from(settings().payloads[0]!.payload).toString()).toBe('{"b":2}');
    expect(merged.notes).toEqual([
      `--input ${file}: num is replaced by --num from the command line`,
      `--input ${file}: payload is replaced by the payload flag from the command line`,
    ]);
  });

  it("runs a local handler from the command line instead of lambdaARN, or without one", () => {
    const replaced = merge({ lambdaARN: ARN, num: 5 }, { target: HANDLER });
    expect(replaced.merged.target).toBe(HANDLER);
    expect(replaced.merged.notes).toEqual([
      `--input ${replaced.file}: lambdaARN ${ARN} is replaced by ${HANDLER} from the command line`,
    ]);
    expect(merge({ num: 5 }, { target: HANDLER }).merged.target).toBe(HANDLER);
    const fromTemplate = mergePowerTuningInput(
      inputFile({ num: 5 }),
      undefined,
      "t.yaml",
      {},
      () => false,
    );
    expect(fromTemplate.target).toBeUndefined();
  });

  it("refuses an input with neither lambdaARN nor a handler on the command line", () => {
    const file = inputFile({ num: 5 });
    expect(
      usageMessage(() => mergePowerTuningInput(file, undefined, undefined, {}, () => false)),
    ).toBe(
      `--input ${file}: lambdaARN is missing: give it in the input, or a handler (app.mjs:handler) on the command line`,
    );
  });

  it("checks weighted payloads against num as --payloads are, naming the input", () => {
    const { settings } = merge({
      lambdaARN: ARN,
      num: 5,
      payload: [
        { payload: { a: 1 }, weight: 1 },
        { payload: { b: 1 }, weight: 100 },
      ],
    });
    expect(usageMessage(settings)).toBe(
      "the --input's weighted payload: payload 1 (weight 1) gets no invocation out of 5: raise --num or its weight",
    );
    const fitting = merge({
      lambdaARN: ARN,
      num: 10,
      payload: [
        { payload: { a: 1 }, weight: 1 },
        { payload: { b: 1 }, weight: 4 },
      ],
    }).settings();
    expect(fitting.payloads.map((entry) => entry.weight)).toEqual([1, 4]);
  });

  it("names the file when it cannot be read or is not JSON", () => {
    const missing = join(tmpdir(), "lo-no-such-input.json");
    expect(
      usageMessage(() => mergePowerTuningInput(missing, HANDLER, undefined, {}, () => false)),
    ).toBe(`--input ${missing}: cannot read it (ENOENT)`);
    const broken = inputFile("{ num: 5 }");
    expect(
      usageMessage(() => mergePowerTuningInput(broken, HANDLER, undefined, {}, () => false)),
    ).toMatch(new RegExp(`^--input ${broken}: not JSON \\(.+\\)$`));
  });
});
