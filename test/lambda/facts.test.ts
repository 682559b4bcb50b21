import { describe, expect, it } from "vitest";
import { observedCores, vcpuShare } from "../../src/lambda/cpu-share.js";
import {
  EPHEMERAL_STORAGE_MB,
  isWithin,
  MEMORY_MB,
  PAYLOAD_LIMIT_BYTES,
  TIMEOUT_SECONDS,
} from "../../src/lambda/limits.js";
import { isDeprecated, RUNTIMES, runtimeFacts } from "../../src/lambda/runtimes.js";

describe("limits", () => {
  it("allows memory from 128 to 10,240 MB in 1 MB steps", () => {
    expect(isWithin(MEMORY_MB, 128)).toBe(true);
    expect(isWithin(MEMORY_MB, 10_240)).toBe(true);
    expect(isWithin(MEMORY_MB, 1_769)).toBe(true);
    expect(isWithin(MEMORY_MB, 127)).toBe(false);
    expect(isWithin(MEMORY_MB, 10_241)).toBe(false);
    expect(isWithin(MEMORY_MB, 512.5)).toBe(false);
    expect(isWithin(MEMORY_MB, Number.NaN)).toBe(false);
  });

  // AWS's quotas page (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
  // timeout up to 900 seconds (15 minutes); ephemeral storage 512 MB to 10,240 MB;
  // invocation payload 6 MB synchronous, 1 MB asynchronous (raised from 256 KB in
  // October 2025); a streamed response up to 200 MB.
  it("allows a timeout of 1 s to 15 minutes and /tmp of 512 MB to 10 GB", () => {
    expect([1, 60 * 15].map((seconds) => isWithin(TIMEOUT_SECONDS, seconds))).toEqual([true, true]);
    expect([0, 60 * 15 + 1, 0.5].map((seconds) => isWithin(TIMEOUT_SECONDS, seconds))).toEqual([
      false,
      false,
      false,
    ]);
    expect([512, 10 * 1024].map((mb) => isWithin(EPHEMERAL_STORAGE_MB, mb))).toEqual([true, true]);
    expect([511, 10 * 1024 + 1].map((mb) => isWithin(EPHEMERAL_STORAGE_MB, mb))).toEqual([
      false,
      false,
    ]);
  });

  it("caps payloads at 6 MB synchronous, 1 MB asynchronous and 200 MB streamed, in bytes", () => {
    expect(PAYLOAD_LIMIT_BYTES).toMatchObject({
      synchronous: 6_291_456,
      asynchronous: 1_048_576,
      streamedResponse: 209_715_200,
    });
  });
});

