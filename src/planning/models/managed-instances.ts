/**
 * Lambda Managed Instances over the profile: the function runs on EC2
 * instances Lambda manages, each execution environment serving many
 * requests at once. Cost = instances × On-Demand hourly price × hours ×
 * (1 − Savings Plan discount) + the 15% management fee on the On-Demand
 * price (a Savings Plan does not reduce it: AWS charges it on the On-Demand
 * instance price) + $0.20 per 1M requests.
 *
 * Sizing: the environments the peak concurrency needs (concurrency ÷ the
 * requests one environment serves), each taking the function's memory (2 GB
 * at least) and memory ÷ MEMORY_GIB_PER_VCPU vCPUs, packed into instances of
 * each type of the function's architecture; the cheapest type wins; never
 * fewer than the three instances AWS launches for AZ resiliency. The fleet
 * is priced at that size for the whole period. Sources: docs/commands/plan.md.
 */
import { runtimeFacts } from "../../lambda/runtimes.js";
import {
  type ManagedInstancesPrices,
  managedInstancesPricesFor,
  type PricedInstanceType,
} from "../../pricing/managed-instances-prices.js";
import type { CostLine } from "../plan-result.js";
import {
  amount,
  CONCURRENCY_ESTIMATED_LABEL,
  type ModelInput,
  makeOption,
  type PricedModel,
  price,
  totalOf,
  unavailableOption,
} from "./model-support.js";
import type { PreparedTraffic } from "./prepared-traffic.js";

/** AWS launches three instances by default, one per Availability Zone. */
export const MINIMUM_INSTANCES = 3;
/** The smallest function Managed Instances runs: 2 GB (and 1 vCPU). */
export const MINIMUM_MEMORY_MB = 2048;
/**
 * Memory per vCPU of an execution environment: AWS allows 2, 4 or 8 GiB per
 * vCPU; we take 2, the most vCPU for the memory (and so the most requests per
 * environment at the per-vCPU defaults). Modelled.
 */
export const MEMORY_GIB_PER_VCPU = 2;
/** AWS's default PerExecutionEnvironmentMaxConcurrency, per vCPU, by runtime family. */
export const DEFAULT_CONCURRENCY_PER_VCPU = {
  nodejs: 64,
  java: 32,
  dotnet: 32,
  python: 16,
} as const;
/** AWS: "If your traffic more than doubles within 5 minutes, you may see throttles". */
export const BURST_WINDOW_SECONDS = 300;

const RUNTIMES_PAGE =
  "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html";

/** Whether Managed Instances runs this runtime (Java 21+, Python 3.13+, Node.js 22+, .NET 8+, provided.al2023). */
function runtimeProblem(runtime: string | undefined): string | undefined {
  if (runtime === undefined) return undefined;
  const facts = runtimeFacts(runtime);
  if (!facts) return `runtime ${runtime} is not one Lambda knows`;
  const [major = 0, minor = 0] = facts.version.split(".").map(Number);
  const version = major;
  const supported =
    (facts.family === "java" && version >= 21) ||
    (facts.family === "python" && (major > 3 || (major === 3 && minor >= 13))) ||
    (facts.family === "nodejs" && version >= 22) ||
    (facts.family === "dotnet" && version >= 8) ||
    facts.id === "provided.al2023";
  return supported
    ? undefined
    : `${runtime} cannot run on Managed Instances: it needs Java 21+, Python 3.13+, Node.js 22+, .NET 8+ or provided.al2023 (${RUNTIMES_PAGE})`;
}

function concurrencyPerVcpu(runtime: string | undefined): {
  perVcpu: number;
  modelled?: string;
} {
  const family = runtime === undefined ? undefined : runtimeFacts(runtime)?.family;
  if (family !== undefined && family in DEFAULT_CONCURRENCY_PER_VCPU)
    return {
      perVcpu: DEFAULT_CONCURRENCY_PER_VCPU[family as keyof typeof DEFAULT_CONCURRENCY_PER_VCPU],
    };
  return {
    perVcpu: DEFAULT_CONCURRENCY_PER_VCPU.python,
    modelled: `maxConcurrencyPerEnvironment = ${DEFAULT_CONCURRENCY_PER_VCPU.python} per vCPU (${runtime === undefined ? "runtime unknown" : `no AWS default for ${runtime}`}: Python's, the lowest of AWS's defaults)`,
  };
}

