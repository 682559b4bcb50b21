/**
 * The search over one mapping's settings: pure, and the simulator is a
 * parameter, so thousands of candidates run without I/O and a test can hand
 * in a simulator it can check by hand.
 *
 * A coarse grid first (every combination of each knob's few coarse values),
 * then a hill climb from the best of it: one knob at a time moves to its
 * neighbours on the fine list, for as long as that finds a better setting.
 * "Better" is one order for every candidate (rankCandidates): a setting
 * within the bound beats one outside it; within it, the cheaper wins (ties,
 * within COST_TIE, go to the lower p99 age); outside it, the lower age wins
 * (the closest to the bound). Each setting is simulated once (memoised).
 *
 * A knob that changes what the function computes, not only how fast and at
 * what cost (a tumbling window's length: what the function aggregates over),
 * is a settled knob: held at its start through the grid and the climb, then
 * settled last over its few values with the rest as found, today's value
 * kept unless another saves more than a tie.
 */
import type { Scenario } from "../simulation/scenario.js";
import type { EsmSimulationResult } from "../simulation/simulation-result.js";

/** The simulator: runSimulation in use, anything pure in tests. */
export type Simulate = (scenario: Scenario) => EsmSimulationResult;

/** A setting: a value for every knob searched, by the knob's name. */
export type Knobs = Readonly<Record<string, number | undefined>>;

/** One knob: the values tried on the coarse grid, and the finer ones the climb steps through (both ascending; undefined is "unset" and comes first). */
export interface Knob {
  readonly name: string;
  readonly coarse: readonly (number | undefined)[];
  readonly fine: readonly (number | undefined)[];
}

/** What a setting surely costs and surely lets records age, worked out without simulating it. */
export interface Estimate {
  /** No run of the setting lets records age less (its capacity against the arrivals). */
  readonly ageLowerBoundSeconds: number;
  /** No run of the setting costs less a month (its requests and its batches' least duration). */
  readonly monthlyUsdLowerBound: number;
}

/**
 * A knob settled last (see the top): every value is simulated with the rest as
 * the search found them. With a value, a record's age that counts against the
 * bound is `ageWith` (a tumbling window's aggregate is out only when the window
 * closes), used instead of the p99 age alone to judge and order the values.
 */
export interface SettledKnob {
  readonly name: string;
  /** The value held through the grid and the climb. */
  readonly start: number;
  /** The values allowed, ascending: a setting with any other is not valid (isValid says so). */
  readonly values: readonly number[];
  readonly ageWith: (value: number, result: EsmSimulationResult) => number;
}

export interface SearchSpace {
  readonly knobs: readonly Knob[];
  /** Knobs settled after the climb (none when left out). */
  readonly settled?: readonly SettledKnob[];
  /** Lower bounds that spare simulating a setting that cannot win (optional: without it every setting is simulated). */
  readonly estimate?: (knobs: Knobs) => Estimate;
  /** Whether a combination is one Lambda accepts (SQS: a BatchSize above 10 needs a window). */
  readonly isValid: (knobs: Knobs) => boolean;
  /** The scenario a setting makes (the current one with the knobs changed, and whatever follows from them). */
  readonly apply: (knobs: Knobs) => Scenario;
}

export interface Bound {
  readonly maxAgeSeconds: number;
  readonly allowThrottles: boolean;
}

export interface Candidate {
  readonly knobs: Knobs;
  readonly result: EsmSimulationResult;
  readonly meetsBound: boolean;
}

export interface SearchOutcome {
  readonly current: Candidate;
  /** The cheapest setting within the bound; undefined when none searched meets it. */
  readonly best: Candidate | undefined;
  /** The setting nearest the bound (the lowest p99 age) when none meets it; else the best. */
  readonly closest: Candidate;
  /** Settings simulated, the current one included. */
  readonly searched: number;
  /**
   * For each knob the winner changes: the winner with that knob put back to
   * its current value, so the caller can say which knob mattered.
   */
  readonly reverted: readonly { readonly knob: string; readonly candidate: Candidate }[];
  /** For each settled knob, when a setting meets the bound: the winner with each of its values, and the value kept. */
  readonly settled: readonly SettledOutcome[];
}

export interface SettledOutcome {
  readonly knob: string;
  readonly chosen: number;
  readonly candidates: readonly {
    readonly value: number;
    readonly candidate: Candidate;
    /** The age that counts against the bound with this value (SettledKnob.ageWith). */
    readonly age: number;
    /** Within the bound with that age. */
    readonly fits: boolean;
  }[];
}

/** Two costs this close (relative) are a tie, settled by the lower age: simulated costs are not exact to the cent. */
export const COST_TIE = 0.001;

/**
 * A setting is left unsimulated only when its records must age past this
 * multiple of the bound: the lower bound is for the expected arrivals, and
 * Poisson arrivals may fall a little short of them.
 */
const PRUNE_AGE_MARGIN = 1.1;
/** When nothing meets the bound, this many of the settings left out as over it are simulated after all, nearest first. */
const OVER_BOUND_TRIED = 6;

