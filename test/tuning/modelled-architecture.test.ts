/**
 * A local run's architectures: one is executed, the others priced from its samples, and a
 * function declared arm64 is never told to move to x86_64 from a local run.
 */
import { describe, expect, it } from "vitest";
import {
  localArchitecturePlan,
  localCandidates,
  modelledDurationLabel,
  modelledOn,
  modelledReason,
} from "../../src/tuning/modelled-architecture.js";
import { recommend } from "../../src/tuning/strategies.js";
import { configurationResult } from "./fixtures.js";

describe("local architectures", () => {
  it("executes the host's architecture when asked for, and models the others", () => {
    expect(localArchitecturePlan(["x86_64", "arm64"], "x86_64", "x86_64")).toEqual({
      executed: "x86_64",
      pricedOnly: ["arm64"],
    });
    expect(localArchitecturePlan(["arm64"], "x86_64", "x86_64")).toEqual({
      executed: "arm64",
      pricedOnly: [],
    });
    // A function declared arm64 is priced at arm64 too, even when only x86_64 was asked for.
    expect(localArchitecturePlan(["x86_64"], "x86_64", "arm64")).toEqual({
      executed: "x86_64",
      pricedOnly: ["arm64"],
    });
    expect(modelledOn("arm64", "x86_64")).toEqual({
      duration: "assumed equal (not measured on Graviton)",
      measuredOn: "x86_64",
    });
    expect(modelledOn("x86_64", "x86_64")).toBeNull();
    expect(modelledDurationLabel("x86_64")).toBe("assumed equal (not measured on x86_64)");
  });

  it("never recommends x86_64 to a function declared arm64, even when noise makes x86_64 look cheaper", () => {
    const results = [
      configurationResult({ memoryMb: 256, architecture: "x86_64", costUsd: 3e-7, meanMs: 40 }),
      {
        ...configurationResult({ memoryMb: 256, architecture: "arm64", costUsd: 4e-7, meanMs: 60 }),
        modelled: modelledOn("arm64", "x86_64"),
      },
    ];
    const original = { memoryMb: 256, architecture: "arm64" as const };
    const options = { strategy: "cost" as const, balancedWeight: 0.5, original };
    // Without the rule, x86_64 would win here.
    expect(recommend(results, options).recommendation?.architecture).toBe("x86_64");
    const candidates = localCandidates(results, original);
    const chosen = recommend(candidates, options).recommendation!;
    expect(chosen.architecture).toBe("arm64");
    expect(modelledReason(results[1]!, original, results)).toBe(
      "Modelled: the arm64 figures are this machine's x86_64 samples priced at arm64's rates, durations assumed equal (not measured on Graviton), so arm64 is preferred on price alone. x86_64 was not considered: the function is declared arm64, and a local run cannot tell the two apart.",
    );
    // A function declared x86_64 keeps every candidate: arm64 may win, on price alone.
    expect(localCandidates(results, { memoryMb: 256, architecture: "x86_64" })).toBe(results);
  });
});
