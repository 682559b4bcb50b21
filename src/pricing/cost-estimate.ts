/**
 * A cost estimate for one workload: what `lambda-optimizer cost` prints and
 * what the library hands back. The zod schema is the documented shape of
 * `cost --json` (docs/commands/cost.md).
 */
import { z } from "zod";
import {
  BYTES_PER_GB,
  costPerInvocation,
  FREE_STREAMED_BYTES,
  HOURS_PER_MONTH,
  meanBilledDurationMs,
  monthlyCost,
  provisionedConcurrencyMonthlyCost,
  responseStreamingCost,
} from "./cost.js";
import {
  ARCHITECTURES,
  type Architecture,
  modelledPricesLabel,
  otherArchitecture,
  type PriceTable,
  priceBasis,
  pricesFor,
} from "./price-table.js";

export interface CostInput {
  readonly memoryMb: number;
  readonly durationMs: number;
  readonly invocations: number;
  readonly architecture: Architecture;
  readonly region: string;
  readonly ephemeralStorageMb: number;
  readonly freeTier: boolean;
  /** Init duration of a cold start, billed since 1 August 2025. */
  readonly initDurationMs?: number;
  /** Share of invocations that are cold starts (0–1). */
  readonly coldStartRate?: number;
  /** Price this many provisioned-concurrency environments as well. */
  readonly provisionedConcurrency?: number;
  /** Bytes each invocation streams back; beyond the first 6 MB they are billed per GB. */
  readonly streamedBytes?: number;
}

const Usd = z.number().describe("US dollars, unrounded");

const PerInvocation = z.object({
  gbSeconds: z.number(),
  computeUsd: Usd,
  requestUsd: Usd,
  ephemeralUsd: Usd,
  streamingUsd: Usd.optional().describe(
    "streamed bytes beyond 6 MB, priced per GB (with streamedBytes)",
  ),
  totalUsd: Usd,
});

const Monthly = z.object({
  invocations: z.number(),
  gbSeconds: z.number(),
  billableGbSeconds: z.number(),
  billableRequests: z.number(),
  computeUsd: Usd,
  computeTiers: z.array(
    z.object({
      fromGbSeconds: z.number(),
      toGbSeconds: z.number().nullable(),
      gbSeconds: z.number(),
      perGbSecond: z.number(),
      usd: Usd,
    }),
  ),
  requestsUsd: Usd,
  ephemeralUsd: Usd,
  streamingUsd: Usd.optional().describe(
    "streamed bytes beyond 6 MB, priced per GB (with streamedBytes)",
  ),
  totalUsd: Usd,
  freeTierApplied: z.boolean(),
});

const ArchitectureEstimate = z.object({
  architecture: z.enum(ARCHITECTURES),
  perInvocationUsd: Usd,
  perInvocation: PerInvocation,
  monthly: Monthly,
});

export const CostEstimateSchema = z.object({
  input: z.object({
    memoryMb: z.number(),
    durationMs: z.number(),
    billedDurationMs: z
      .number()
      .describe("mean billed duration per invocation, init included on cold starts"),
    invocations: z.number(),
    architecture: z.enum(ARCHITECTURES),
    region: z.string(),
    ephemeralStorageMb: z.number(),
    freeTier: z.boolean(),
    initDurationMs: z.number().optional(),
    coldStartRate: z.number().optional(),
    provisionedConcurrency: z.number().optional(),
    streamedBytes: z.number().optional(),
  }),
  architecture: z.enum(ARCHITECTURES),
  perInvocationUsd: Usd,
  perInvocation: PerInvocation,
  monthly: Monthly,
  alternatives: z.record(
    z.string(),
    ArchitectureEstimate.extend({
      savingUsd: Usd.describe(
        "monthly saving against the input architecture (negative: it costs more)",
      ),
      savingPercent: z.number(),
    }),
  ),
  streaming: z
    .object({
      bytesPerInvocation: z.number(),
      freeBytesPerInvocation: z
        .number()
        .describe("the first 6 MB of each response, 6,291,456 bytes"),
      billedBytesPerInvocation: z.number(),
      billedGbPerMonth: z.number().describe("billed bytes × invocations ÷ 1,073,741,824"),
      perGbUsd: Usd,
      perInvocationUsd: Usd,
      monthlyUsd: Usd,
    })
    .optional()
    .describe("the response-streaming charge, with streamedBytes"),
  provisionedConcurrency: z
    .object({
      concurrency: z.number(),
      hours: z.number(),
      configuredGbSeconds: z
        .number()
        .describe("GB-s the environments are configured for in the month"),
      configuredUsd: Usd,
      durationUsd: Usd,
      requestsUsd: Usd,
      ephemeralUsd: Usd,
      streamingUsd: Usd.optional(),
      totalUsd: Usd,
      versusOnDemandUsd: Usd.describe("provisioned total minus on-demand total"),
    })
    .optional(),
  prices: z.object({
    source: z.string(),
    date: z.string(),
    region: z.string(),
    modelledOn: z
      .string()
      .optional()
      .describe("present when no AWS price was found for the region: the price set used instead"),
    notes: z.array(z.string()),
  }),
  assumptions: z.array(z.string()),
});

