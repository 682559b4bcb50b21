import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../src/map-with-concurrency.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("mapWithConcurrency", () => {
  it("never runs more than the limit at once and keeps the input order", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (item) => {
      running++;
      peak = Math.max(peak, running);
      for (let wait = 0; wait < item; wait++) await tick();
      running--;
      return item * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it("starts nothing after a failure, lets running calls finish, then throws the failure", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const failing = mapWithConcurrency([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      await tick();
      if (item === 0) throw new Error("first failed");
      await tick();
      finished.push(item);
      return item;
    });
    await expect(failing).rejects.toThrow("first failed");
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });

  it("handles no items and a limit above the item count", async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
    expect(await mapWithConcurrency([1], 10, async (item) => item + 1)).toEqual([2]);
  });
});
