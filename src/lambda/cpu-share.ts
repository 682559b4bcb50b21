/**
 * How much CPU a function gets for its memory. Lambda allocates CPU in
 * proportion to memory: 1,769 MB buys the equivalent of one full vCPU, and the
 * share keeps growing linearly up to 10,240 MB (about 5.8 vCPU). The number of
 * cores a function can *see* grows in steps, which matters for multi-threaded
 * code: a 2,048 MB function sees 2 cores but may only use ~1.16 of them.
 */

export const MEMORY_MB_PER_VCPU = 1_769;

export const CPU_SHARE_SOURCE =
  "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html";

/** Visible cores by memory size, as observed on Lambda (upper bound inclusive). */
export const OBSERVED_CORES: ReadonlyArray<{ readonly upToMb: number; readonly cores: number }> = [
  { upToMb: 3_008, cores: 2 },
  { upToMb: 5_307, cores: 3 },
  { upToMb: 7_076, cores: 4 },
  { upToMb: 8_845, cores: 5 },
  { upToMb: 10_240, cores: 6 },
];

/** vCPU share for a memory size: 1.0 means one full CPU. */
export function vcpuShare(memoryMb: number): number {
  return memoryMb / MEMORY_MB_PER_VCPU;
}

/** Cores a function sees (e.g. `os.cpus().length`) at a memory size. */
export function observedCores(memoryMb: number): number {
  const step = OBSERVED_CORES.find((entry) => memoryMb <= entry.upToMb);
  return step ? step.cores : OBSERVED_CORES[OBSERVED_CORES.length - 1]!.cores;
}
