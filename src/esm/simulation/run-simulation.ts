/**
 * The discrete-event simulator of one event source mapping: pure, seeded,
 * no I/O. docs/esm-model.md describes the model and its sources.
 */

import type { Scenario } from "./scenario.js";
import type { EsmSimulationResult } from "./simulation-result.js";

/** Thrown when a run would take more than `scenario.maxEvents` events. */
export class SimulationTooLongError extends Error {}

export function runSimulation(_scenario: Scenario): EsmSimulationResult {
  throw new Error("runSimulation: not built yet (issue 16, simulator helper)");
}
