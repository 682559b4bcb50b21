// A CPU-bound function: counts primes below `limit` by trial division.
// Its duration falls as memory (and so CPU share) rises, which makes it the
// example to tune: `lambda-optimizer tune examples/cpu-bound/handler.mjs:handler`.
export const handler = async (event = {}) => {
  const limit = Number(event.limit ?? 1_000_000);
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
  return { limit, primes };
};
