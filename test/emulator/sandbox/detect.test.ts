import { afterEach, describe, expect, it } from "vitest";
import { detectSandbox, SANDBOX_ENV_VAR } from "../../../src/emulator/sandbox/index.js";
import { cgroupV1Expected } from "./host.js";

const savedEnv = process.env[SANDBOX_ENV_VAR];

afterEach(() => {
  if (savedEnv === undefined) delete process.env[SANDBOX_ENV_VAR];
  else process.env[SANDBOX_ENV_VAR] = savedEnv;
});

describe("detectSandbox", () => {
  it.runIf(cgroupV1Expected)("finds cgroup v1 on a host that mounts it writable", async () => {
    delete process.env[SANDBOX_ENV_VAR];
    const report = await detectSandbox();
    expect(report).toMatchObject({ mechanism: "cgroup-v1", memoryEnforcement: "cgroup" });
    expect(report.reason).toBeUndefined();
    expect(report.hostCpus).toBeGreaterThan(0);
  });

  it("reports the duty cycle when forced, and why", async () => {
    expect(await detectSandbox({ force: "duty-cycle" })).toMatchObject({
      mechanism: "duty-cycle",
      memoryEnforcement: "rss-poll",
      reason: "forced by the force option",
    });
  });

  it("takes the mechanism from LAMBDA_OPTIMIZER_SANDBOX, the option winning over it", async () => {
    process.env[SANDBOX_ENV_VAR] = "duty-cycle";
    expect(await detectSandbox()).toMatchObject({
      mechanism: "duty-cycle",
      reason: `forced by ${SANDBOX_ENV_VAR}`,
    });
    if (cgroupV1Expected) {
      expect((await detectSandbox({ force: "cgroup" })).mechanism).toBe("cgroup-v1");
    }
  });

  it("rejects an unknown LAMBDA_OPTIMIZER_SANDBOX value, naming the variable", async () => {
    process.env[SANDBOX_ENV_VAR] = "docker";
    await expect(detectSandbox()).rejects.toThrow(/LAMBDA_OPTIMIZER_SANDBOX=docker/);
  });
});
