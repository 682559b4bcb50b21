/**
 * The plan of a run, before any invocation: which configurations are invoked and in what order,
 * which architectures a local run only prices, and the invocation count progress counts down from.
 */
import { describe, expect, it } from "vitest";
import { type PlanSettings, planTuning } from "../../src/tuning/tuning-plan.js";

const SETTINGS: PlanSettings = {
  memorySizes: [128, 512, 1024],
  architectures: ["x86_64", "arm64"],
  num: 10,
  onlyColdStarts: false,
  dryRun: false,
};

describe("planTuning on AWS (no host architecture)", () => {
  it("invokes every memory size at every architecture asked for, sizes first", () => {
    const plan = planTuning(SETTINGS, "x86_64", undefined);
    expect(plan.configurations).toEqual([
      { memoryMb: 128, architecture: "x86_64" },
      { memoryMb: 512, architecture: "x86_64" },
      { memoryMb: 1024, architecture: "x86_64" },
      { memoryMb: 128, architecture: "arm64" },
      { memoryMb: 512, architecture: "arm64" },
      { memoryMb: 1024, architecture: "arm64" },
    ]);
    expect(plan.architectures).toEqual(["x86_64", "arm64"]);
    expect(plan.pricedOnly).toEqual([]);
    expect(plan.host).toBeUndefined();
    // 6 configurations × (10 samples + 1 warm-up)
    expect(plan.expectedInvocations).toBe(66);
  });

  it("tunes on the function's own architecture when none is asked for", () => {
    const plan = planTuning({ ...SETTINGS, architectures: [] }, "arm64", undefined);
    expect(plan.architectures).toEqual(["arm64"]);
    expect(plan.configurations.map((c) => `${c.memoryMb} ${c.architecture}`)).toEqual([
      "128 arm64",
      "512 arm64",
      "1024 arm64",
    ]);
    expect(plan.expectedInvocations).toBe(33);
  });

  it("counts no warm-up with --only-cold-starts, and one invocation per configuration on a dry run", () => {
    expect(planTuning({ ...SETTINGS, onlyColdStarts: true }, "x86_64", undefined)).toMatchObject({
      expectedInvocations: 60,
    });
    // A dry run invokes once, even with --only-cold-starts.
    expect(
      planTuning({ ...SETTINGS, dryRun: true, onlyColdStarts: true }, "x86_64", undefined)
        .expectedInvocations,
    ).toBe(6);
  });
});

describe("planTuning on a local run", () => {
  it("invokes the host's architecture once per size and prices the other", () => {
    const plan = planTuning(SETTINGS, "x86_64", "x86_64");
    expect(plan.configurations).toEqual([
      { memoryMb: 128, architecture: "x86_64" },
      { memoryMb: 512, architecture: "x86_64" },
      { memoryMb: 1024, architecture: "x86_64" },
    ]);
    expect(plan.pricedOnly).toEqual(["arm64"]);
    // The result still names both architectures: both are reported, one modelled.
    expect(plan.architectures).toEqual(["x86_64", "arm64"]);
    expect(plan.host).toBe("x86_64");
    expect(plan.expectedInvocations).toBe(33);
  });

  it("prices a function declared arm64 at arm64 too when only x86_64 is asked for", () => {
    const plan = planTuning({ ...SETTINGS, architectures: ["x86_64"] }, "arm64", "x86_64");
    expect(plan.configurations.map((c) => c.architecture)).toEqual(["x86_64", "x86_64", "x86_64"]);
    expect(plan.pricedOnly).toEqual(["arm64"]);
    expect(plan.architectures).toEqual(["x86_64"]);
  });

  it("executes the architecture asked for, on this CPU, when it is not the host's", () => {
    const plan = planTuning({ ...SETTINGS, architectures: ["arm64"] }, "x86_64", "x86_64");
    expect(plan.configurations.map((c) => c.architecture)).toEqual(["arm64", "arm64", "arm64"]);
    expect(plan.pricedOnly).toEqual([]);
  });
});