/** A climb never takes more steps than this (each step simulates at most two settings per knob). */
const MAX_CLIMB_STEPS = 60;

/**
 * Within the bound: the p99 age of the records processed under the bound, the
 * oldest record still waiting at the end too (a setting that falls behind
 * leaves its oldest records unprocessed, out of the p99), and no throttles
 * unless allowed.
 */
export function meetsBound(result: EsmSimulationResult, bound: Bound): boolean {
  const waitingAge = result.timeline.at(-1)?.oldestAgeSeconds ?? 0;
  return (
    result.ageP99Seconds < bound.maxAgeSeconds &&
    waitingAge < bound.maxAgeSeconds &&
    (bound.allowThrottles || result.throttles === 0)
  );
}

/** Negative when `a` is the better setting: within the bound first, then cheaper, then younger. */
export function rankCandidates(a: Candidate, b: Candidate): number {
  if (a.meetsBound !== b.meetsBound) return a.meetsBound ? -1 : 1;
  if (a.meetsBound) {
    const costA = a.result.monthlyUsd;
    const costB = b.result.monthlyUsd;
    const scale = Math.max(costA, costB);
    if (scale > 0 && Math.abs(costA - costB) > COST_TIE * scale) return costA - costB;
    return a.result.ageP99Seconds - b.result.ageP99Seconds;
  }
  const age = a.result.ageP99Seconds - b.result.ageP99Seconds;
  return age !== 0 ? age : a.result.monthlyUsd - b.result.monthlyUsd;
}

/**
 * `current` is today's setting: its knobs, and its scenario as it stands
 * (space.apply would also change what follows from the knobs, such as a
 * queue's visibility timeout raised to AWS's advice).
 */
export function searchSettings(
  space: SearchSpace,
  current: { readonly knobs: Knobs; readonly scenario: Scenario },
  bound: Bound,
  simulate: Simulate,
): SearchOutcome {
  const seen = new Map<string, Candidate>();
  const evaluate = (knobs: Knobs): Candidate => {
    const key = keyOf(space, knobs);
    let candidate = seen.get(key);
    if (!candidate) {
      const result = simulate(space.apply(knobs));
      candidate = { knobs, result, meetsBound: meetsBound(result, bound) };
      seen.set(key, candidate);
    }
    return candidate;
  };
  const currentResult = simulate(current.scenario);
  // Branch and bound: a setting whose least possible cost is above the best
  // found within the bound cannot win; one whose records must age past the
  // bound cannot meet it (kept aside: if nothing meets the bound, the
  // nearest of them may still be the closest).
  const overBound: { knobs: Knobs; age: number }[] = [];
  const worthSimulating = (knobs: Knobs): boolean => {
    if (!space.estimate || seen.has(keyOf(space, knobs))) return true;
    const estimate = space.estimate(knobs);
    if (estimate.ageLowerBoundSeconds >= bound.maxAgeSeconds * PRUNE_AGE_MARGIN) {
      overBound.push({ knobs, age: estimate.ageLowerBoundSeconds });
      return false;
    }
    const incumbent = best?.meetsBound ? best.result.monthlyUsd : Number.POSITIVE_INFINITY;
    return estimate.monthlyUsdLowerBound <= incumbent * (1 + COST_TIE);
  };
  const currentCandidate: Candidate = {
    knobs: current.knobs,
    result: currentResult,
    meetsBound: meetsBound(currentResult, bound),
  };
  let best: Candidate | undefined;
  const consider = (candidate: Candidate) => {
    if (!best || rankCandidates(candidate, best) < 0) best = candidate;
  };
  if (space.isValid(current.knobs)) consider(evaluate(current.knobs));
  // The grid cheapest first, so a good setting within the bound is found early and prunes the rest.
  const points = [...grid(space)].filter(space.isValid);
  if (space.estimate) {
    const floor = new Map(
      points.map((knobs) => [knobs, space.estimate!(knobs).monthlyUsdLowerBound]),
    );
    points.sort((a, b) => floor.get(a)! - floor.get(b)!);
  }
  for (const knobs of points) if (worthSimulating(knobs)) consider(evaluate(knobs));
  best ??= currentCandidate;

  // One knob at a time; when no single move helps, two at once (a larger
  // batch may pay only with a longer window to fill it).
  for (let step = 0; step < MAX_CLIMB_STEPS; step++) {
    const from: Candidate = best;
    for (const knob of space.knobs) {
      for (const value of neighbours(knob, from.knobs[knob.name])) {
        const knobs = { ...from.knobs, [knob.name]: value };
        if (space.isValid(knobs) && worthSimulating(knobs)) consider(evaluate(knobs));
      }
    }
    if (best !== from) continue;
    space.knobs.forEach((first, index) => {
      for (const second of space.knobs.slice(index + 1))
        for (const a of neighbours(first, from.knobs[first.name]))
          for (const b of neighbours(second, from.knobs[second.name])) {
            const knobs = { ...from.knobs, [first.name]: a, [second.name]: b };
            if (space.isValid(knobs) && worthSimulating(knobs)) consider(evaluate(knobs));
          }
    });
    if (best === from) break;
  }

  if (!best.meetsBound)
    for (const { knobs } of overBound.sort((a, b) => a.age - b.age).slice(0, OVER_BOUND_TRIED))
      consider(evaluate(knobs));
  let winner = best.meetsBound ? best : undefined;
  const settled: SettledOutcome[] = [];
  for (const knob of space.settled ?? []) {
    if (!winner) break;
    const outcome = settle(knob, winner, current.knobs[knob.name], bound, space, evaluate);
    settled.push(outcome);
    winner = outcome.candidates.find((entry) => entry.value === outcome.chosen)!.candidate;
  }
  const found = winner;
  const names = [...space.knobs.map((knob) => knob.name), ...settled.map((entry) => entry.knob)];
  const reverted = found
    ? names.flatMap((name) => {
        const was = current.knobs[name];
        if (found.knobs[name] === was) return [];
        const knobs = { ...found.knobs, [name]: was };
        return space.isValid(knobs) ? [{ knob: name, candidate: evaluate(knobs) }] : [];
      })
    : [];
  return {
    current: currentCandidate,
    best: found,
    closest: found ?? best,
    searched: seen.size + 1,
    reverted,
    settled,
  };
}

