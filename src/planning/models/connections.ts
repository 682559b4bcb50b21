/**
 * The connections each billing model keeps to a database (or any service
 * the function holds a connection to), on the same traffic: what the guide
 * means by Managed Instances suiting "warm connection pools shared across
 * concurrent requests". A database's connection limit, and an RDS Proxy
 * in front of it, are sized by the connections held at the busiest moment;
 * each connection opened costs a handshake (TCP, TLS, authentication).
 *
 * - On-demand, SnapStart, provisioned concurrency: an environment serves one
 *   request at a time and keeps one connection, opened at init as the guide
 *   says (clients outside the handler). At the peak every environment alive
 *   holds one, provisioned ones included; each cold start or SnapStart
 *   restore opens one (a restored snapshot must reconnect), as does each
 *   provisioned environment when it is initialised.
 * - Managed Instances, Node.js, Java, .NET and custom runtimes: the requests
 *   of one environment share its pool, which opens a connection when a
 *   request needs one and no idle one is left, up to its size: the fleet
 *   holds one per concurrent request until every pool is full (environments
 *   × pool size), and keeps them warm.
 * - Managed Instances, Python: each concurrent request runs in its own
 *   process with its own initialisation (AWS's Python runtime for Managed
 *   Instances), so every process holds its own connection: no pool is shared.
 */
import { runtimeFacts } from "../../lambda/runtimes.js";
import type { PlannedFunction, PlanSettings } from "../plan-models.js";
import type { BillingOption, Connections } from "../plan-result.js";
import { amount } from "./model-support.js";
import type { PreparedTraffic } from "./prepared-traffic.js";

export const POOL_SIZE_LABEL = (size: number) =>
  `connectionPoolSize = ${size} (connections in one Managed Instances environment's pool; pg's Pool and mysql2's createPool default to 10)`;

const ONE_PER_ENVIRONMENT =
  "one connection per environment, opened at init (the guide: clients and connections created outside the handler)";

/**
 * Each available option with its `connections`, and the Managed Instances
 * option with a note comparing its connections with on-demand's.
 */
export function withConnections(
  options: readonly BillingOption[],
  traffic: PreparedTraffic,
  fn: PlannedFunction,
  settings: PlanSettings,
): BillingOption[] {
  const onDemand = options.find((option) => option.model === "on-demand");
  return options.map((option) => {
    if (!option.available) return option;
    const connections = connectionsOf(option, traffic, fn, settings);
    if (option.model !== "managed-instances" || !onDemand?.available)
      return { ...option, connections };
    const pooled = !isPython(fn);
    return {
      ...option,
      connections,
      notes: [...option.notes, comparison(connections, traffic.peakConcurrency, pooled)],
      modelled: pooled
        ? [...option.modelled, POOL_SIZE_LABEL(settings.connectionPoolSize)]
        : option.modelled,
    };
  });
}

function connectionsOf(
  option: BillingOption,
  traffic: PreparedTraffic,
  fn: PlannedFunction,
  settings: PlanSettings,
): Connections {
  switch (option.model) {
    case "on-demand":
      return {
        peak: traffic.peakConcurrency,
        opened: option.coldStarts,
        basis: ONE_PER_ENVIRONMENT,
      };
    case "snapstart":
      return {
        peak: traffic.peakConcurrency,
        opened: option.coldStarts,
        basis: `${ONE_PER_ENVIRONMENT}; a restored snapshot reconnects`,
      };
    case "provisioned-concurrency": {
      const levels = levelsPerStep(option, traffic);
      let peak = 0;
      let initialised = 0;
      let previous = 0;
      for (let step = 0; step < traffic.steps; step++) {
        const level = levels(step);
        peak = Math.max(peak, level, traffic.concurrency[step]!);
        initialised += Math.max(0, level - previous);
        previous = level;
      }
      return {
        peak,
        opened: initialised + option.coldStarts,
        basis: `${ONE_PER_ENVIRONMENT}: every provisioned environment holds one, idle or not`,
      };
    }
    case "managed-instances": {
      const environments = option.environments ?? 0;
      const perEnvironment = option.concurrencyPerEnvironment ?? 0;
      if (isPython(fn)) {
        const processes = environments * perEnvironment;
        return {
          peak: processes,
          opened: processes,
          basis: `one connection per process: Python serves each of an environment's ${perEnvironment} concurrent requests in its own process, which shares no pool`,
        };
      }
      const pool = Math.min(settings.connectionPoolSize, perEnvironment);
      // A pool opens connections as requests need them, up to its size: at the peak the fleet
      // holds one per concurrent request until the pools are full.
      const peak = Math.min(traffic.peakConcurrency, environments * pool);
      // An unknown runtime is counted as pooled; Python would hold one per process.
      const assumed =
        fn.runtime === undefined ? " (runtime unknown: on Python each process holds its own)" : "";
      return {
        peak,
        opened: peak,
        basis: `one pool of up to ${pool} per environment, shared by its up to ${perEnvironment} concurrent requests; opened as requests need them and kept warm${assumed}`,
      };
    }
  }
}

/** The provisioned level in each step: the schedule's hour, else the flat level. */
function levelsPerStep(option: BillingOption, traffic: PreparedTraffic): (step: number) => number {
  const { schedule } = option;
  if (schedule) return (step) => schedule[traffic.hourOfDay[step]!]!;
  const flat = option.provisionedConcurrency ?? 0;
  return () => flat;
}

function comparison(connections: Connections, onDemandPeak: number, pooled: boolean): string {
  const against = `against on-demand's ${amount(onDemandPeak, 0)} (one per environment)`;
  if (!pooled)
    return `no shared pool on Python: its ${amount(connections.peak, 0)} processes each hold a connection, ${against}`;
  const fewer = onDemandPeak - connections.peak;
  const verdict =
    fewer > 0
      ? `${amount(fewer, 0)} fewer: concurrent requests share warm pools`
      : "no fewer at this traffic: every concurrent request still has a connection, since the pools are never full";
  return `${amount(connections.peak, 0)} database connections at the peak, ${against}: ${verdict}`;
}

function isPython(fn: PlannedFunction): boolean {
  return fn.runtime !== undefined && runtimeFacts(fn.runtime)?.family === "python";
}