export type CostEstimate = z.infer<typeof CostEstimateSchema>;

export function estimateCost(table: PriceTable, input: CostInput): CostEstimate {
  const billedDurationMs = meanBilledDurationMs(input);
  const estimateFor = (architecture: Architecture) => {
    const prices = pricesFor(table, input.region, architecture);
    const shape = {
      memoryMb: input.memoryMb,
      billedDurationMs,
      ephemeralStorageMb: input.ephemeralStorageMb,
    };
    const streaming = streamingCharge(input, prices.responseStreamingPerGb, (responses) =>
      responseStreamingCost(prices, { responseBytes: input.streamedBytes ?? 0, responses }),
    );
    const perInvocation = withStreaming(
      costPerInvocation(prices, shape),
      streaming?.perInvocationUsd,
    );
    const monthly = withStreaming(
      monthlyCost(prices, {
        ...shape,
        invocations: input.invocations,
        freeTier: input.freeTier,
      }),
      streaming?.monthlyUsd,
    );
    return {
      architecture,
      perInvocationUsd: perInvocation.totalUsd,
      perInvocation,
      monthly,
      streaming,
    };
  };

  const { streaming, ...chosen } = estimateFor(input.architecture);
  const { streaming: _sameCharge, ...other } = estimateFor(otherArchitecture(input.architecture));
  const savingUsd = chosen.monthly.totalUsd - other.monthly.totalUsd;
  const savingPercent =
    chosen.monthly.totalUsd > 0 ? (savingUsd / chosen.monthly.totalUsd) * 100 : 0;

  const basis = priceBasis(table, input.region);
  const modelledLabel = modelledPricesLabel(basis);
  const assumptions = [
    ...(modelledLabel ? [`${modelledLabel}.`] : []),
    `Duration tiers applied as if this workload were the account's only use of ${input.architecture} in ${input.region}.`,
    input.freeTier
      ? "Free tier subtracted (1M requests and 400,000 GB-s a month, shared by every function in the account)."
      : "Free tier not applied (--free-tier, or freeTier for a library or MCP caller, subtracts it).",
    "Duration is modelled from the figure given; measure real durations with `lambda-optimizer tune` or `metrics`.",
  ];
  if (streaming) {
    assumptions.push(
      `Response streaming: each response's bytes beyond the first 6 MB are billed at ${formatPerGb(streaming.perGbUsd)} per GB processed: (${streaming.bytesPerInvocation.toLocaleString("en-US")} − ${FREE_STREAMED_BYTES.toLocaleString("en-US")}) bytes × ${input.invocations.toLocaleString("en-US")} invocations ÷ ${BYTES_PER_GB.toLocaleString("en-US")} = ${streaming.billedGbPerMonth.toLocaleString("en-US", { maximumFractionDigits: 4 })} GB a month.`,
    );
  }
  if (input.coldStartRate) {
    assumptions.push(
      "Cold starts bill init + duration together (Lambda bills the init phase since 1 August 2025).",
    );
  }

  let provisionedConcurrency: CostEstimate["provisionedConcurrency"];
  if (input.provisionedConcurrency !== undefined) {
    const prices = pricesFor(table, input.region, input.architecture);
    const pc = provisionedConcurrencyMonthlyCost(prices, {
      memoryMb: input.memoryMb,
      billedDurationMs: Math.ceil(input.durationMs),
      ephemeralStorageMb: input.ephemeralStorageMb,
      invocations: input.invocations,
      concurrency: input.provisionedConcurrency,
    });
    // Streamed bytes are charged the same whoever serves the invocation.
    const streamingUsd = streaming?.monthlyUsd;
    const totalUsd = pc.totalUsd + (streamingUsd ?? 0);
    provisionedConcurrency = {
      concurrency: input.provisionedConcurrency,
      hours: HOURS_PER_MONTH,
      ...pc,
      ...(streamingUsd !== undefined ? { streamingUsd } : {}),
      totalUsd,
      versusOnDemandUsd: totalUsd - chosen.monthly.totalUsd,
    };
    assumptions.push(
      `Provisioned concurrency: ${input.provisionedConcurrency} environments for a ${HOURS_PER_MONTH}-hour month, every invocation served by them (no spill-over to on-demand, no init billed).`,
    );
  }

  return {
    input: {
      memoryMb: input.memoryMb,
      durationMs: input.durationMs,
      billedDurationMs,
      invocations: input.invocations,
      architecture: input.architecture,
      region: input.region,
      ephemeralStorageMb: input.ephemeralStorageMb,
      freeTier: input.freeTier,
      ...(input.initDurationMs !== undefined ? { initDurationMs: input.initDurationMs } : {}),
      ...(input.coldStartRate !== undefined ? { coldStartRate: input.coldStartRate } : {}),
      ...(input.provisionedConcurrency !== undefined
        ? { provisionedConcurrency: input.provisionedConcurrency }
        : {}),
      ...(input.streamedBytes !== undefined ? { streamedBytes: input.streamedBytes } : {}),
    },
    ...chosen,
    alternatives: { [other.architecture]: { ...other, savingUsd, savingPercent } },
    ...(streaming ? { streaming } : {}),
    ...(provisionedConcurrency ? { provisionedConcurrency } : {}),
    prices: {
      source: basis.source,
      date: basis.date,
      region: input.region,
      ...(basis.modelledOn !== undefined ? { modelledOn: basis.modelledOn } : {}),
      notes: table.notes,
    },
    assumptions,
  };
}

