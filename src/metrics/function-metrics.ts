/** One function's figures, from its accumulated log lines and, on AWS, CloudWatch and its configuration. */
import { HOURS_PER_MONTH } from "../pricing/cost.js";
import type { Architecture, Prices } from "../pricing/price-table.js";
import type { AwsFunctionObservations } from "./aws-observations.js";
import type { FunctionAccumulator } from "./function-accumulator.js";
import type { FunctionMetrics } from "./metrics-report.js";

export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface FunctionMetricsInput {
  readonly name: string;
  readonly logs: FunctionAccumulator | undefined;
  readonly aws: AwsFunctionObservations | undefined;
  readonly architecture: Architecture;
  readonly architectureKnown: boolean;
  readonly prices: Prices;
  /** Days the data covers; null when unknown (then no monthly projection). */
  readonly windowDays: number | null;
}

export function buildFunctionMetrics(
  input: FunctionMetricsInput,
): Omit<FunctionMetrics, "recommendations"> {
  const { logs, aws, prices } = input;
  const reports = logs?.reports ?? 0;
  const cloudWatch = aws?.cloudWatch;
  const invocations = cloudWatch?.invocations ?? reports;
  const memorySizeMb = aws?.configuration.memoryMb ?? logs?.memorySizeMb ?? null;
  const perGbSecond = prices.architecturePrices.durationTiers[0]!.perGbSecond;
  const requestUsd = prices.requestsPerMillion / 1_000_000;

  // Mean cost of the REPORT lines read, times every invocation: exact from complete logs,
  // an estimate from a capped sample. Without any REPORT line, CloudWatch's average duration.
  let costPerInvocationUsd = 0;
  if (logs && reports > 0) {
    costPerInvocationUsd = (logs.billedGbSeconds * perGbSecond) / reports + requestUsd;
  } else if (cloudWatch?.durationMs.average != null && memorySizeMb !== null) {
    costPerInvocationUsd =
      (memorySizeMb / 1024) * (Math.ceil(cloudWatch.durationMs.average) / 1000) * perGbSecond +
      requestUsd;
  }
  const costUsd = costPerInvocationUsd * invocations;
  const errors = cloudWatch?.errors ?? (logs ? logs.failedReports + logs.timeouts : 0);

  return {
    name: input.name,
    invocations,
    errors,
    timeouts: logs?.timeouts ?? 0,
    throttles: cloudWatch?.throttles ?? null,
    reportLines: reports,
    coldStarts: logs?.coldStarts ?? 0,
    restores: logs?.restores ?? 0,
    coldStartRate: reports > 0 ? (logs?.coldStarts ?? 0) / reports : 0,
    durationMs: {
      mean: logs?.durationMs.mean ?? cloudWatch?.durationMs.average ?? null,
      p50: logs?.durationMs.percentile(0.5) ?? cloudWatch?.durationMs.p50 ?? null,
      p90: logs?.durationMs.percentile(0.9) ?? cloudWatch?.durationMs.p90 ?? null,
      p99: logs?.durationMs.percentile(0.99) ?? cloudWatch?.durationMs.p99 ?? null,
      p999: logs?.durationMs.percentile(0.999) ?? null,
      max: logs?.durationMs.max ?? cloudWatch?.durationMs.maximum ?? null,
    },
    billedDurationMs: { mean: logs?.billedDurationMs.mean ?? null },
    initDurationMs: {
      p50: logs?.initDurationMs.percentile(0.5) ?? null,
      p99: logs?.initDurationMs.percentile(0.99) ?? null,
    },
    restoreDurationMs: {
      p50: logs?.restoreDurationMs.percentile(0.5) ?? null,
      p99: logs?.restoreDurationMs.percentile(0.99) ?? null,
    },
    responses:
      logs && logs.responses > 0
        ? {
            count: logs.responses,
            ttfbMs: {
              p50: logs.responseLatencyMs.percentile(0.5),
              p95: logs.responseLatencyMs.percentile(0.95),
              max: logs.responseLatencyMs.max,
            },
            sendMs: {
              p50: logs.responseDurationMs.percentile(0.5),
              p95: logs.responseDurationMs.percentile(0.95),
            },
            bytes: {
              mean: logs.producedBytes.mean,
              max: logs.producedBytes.max,
              total: logs.producedBytesTotal,
              beyondFreeTotal: logs.producedBytesBeyondFree,
            },
          }
        : null,
    memorySizeMb,
    maxMemoryUsedMb: {
      max: logs?.maxMemoryUsedMb.max ?? null,
      p99: logs?.maxMemoryUsedMb.percentile(0.99) ?? null,
    },
    memoryUtilization: {
      max: logs?.memoryUtilization.max ?? null,
      p99: logs?.memoryUtilization.percentile(0.99) ?? null,
    },
    architecture: input.architecture,
    architectureKnown: input.architectureKnown,
    costUsd,
    monthlyCostUsd:
      input.windowDays && input.windowDays > 0
        ? (costUsd * DAYS_PER_MONTH) / input.windowDays
        : null,
    approximate: logs
      ? [logs.durationMs, logs.maxMemoryUsedMb].some((distribution) => distribution.approximate)
      : false,
    configuration: aws
      ? {
          runtime: aws.configuration.runtime,
          timeoutSeconds: aws.configuration.timeoutSeconds,
          reservedConcurrency: aws.configuration.reservedConcurrency,
          provisionedConcurrency: aws.configuration.provisionedConcurrency,
          eventSources: [...aws.configuration.eventSources],
          ...(aws.configuration.httpCallers
            ? {
                httpCallers: {
                  callers: [...aws.configuration.httpCallers.callers],
                  unread: [...aws.configuration.httpCallers.unread],
                },
              }
            : {}),
        }
      : null,
    cloudWatch: cloudWatch
      ? {
          durationMs: { ...cloudWatch.durationMs },
          concurrentExecutionsMax: cloudWatch.concurrentExecutionsMax,
          iteratorAgeMsMax: cloudWatch.iteratorAgeMsMax,
        }
      : null,
    logSample: aws ? { ...aws.logSample } : null,
    histograms:
      logs && reports > 0
        ? {
            durationMs: logs.durationMs.histogram(),
            maxMemoryUsedMb: logs.maxMemoryUsedMb.histogram(),
          }
        : null,
  };
}
