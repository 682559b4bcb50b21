/**
 * The CPU law on cgroup v2, on a real Linux kernel booted under qemu (TCG): the sandbox's own
 * cgroup-v2.ts limits a busy loop at 128 MB (cpu.max 1447/20000, 7.236% of a CPU) and at 1,769 MB
 * (one CPU), and the same loop runs under a plain cpu.max written by hand as a control. Prints
 * d(128)/d(1769) (Lambda's law: 13.82); asserts only what is not a timing.
 *
 * Not part of `npm test` yet: run with `npm run test:cgroup2` (vitest.cgroup2.config.ts). A VM
 * that cannot be built or booted fails the test, loudly.
 */
import { expect, test } from "vitest";
import { runLawCheck } from "./law-check.js";

test("cgroup v2 in a real kernel: the sandbox's cpu.max limits a busy loop", async () => {
  const started = Date.now();
  const result = await runLawCheck({
    log: (line) => process.stderr.write(`[ensure-cgroup2-vm] ${line}\n`),
    onLine: (line) => {
      if (line.startsWith("@@") || !line.startsWith("{")) process.stderr.write(`[vm] ${line}\n`);
    },
  });
  const lines = [
    `cgroup v2 VM (${result.kernelPackage}, qemu TCG, 2 vCPUs):`,
    `  image ready in ${(result.setupMs / 1000).toFixed(1)} s; /init at guest ${result.bootSeconds} s; run ended at guest ${result.endSeconds} s; qemu ${(result.wallMs / 1000).toFixed(1)} s`,
  ];
  for (const arm of result.arms) {
    const off = ((arm.ratio / arm.law - 1) * 100).toFixed(1);
    lines.push(
      `  ${arm.arm.padEnd(12)} cpu.max ${arm.cpuMax["128"]} vs ${arm.cpuMax["1769"]}: d(128) ${arm.medianSmall.toFixed(0)} ms, d(1769) ${arm.medianLarge.toFixed(0)} ms (median of ${arm.samples}), d(128)/d(1769) = ${arm.ratio.toFixed(2)} (law ${arm.law.toFixed(2)}, ${off}%); pairs ${arm.pairRatios.map((r) => r.toFixed(2)).join(" ")}`,
      `  ${"".padEnd(12)} CPU per loop ${arm.cpuMsSmall.toFixed(0)} ms at 128 vs ${arm.cpuMsLarge.toFixed(0)} ms at 1769; CPU share got ${(arm.enforcedShareSmall * 100).toFixed(2)}% (asked ${((128 / 1769) * 100).toFixed(3)}%) vs ${(arm.enforcedShareLarge * 100).toFixed(1)}%; CPU-normalised ratio ${arm.cpuNormalizedRatio.toFixed(2)}`,
    );
  }
  lines.push(`  total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(lines.join("\n"));

  expect(result.exitCode, result.output).toBe(0);
  const sandbox = result.arms.find((arm) => arm.arm === "sandbox");
  expect(sandbox, result.output).toBeDefined();
  // what the sandbox's code wrote, read back from the kernel
  expect(sandbox!.cpuMax).toEqual({ "128": "1447 20000", "1769": "20000 20000" });
  // the kernel throttled the 128 MB loop
  expect(sandbox!.cpuStat["128"]!.nr_throttled).toBeGreaterThan(0);
  expect(result.arms.length).toBeGreaterThan(0);
});
