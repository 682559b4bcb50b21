/** --memory: what it accepts, and the cap on how many sizes one run tries. */
import { describe, expect, it } from "vitest";
import { MAX_MEMORY_SIZES, parseMemorySizes } from "../../src/cli/tune-options.js";
import { UsageError } from "../../src/errors.js";

function refusal(value: string): string {
  try {
    parseMemorySizes(value);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`--memory ${value} was accepted`);
}

describe("--memory", () => {
  it("caps a run at as many sizes as ALL: every 64 MB step from 128 to 10,240 MB", () => {
    const all = parseMemorySizes("ALL");
    expect(MAX_MEMORY_SIZES).toBe(159);
    expect(all).toHaveLength(MAX_MEMORY_SIZES);
    expect([all[0], all[1], all.at(-1)]).toEqual([128, 192, 10240]);
    expect(parseMemorySizes("128..3008:128")).toHaveLength(23);
  });

  it("refuses more, in one line naming the flag, the count and the maximum", () => {
    expect(refusal("128..10240:1")).toBe(
      "--memory 128..10240:1: 10,113 memory sizes; at most 159 (as many as ALL, every 64 MB step from 128 to 10,240 MB)",
    );
    // Counted, not built: a range of a trillion sizes is refused as quickly.
    expect(refusal("1..1000000000000:1")).toMatch(
      /^--memory 1\.\.1000000000000:1: 1,000,000,000,000 memory sizes; at most 159 /,
    );
    const list = Array.from({ length: 160 }, (_, index) => 128 + index).join(",");
    expect(refusal(list)).toMatch(/^--memory 128,129,.+\.\.\.: 160 memory sizes; at most 159 /);
  });
});
