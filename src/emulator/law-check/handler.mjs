// The CPU law check's function (law-check.ts): single-threaded CPU-bound work,
// counting primes below `limit` by trial division, with no I/O and no
// allocation worth naming, so its duration is CPU time over CPU share.
// It ships in the package: `doctor --check` runs it wherever the CLI is installed.
export const handler = async (event = {}) => {
  const limit = Number(event.limit ?? 300_000);
  const started = performance.now();
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
  return { limit, primes, elapsedMs: performance.now() - started };
};
