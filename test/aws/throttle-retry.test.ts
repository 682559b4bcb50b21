import { describe, expect, it } from "vitest";
import { isThrottling, withThrottleRetry } from "../../src/aws/throttle-retry.js";

const throttled = () =>
  Object.assign(new Error("Rate Exceeded."), {
    name: "TooManyRequestsException",
    $metadata: { httpStatusCode: 429 },
  });

describe("withThrottleRetry", () => {
  it("retries throttling with exponential backoff and full jitter, then succeeds", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withThrottleRetry(
      async () => {
        calls++;
        if (calls < 4) throw throttled();
        return "done";
      },
      {
        baseDelayMs: 100,
        maxDelayMs: 1000,
        random: () => 0.5,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(result).toBe("done");
    expect(calls).toBe(4);
    // full jitter: random x min(cap, base x 2^(attempt-1)) = 0.5 x 100, 200, 400
    expect(delays).toEqual([50, 100, 200]);
  });

  it("caps the delay and gives up after the last attempt", async () => {
    const delays: number[] = [];
    let calls = 0;
    const failing = withThrottleRetry(
      async () => {
        calls++;
        throw throttled();
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 300,
        random: () => 1,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    await expect(failing).rejects.toMatchObject({ name: "TooManyRequestsException" });
    expect(calls).toBe(5);
    expect(delays).toEqual([100, 200, 300, 300]);
  });

  it("passes any other error through at once", async () => {
    let calls = 0;
    const failing = withThrottleRetry(async () => {
      calls++;
      throw Object.assign(new Error("nope"), { name: "ResourceNotFoundException" });
    });
    await expect(failing).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    expect(calls).toBe(1);
  });

  it("knows throttling by name or by status 429", () => {
    expect(isThrottling(throttled())).toBe(true);
    expect(isThrottling({ name: "ThrottlingException" })).toBe(true);
    expect(isThrottling({ name: "Whatever", $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ name: "ServiceException", $metadata: { httpStatusCode: 500 } })).toBe(
      false,
    );
  });
});