type StreamingCharge = NonNullable<CostEstimate["streaming"]>;

/** The response-streaming charge, when the workload streams (streamedBytes given). */
function streamingCharge(
  input: CostInput,
  perGbUsd: number,
  cost: (responses: number) => number,
): StreamingCharge | undefined {
  if (input.streamedBytes === undefined) return undefined;
  const billedBytesPerInvocation = Math.max(0, input.streamedBytes - FREE_STREAMED_BYTES);
  return {
    bytesPerInvocation: input.streamedBytes,
    freeBytesPerInvocation: FREE_STREAMED_BYTES,
    billedBytesPerInvocation,
    billedGbPerMonth: (billedBytesPerInvocation * input.invocations) / BYTES_PER_GB,
    perGbUsd,
    perInvocationUsd: cost(1),
    monthlyUsd: cost(input.invocations),
  };
}

/** A bill with the streaming charge as a line of its own, in its total. */
function withStreaming<Bill extends { totalUsd: number }>(
  bill: Bill,
  streamingUsd: number | undefined,
): Bill & { streamingUsd?: number } {
  if (streamingUsd === undefined) return bill;
  return { ...bill, streamingUsd, totalUsd: bill.totalUsd + streamingUsd };
}

/** "$0.008": a per-GB price as the table gives it. */
function formatPerGb(usd: number): string {
  return `$${usd.toLocaleString("en-US", { maximumFractionDigits: 6 })}`;
}
