/**
 * The random draws the simulator needs, all from one seeded uniform source
 * (src/statistics.ts seededRandom), so the same seed gives the same run.
 */
import type { RandomSource } from "../../statistics.js";

/** Exponential with mean 1. */
export function exponential(random: RandomSource): number {
  return -Math.log(1 - random());
}

/** Standard normal (Box–Muller; the second value is discarded to keep the draw stateless). */
export function normal(random: RandomSource): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Gamma(shape, 1): the sum of `shape` unit exponentials, i.e. the spacing of
 * `shape` Poisson arrivals in unit-rate time. Marsaglia and Tsang's method
 * (2000) for shape ≥ 1; one exponential for shape 1.
 */
export function gamma(random: RandomSource, shape: number): number {
  if (shape === 1) return exponential(random);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Binomial(n, p): how many of n records fail. Exact (n Bernoulli draws) up to
 * 64 records; above, the normal approximation rounded and clamped to 0..n,
 * which is close once n·p·(1−p) is a few units and costs one draw.
 */
export function binomial(random: RandomSource, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  if (n <= 64) {
    let hits = 0;
    for (let index = 0; index < n; index++) if (random() < p) hits++;
    return hits;
  }
  const draw = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(random));
  return Math.min(n, Math.max(0, draw));
}

/** Where the first failure falls in a batch of n (1-based), or 0 when none fails. */
export function firstFailure(random: RandomSource, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return 1;
  const position = Math.floor(Math.log(1 - random()) / Math.log(1 - p)) + 1;
  return position <= n ? position : 0;
}
