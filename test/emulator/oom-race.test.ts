/**
 * Out of memory beats a timer that fired first. Under load the function's
 * timer can be due by the time the emulator hears of an OOM kill; it must
 * still report Runtime.OutOfMemory, not Sandbox.Timedout. The race is forced,
 * not waited for: once the runtime holds its event, the test holds the
 * emulator's event loop until the runtime has gone past its memory limit (or
 * been killed for it) and the timeout is due, so both are pending together.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import { readProcessMemory } from "../../src/emulator/sandbox/proc-reader.js";
import {
  processesWithEnvironment,
  signalProcessGroup,
} from "../../src/emulator/sandbox/process-tree.js";
import { fixture, processExists, stateDir } from "./emulator-fixtures.js";
import { cgroupV1Expected } from "./sandbox/host.js";

const MECHANISMS = [
  { force: "cgroup", runs: cgroupV1Expected },
  { force: "duty-cycle", runs: true },
] as const;

const MEMORY_MB = 128;
const TIMEOUT_SECONDS = 1;

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

/** Poll until the condition holds, with the event loop free; the test's timeout is the bound. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * Hold the event loop until the condition holds. The runtime keeps running
 * meanwhile: it is resumed here, because a duty cycle that stopped it cannot
 * resume it while the loop is held.
 */
function holdEventLoopUntil(condition: () => boolean, runtimePid: number): void {
  const bound = Date.now() + 120_000;
  while (!condition()) {
    if (processExists(runtimePid)) signalProcessGroup(runtimePid, "SIGCONT");
    if (Date.now() > bound) throw new Error("the runtime neither ran out of memory nor ended");
  }
}

describe.each(MECHANISMS)("out of memory as the timer fires ($force)", ({ force, runs }) => {
  it.runIf(runs)(
    "is reported as Runtime.OutOfMemory, not Sandbox.Timedout",
    { timeout: 180_000 },
    async () => {
      const run = randomUUID();
      const emulator = new Emulator({
        stateDir: stateDir(),
        sandboxMechanism: force,
        functions: [
          {
            ...fixture("oom-race/index.mjs:handler", {
              name: "oom-race",
              memoryMb: MEMORY_MB,
              timeoutSeconds: TIMEOUT_SECONDS,
            }),
            environment: { OOM_RACE_RUN: run },
          },
        ],
      });
      emulators.push(emulator);
      const dir = mkdtempSync(join(tmpdir(), "lo-oom-race-"));
      const startedFile = join(dir, "started");
      const goFile = join(dir, "go");
      const pending = emulator.invoke("oom-race", {
        payload: Buffer.from(JSON.stringify({ startedFile, goFile })),
        logType: "Tail",
      });
      await eventually(() => existsSync(startedFile));
      const invokedAt = Date.now();
      const [runtimePid] = processesWithEnvironment("OOM_RACE_RUN", run);
      expect(runtimePid).toBeDefined();
      writeFileSync(goFile, "");
      holdEventLoopUntil(() => {
        // a cgroup: killed by the kernel (a zombie until the held loop reaps it); the duty
        // cycle: past the limit by the resident set its poll judges by
        const overLimit =
          !processExists(runtimePid!) ||
          (force === "duty-cycle" &&
            (readProcessMemory(runtimePid!)?.peakRssKb ?? 0) > MEMORY_MB * 1024);
        return overLimit && Date.now() > invokedAt + TIMEOUT_SECONDS * 1000 + 100;
      }, runtimePid!);
      const result = await pending;
      const report = result.record!.report;
      expect(result.functionError).toBe("Unhandled");
      expect(JSON.parse(result.payload.toString("utf8")).errorType).toBe("Runtime.ExitError");
      expect(report).toMatchObject({
        status: "error",
        errorType: "Runtime.OutOfMemory",
        maxMemoryUsedMb: MEMORY_MB,
      });
      expect(result.record!.logs.join("\n")).not.toContain("Task timed out");
    },
  );
});