/**
 * How many times concurrency rose past double what it was within the five
 * minutes before (consecutive steps of one rise count once), and the largest.
 */
export function bursts(traffic: PreparedTraffic): { count: number; from: number; to: number } {
  const window = Math.max(1, Math.round(BURST_WINDOW_SECONDS / traffic.stepSeconds));
  let count = 0;
  let rising = false;
  let largest = { from: 0, to: 0 };
  for (let step = 1; step < traffic.steps; step++) {
    let lowest = Number.POSITIVE_INFINITY;
    for (let back = Math.max(0, step - window); back < step; back++)
      lowest = Math.min(lowest, traffic.concurrency[back]!);
    const now = traffic.concurrency[step]!;
    // From nothing, "doubling" is any one environment; count rises past twice max(1, before).
    const doubled = now > 2 * Math.max(1, lowest);
    if (doubled && !rising) count++;
    if (doubled && now - lowest > largest.to - largest.from) largest = { from: lowest, to: now };
    rising = doubled;
  }
  return { count, ...largest };
}

interface Sizing {
  readonly type: PricedInstanceType;
  readonly instances: number;
  readonly environmentsPerInstance: number;
  readonly hourlyUsd: number;
}

export function priceManagedInstances(input: ModelInput): PricedModel {
  const { traffic, fn, settings } = input;
  const problem = runtimeProblem(fn.runtime);
  if (problem) return { option: unavailableOption("managed-instances", problem) };
  const table: ManagedInstancesPrices | undefined = managedInstancesPricesFor(
    settings.region,
    fn.architecture,
  );
  if (!table || table.instanceTypes.length === 0)
    return {
      option: unavailableOption(
        "managed-instances",
        `no Managed Instances prices for ${settings.region} (${fn.architecture})`,
      ),
    };
  const modelled: string[] = [];
  const notes: string[] = [];
  const environmentMemoryMb = Math.max(fn.memoryMb, MINIMUM_MEMORY_MB);
  if (fn.memoryMb < MINIMUM_MEMORY_MB)
    notes.push(
      `priced at ${MINIMUM_MEMORY_MB} MB per environment, the smallest Managed Instances runs (the function has ${fn.memoryMb} MB)`,
    );
  const environmentMemoryGib = environmentMemoryMb / 1024;
  const environmentVcpus = Math.max(1, Math.floor(environmentMemoryGib / MEMORY_GIB_PER_VCPU));
  modelled.push(
    `memoryGiBPerVcpu = ${MEMORY_GIB_PER_VCPU} (AWS allows 2, 4 or 8: ${environmentVcpus} vCPU for ${amount(environmentMemoryGib, 2)} GiB)`,
  );
  let perEnvironment = settings.maxConcurrencyPerEnvironment;
  if (perEnvironment === undefined) {
    const defaults = concurrencyPerVcpu(fn.runtime);
    perEnvironment = defaults.perVcpu * environmentVcpus;
    modelled.push(
      defaults.modelled ??
        `maxConcurrencyPerEnvironment = ${perEnvironment} (AWS's default ${defaults.perVcpu} per vCPU for ${fn.runtime}; Lambda lowers it when the environment's CPU or memory saturate, so a CPU-bound function serves fewer)`,
    );
  }
  const environments = Math.max(1, Math.ceil(traffic.peakConcurrency / perEnvironment));

  let best: Sizing | undefined;
  for (const type of table.instanceTypes) {
    const environmentsPerInstance = Math.min(
      Math.floor(type.vcpus / environmentVcpus),
      Math.floor(type.memoryGib / environmentMemoryGib),
    );
    if (environmentsPerInstance === 0) continue;
    const instances = Math.max(
      MINIMUM_INSTANCES,
      Math.ceil(environments / environmentsPerInstance),
    );
    const hourlyUsd =
      instances * type.hourlyUsd * (1 - settings.savingsPlanDiscount + table.managementFeeShare);
    if (!best || hourlyUsd < best.hourlyUsd - 1e-12)
      best = { type, instances, environmentsPerInstance, hourlyUsd };
  }
  if (!best)
    return {
      option: unavailableOption(
        "managed-instances",
        `no priced instance type holds one ${amount(environmentMemoryGib, 2)} GiB, ${environmentVcpus}-vCPU environment`,
      ),
    };
  const hours = traffic.periodSeconds / 3600;
  const instanceHours = best.instances * hours;
  const discount = settings.savingsPlanDiscount;
  const lines: CostLine[] = [
    {
      label: `EC2 instances (${best.type.type})`,
      usd: instanceHours * best.type.hourlyUsd * (1 - discount),
      formula: `${best.instances} × ${best.type.type} × ${amount(hours, 2)} hours × ${price(best.type.hourlyUsd)}/hour${discount > 0 ? ` × (1 − ${amount(discount)} Savings Plan)` : ""}`,
    },
    {
      label: "management fee",
      usd: instanceHours * best.type.hourlyUsd * table.managementFeeShare,
      formula: `${amount(instanceHours, 2)} instance-hours × ${price(best.type.hourlyUsd)} On-Demand × ${amount(table.managementFeeShare)} (on the On-Demand price: a Savings Plan does not reduce it)`,
    },
    {
      label: "requests",
      usd: (traffic.totalInvocations / 1_000_000) * table.requestsPerMillion,
      formula: `${amount(traffic.totalInvocations, 2)} requests ÷ 1,000,000 × ${price(table.requestsPerMillion)}`,
    },
  ];
  notes.push(
    `${environments} environment${environments === 1 ? "" : "s"} of ${perEnvironment} concurrent requests for the peak of ${traffic.peakConcurrency}, ${best.environmentsPerInstance} per ${best.type.type} (${best.type.vcpus} vCPU, ${best.type.memoryGib} GiB): ${best.instances} instance${best.instances === 1 ? "" : "s"}${best.instances === MINIMUM_INSTANCES ? ` (AWS's minimum of ${MINIMUM_INSTANCES}, one per Availability Zone)` : ""}`,
    "no cold starts: AWS launches instances and environments ahead of traffic",
    "code must be thread-safe: many requests share one environment; run `lambda-optimizer audit` (rule managed-instances-thread-safety)",
  );
  const burst = bursts(traffic);
  if (burst.count > 0)
    notes.push(
      `too bursty for Managed Instances' scaling: concurrency more than doubled within 5 minutes ${burst.count === 1 ? "once" : `${burst.count} times`} (largest ${burst.from} → ${burst.to}); AWS's docs say throttles may follow while instances launch (tens of seconds), unless the fleet stays at the peak size priced here`,
    );
  modelled.push(
    `fleet kept at the size the peak needs for the whole period (${best.instances} × ${best.type.type})`,
  );
  if (table.modelledOn !== undefined)
    modelled.push(
      `EC2 prices for ${settings.region} modelled on ${table.modelledOn}: no price was read for ${settings.region}`,
    );
  if (traffic.concurrencyEstimated) modelled.push(CONCURRENCY_ESTIMATED_LABEL);
  const periodUsd = totalOf(lines);
  let stepUsd: Float64Array | undefined;
  if (input.withSteps) {
    stepUsd = new Float64Array(traffic.steps);
    const fleetPerStep = (lines[0]!.usd + lines[1]!.usd) / traffic.steps;
    const perRequest = table.requestsPerMillion / 1_000_000;
    for (let step = 0; step < traffic.steps; step++)
      stepUsd[step] = fleetPerStep + traffic.invocations[step]! * perRequest;
  }
  return {
    option: makeOption("managed-instances", traffic, {
      periodUsd,
      coldStarts: 0,
      lines,
      notes,
      modelled,
      instanceType: best.type.type,
      instances: best.instances,
      environments,
      concurrencyPerEnvironment: perEnvironment,
    }),
    ...(stepUsd ? { stepUsd } : {}),
  };
}
