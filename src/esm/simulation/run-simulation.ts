/**
 * The discrete-event simulator of one event source mapping: pure, seeded,
 * no I/O. docs/esm-model.md describes the model and its sources; the event
 * loop is mapping-engine.ts, each source's part source-models.ts.
 */
import { runEngine } from "./mapping-engine.js";
import { modelledFigures, simulationNotes } from "./modelled-figures.js";
import { pricesUsedOf } from "./prices-used.js";
import type { Scenario } from "./scenario.js";
import { settingsOf } from "./settings-of.js";
import { simulatedCost } from "./simulation-cost.js";
import type { EsmSimulationResult } from "./simulation-result.js";
import { engineModel } from "./source-models.js";

export { SimulationTooLongError } from "./mapping-engine.js";

export function runSimulation(scenario: Scenario): EsmSimulationResult {
  const model = engineModel(scenario);
  const outcome = runEngine(scenario, model);
  const periodSeconds = scenario.arrivals.perSecond.length * scenario.arrivals.stepSeconds;
  const cost = simulatedCost(scenario.prices, {
    invocations: outcome.invocations,
    billedMs: outcome.billedMs,
    memoryMb: scenario.function.memoryMb,
    ephemeralStorageMb: scenario.function.ephemeralStorageMb,
    periodSeconds,
  });
  const backlogEnd = Math.max(0, outcome.arrived - outcome.processed - outcome.discarded);
  return {
    source: scenario.mapping.source,
    settings: settingsOf(scenario),
    seed: scenario.seed,
    periodSeconds,
    arrived: outcome.arrived,
    processed: outcome.processed,
    backlogEnd,
    discarded: outcome.discarded,
    invocations: outcome.invocations,
    meanBatchSize:
      outcome.invocations === 0 ? 0 : outcome.batchedRecords / Math.max(1, outcome.invocations),
    ageP50Seconds: outcome.ages.percentile(0.5),
    ageP99Seconds: outcome.ages.percentile(0.99),
    maxAgeSeconds: outcome.ages.maxSeconds,
    concurrencyMax: outcome.concurrencyMax,
    throttles: outcome.throttles,
    retries: outcome.retries,
    periodUsd: cost.periodUsd,
    monthlyUsd: cost.monthlyUsd,
    lines: cost.lines,
    prices: pricesUsedOf(scenario.prices),
    timeline: outcome.timeline,
    events: outcome.events,
    modelled: modelledFigures(scenario, model),
    notes: simulationNotes(scenario, model, outcome, backlogEnd),
  };
}
