/**
 * The CPU law check's function (src/emulator/law-check/handler.mjs), called directly: its answer
 * holds the work's result, its wall time and the CPU time its thread spent, which law-check.ts
 * divides by to take the ratio per unit of CPU work.
 */
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module shipped as is, without types
import { handler } from "../../src/emulator/law-check/handler.mjs";

interface Answer {
  limit: number;
  primes: number;
  elapsedMs: number;
  cpuMs: number;
}

describe("the CPU law check's function", () => {
  it("counts the primes below its limit and reports the CPU time of its work", async () => {
    const answer = (await handler({ limit: 200_000 })) as Answer;
    // π(200,000) = 17,984
    expect(answer).toMatchObject({ limit: 200_000, primes: 17_984 });
    expect(answer.cpuMs).toBeGreaterThan(0);
    // one thread's CPU time cannot outrun the wall clock (schedstat lags by up to a tick)
    expect(answer.cpuMs).toBeLessThan(answer.elapsedMs + 10);
  });

  it("counts only its own thread: a spinning worker beside it is not in its CPU time", async () => {
    const spinner = new Worker("for (;;) {}", { eval: true });
    try {
      await new Promise((resolve) => spinner.once("online", resolve));
      const answer = (await handler({ limit: 300_000 })) as Answer;
      // With the worker's CPU counted the figure would be about twice the wall time on two
      // cores; the thread's own is at most its wall time.
      expect(answer.cpuMs).toBeLessThan(answer.elapsedMs + 10);
    } finally {
      await spinner.terminate();
    }
  });
});
