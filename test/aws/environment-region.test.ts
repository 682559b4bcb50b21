import { afterEach, describe, expect, it, vi } from "vitest";
import { environmentRegion } from "../../src/aws/environment-region.js";
import { PlanOptionsSchema } from "../../src/planning/plan-options.js";

describe("environmentRegion", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("reads AWS_REGION, else AWS_DEFAULT_REGION, and takes an empty variable for none", () => {
    vi.stubEnv("AWS_REGION", "eu-west-1");
    vi.stubEnv("AWS_DEFAULT_REGION", "us-west-2");
    expect(environmentRegion()).toBe("eu-west-1");
    vi.stubEnv("AWS_REGION", "");
    expect(environmentRegion()).toBe("us-west-2");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    expect(environmentRegion()).toBeUndefined();
  });

  it("leaves plan's prices in us-east-1 when AWS_REGION is set but empty", () => {
    vi.stubEnv("AWS_REGION", "");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    expect(PlanOptionsSchema.parse({ trafficFile: "traffic.csv" }).region).toBe("us-east-1");
  });
});
