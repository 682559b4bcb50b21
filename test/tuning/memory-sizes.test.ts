/** --memory and memorySizes: what they accept, and the cap on how many sizes one run tries. */
import { describe, expect, it } from "vitest";
import { TuningOptionsSchema } from "../../src/api/tuning-options.js";
import { parseMemorySizes, tuneFlagName } from "../../src/cli/tune-options.js";
import { UsageError } from "../../src/errors.js";
import { parseOptions } from "../../src/options.js";
import { MAX_MEMORY_SIZES } from "../../src/tuning/memory-sizes.js";

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("accepted");
}

const withSizes = (memorySizes: unknown) => ({
  target: { handler: "app.mjs:handler" },
  memorySizes,
});

describe("--memory", () => {
  it("caps a run at as many sizes as ALL: every 64 MB step from 128 to 10,240 MB", () => {
    const all = parseMemorySizes("ALL");
    expect(MAX_MEMORY_SIZES).toBe(159);
    expect(all).toHaveLength(MAX_MEMORY_SIZES);
    expect([all[0], all[1], all.at(-1)]).toEqual([128, 192, 10240]);
    expect(parseMemorySizes("128..3008:128")).toHaveLength(23);
    expect(parseOptions(TuningOptionsSchema, withSizes(all)).memorySizes).toHaveLength(159);
  });

  it("refuses a range of more before building it, in one line naming the flag, the count and the maximum", () => {
    expect(refusal(() => parseMemorySizes("128..10240:1"))).toBe(
      "--memory 128..10240:1: 10,113 memory sizes; at most 159 (as many as ALL, every 64 MB step from 128 to 10,240 MB)",
    );
    // Counted, not built: a range of a trillion sizes is refused as quickly.
    expect(refusal(() => parseMemorySizes("1..1000000000000:1"))).toMatch(
      /^--memory 1\.\.1000000000000:1: 1,000,000,000,000 memory sizes; at most 159 /,
    );
  });

  it("refuses a list of more through the library's schema, in the caller's words", () => {
    const list = Array.from({ length: 160 }, (_, index) => 128 + index);
    expect(refusal(() => parseOptions(TuningOptionsSchema, withSizes(list)))).toBe(
      "memorySizes: 160 memory sizes; at most 159 (as many as ALL, every 64 MB step from 128 to 10,240 MB)",
    );
    const typed = parseMemorySizes(list.join(","));
    expect(
      refusal(() =>
        parseOptions(TuningOptionsSchema, withSizes(typed), tuneFlagName({ flags: {} })),
      ),
    ).toMatch(/^--memory: 160 memory sizes; at most 159 /);
    // Repeats count once: 200 copies of one size are one size.
    const repeated = parseMemorySizes(Array.from({ length: 200 }, () => "512").join(","));
    expect(parseOptions(TuningOptionsSchema, withSizes(repeated)).memorySizes).toEqual([512]);
  });
});