describe("CPU share", () => {
  it("gives one vCPU at 1,769 MB and scales linearly", () => {
    expect(vcpuShare(1_769)).toBe(1);
    expect(vcpuShare(128)).toBeCloseTo(0.07236, 5);
    // the fidelity law the emulator benchmark checks: d(128)/d(1769) = 13.82
    expect(vcpuShare(1_769) / vcpuShare(128)).toBeCloseTo(13.82, 2);
    expect(vcpuShare(10_240)).toBeCloseTo(5.79, 2);
  });

  it("steps the visible cores at the observed boundaries", () => {
    expect(
      [128, 3_008, 3_009, 5_307, 5_308, 7_076, 7_077, 8_845, 8_846, 10_240].map(observedCores),
    ).toEqual([2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });
});

describe("runtimes", () => {
  it("marks SnapStart support: Java 11+, Python 3.12+, .NET 8+", () => {
    const supported = RUNTIMES.filter((runtime) => runtime.snapStart).map((runtime) => runtime.id);
    expect(supported).toEqual(
      expect.arrayContaining(["java11", "java17", "java21", "python3.12", "python3.13", "dotnet8"]),
    );
    for (const id of [
      "java8.al2",
      "python3.11",
      "python3.9",
      "nodejs22.x",
      "provided.al2023",
      "ruby3.4",
    ]) {
      expect(runtimeFacts(id)?.snapStart, id).toBe(false);
    }
  });

  it("knows when a runtime is deprecated, from the day AWS publishes", () => {
    // AWS's runtimes page (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), deprecated
    // runtimes: Node.js 16 on 2024-06-12, Python 3.8 on 2024-10-14, Node.js 18 on 2025-09-01,
    // Python 3.9 on 2025-12-15.
    for (const [id, published, dayBefore] of [
      ["nodejs16.x", "2024-06-12", "2024-06-11"],
      ["python3.8", "2024-10-14", "2024-10-13"],
      ["nodejs18.x", "2025-09-01", "2025-08-31"],
      ["python3.9", "2025-12-15", "2025-12-14"],
    ] as const) {
      const runtime = runtimeFacts(id)!;
      expect(isDeprecated(runtime, dayBefore), `${id} on ${dayBefore}`).toBe(false);
      expect(isDeprecated(runtime, published), `${id} on ${published}`).toBe(true);
    }
    expect(runtimeFacts("nodejs99.x")).toBeUndefined();
  });

  it("has unique ids and ISO dates with a source for each", () => {
    expect(new Set(RUNTIMES.map((runtime) => runtime.id)).size).toBe(RUNTIMES.length);
    for (const runtime of RUNTIMES) {
      expect(runtime.deprecation).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(runtime.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  it("has every runtime id Lambda has had, deprecated ones included", () => {
    // The ids serverless-rules' and cfn-lint's tables name, which this table once missed.
    const ids = [
      "nodejs",
      "nodejs4.3",
      "nodejs4.3-edge",
      "nodejs6.10",
      "nodejs8.10",
      "nodejs10.x",
      "nodejs12.x",
      "nodejs14.x",
      "nodejs16.x",
      "python2.7",
      "python3.6",
      "python3.7",
      "ruby2.5",
      "ruby2.7",
      "dotnetcore1.0",
      "dotnetcore2.0",
      "dotnetcore2.1",
      "dotnetcore3.1",
      "dotnet5.0",
      "dotnet6",
      "dotnet7",
      "go1.x",
      "java8",
      "provided",
      "java8.al2023",
      "java11.al2023",
      "java17.al2023",
    ];
    expect(ids.filter((id) => runtimeFacts(id) === undefined)).toEqual([]);
  });

  it("has AWS's dates, where cfn-lint's older table differs too", () => {
    const dates = (id: string) => {
      const facts = runtimeFacts(id)!;
      return [facts.deprecation, facts.blockCreate, facts.blockUpdate];
    };
    expect(dates("python2.7")).toEqual(["2021-07-15", "2021-07-15", "2022-05-30"]);
    expect(dates("nodejs10.x")).toEqual(["2021-07-30", "2021-07-30", "2022-02-14"]);
    expect(dates("dotnetcore3.1")).toEqual(["2023-04-03", "2023-04-03", "2023-05-03"]);
    expect(dates("go1.x")).toEqual(["2024-01-08", "2024-02-08", "2025-11-01"]);
    expect(runtimeFacts("dotnet6")!.deprecation).toBe("2024-12-20");
    // dotnet6 is blocked with dotnet8 in every edition of AWS's table after cfn-lint's.
    expect(dates("dotnet6").slice(1)).toEqual(dates("dotnet8").slice(1));
    // cfn-lint and tflint still say 2026-06-30; AWS's page moved these to 2027-06-30.
    for (const id of ["java17", "java11", "java8.al2", "python3.11"]) {
      expect(runtimeFacts(id)!.deprecation, id).toBe("2027-06-30");
    }
    expect(runtimeFacts("java17.al2023")!.deprecation).toBe("2029-06-30");
  });

  it("marks the container-only runtimes, which never have SnapStart", () => {
    const containerOnly = RUNTIMES.filter((runtime) => runtime.containerOnly).map((r) => r.id);
    expect(containerOnly.sort()).toEqual(["dotnet5.0", "dotnet7", "dotnet9"]);
    expect(runtimeFacts("dotnet9")!.snapStart).toBe(false);
    expect(runtimeFacts("dotnet8")!.snapStart).toBe(true);
    expect(runtimeFacts("java17.al2023")!.snapStart).toBe(true);
    expect(runtimeFacts("java8.al2023")!.snapStart).toBe(false);
    for (const id of ["python2.7", "python3.7", "dotnetcore3.1", "dotnet6", "nodejs"]) {
      expect(runtimeFacts(id)?.snapStart, id).toBe(false);
    }
  });

  it("gives block dates in order: deprecation, then create, then update", () => {
    for (const runtime of RUNTIMES) {
      if (runtime.blockCreate === null || runtime.blockUpdate === null) continue;
      expect(runtime.blockCreate <= runtime.blockUpdate, runtime.id).toBe(true);
    }
  });
});
