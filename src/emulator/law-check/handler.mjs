// The CPU law check's function (law-check.ts): single-threaded CPU-bound work,
// counting primes below `limit` by trial division, with no I/O and no
// allocation worth naming, so its duration is CPU time over CPU share.
// It ships in the package: `doctor --check` runs it wherever the CLI is installed.
import { readFileSync } from "node:fs";

/**
 * This thread's CPU time, ms: Linux's per-thread schedstat (nanoseconds), so
 * the runtime's other threads are not counted; elsewhere the process's.
 */
const threadCpuMs = (() => {
  try {
    readFileSync("/proc/thread-self/schedstat", "utf8");
    return () => Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ", 1)[0]) / 1e6;
  } catch {
    return () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
  }
})();

export const handler = async (event = {}) => {
  const limit = Number(event.limit ?? 300_000);
  const started = performance.now();
  const cpuStarted = threadCpuMs();
  let primes = 0;
  for (let candidate = 2; candidate < limit; candidate++) {
    let prime = true;
    for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
      if (candidate % divisor === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes++;
  }
  const elapsedMs = performance.now() - started;
  return { limit, primes, elapsedMs, cpuMs: threadCpuMs() - cpuStarted };
};