/**
 * A settled knob's value, with the rest as `winner` has them: the cheapest
 * that fits (a tie within COST_TIE to the lower age with the value), except
 * that today's value stays when it fits and costs within COST_TIE of that
 * (the value changes what the function computes: worth it only for a
 * saving). When none fits, the smallest within the bound (the shortest wait).
 */
function settle(
  knob: SettledKnob,
  winner: Candidate,
  today: number | undefined,
  bound: Bound,
  space: SearchSpace,
  evaluate: (knobs: Knobs) => Candidate,
): SettledOutcome {
  const candidates = knob.values
    .map((value) => ({ value, knobs: { ...winner.knobs, [knob.name]: value } }))
    .filter(({ knobs }) => space.isValid(knobs))
    .map(({ value, knobs }) => {
      const candidate = evaluate(knobs);
      const age = knob.ageWith(value, candidate.result);
      return { value, candidate, age, fits: candidate.meetsBound && age < bound.maxAgeSeconds };
    });
  const cost = (entry: { candidate: Candidate }) => entry.candidate.result.monthlyUsd;
  const cheapest = candidates
    .filter((entry) => entry.fits)
    .sort((a, b) => {
      const scale = Math.max(cost(a), cost(b));
      if (scale > 0 && Math.abs(cost(a) - cost(b)) > COST_TIE * scale) return cost(a) - cost(b);
      return a.age - b.age;
    })[0];
  const kept = candidates.find((entry) => entry.fits && entry.value === today);
  // The winner's own value (the start) is among them and meets the bound, so one always does.
  const chosen =
    kept && cheapest && cost(kept) <= cost(cheapest) * (1 + COST_TIE)
      ? kept
      : (cheapest ?? candidates.find((entry) => entry.candidate.meetsBound)!);
  return { knob: knob.name, chosen: chosen.value, candidates };
}

/** Every combination of the knobs' coarse values. */
function* grid(space: SearchSpace): Generator<Knobs> {
  const { knobs } = space;
  const indexes = knobs.map(() => 0);
  if (knobs.some((knob) => knob.coarse.length === 0)) return;
  // Settled knobs are held at their start until the climb is done.
  const held = (space.settled ?? []).map((knob) => [knob.name, knob.start] as const);
  while (true) {
    yield Object.fromEntries([
      ...knobs.map((knob, index) => [knob.name, knob.coarse[indexes[index]!]] as const),
      ...held,
    ]);
    let position = knobs.length - 1;
    while (position >= 0 && ++indexes[position]! >= knobs[position]!.coarse.length) {
      indexes[position] = 0;
      position--;
    }
    if (position < 0) return;
  }
}

/** The values either side of `value` on the knob's fine list (the nearest, if it is not on it). */
function neighbours(knob: Knob, value: number | undefined): (number | undefined)[] {
  const { fine } = knob;
  const at = fine.indexOf(value);
  if (at >= 0)
    return [fine[at - 1], fine[at + 1]].filter((_, index) =>
      index === 0 ? at > 0 : at < fine.length - 1,
    );
  if (value === undefined) return fine.length > 0 ? [fine[0]] : [];
  const above = fine.findIndex((candidate) => candidate !== undefined && candidate > value);
  if (above < 0) return fine.length > 0 ? [fine[fine.length - 1]] : [];
  return above > 0 ? [fine[above - 1], fine[above]] : [fine[above]];
}

function keyOf(space: SearchSpace, knobs: Knobs): string {
  return [...space.knobs, ...(space.settled ?? [])]
    .map((knob) => String(knobs[knob.name]))
    .join("|");
}
