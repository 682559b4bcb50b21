/**
 * The AWS source of `lambda-optimizer metrics`: for each function named (or
 * every function in the region with `all`), its configuration and its callers
 * over HTTP from the Lambda API, its figures from CloudWatch metrics, and a
 * sample of its REPORT and timeout lines from CloudWatch Logs, which go to the
 * sink like any other source's lines.
 *
 * Every configuration is read before any metric or log: an unknown function
 * fails the run before the sink has seen a line. Functions are then observed
 * a few at a time (AWS throttles bursts), each AWS call retried by the SDK (see aws/client-config.ts).
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { createCloudWatchClient } from "../../aws/cloudwatch-client.js";
import { type AwsConnection, createLambdaClient } from "../../aws/lambda-client.js";
import { createLogsClient } from "../../aws/logs-client.js";
import { mapWithConcurrency } from "../../map-with-concurrency.js";
import type { AwsFunctionObservations } from "../aws-observations.js";
import type { ObservationSink } from "../observations.js";
import {
  describeFunction,
  type FunctionLogging,
  listFunctionNames,
  UnknownFunctionError,
} from "./aws-functions.js";
import { httpCallersOf } from "./aws-http-callers.js";
import { sampleReportLines } from "./cloudwatch-logs.js";
import {
  cloudWatchFigures,
  type MetricsWindow,
  planCloudWatchWindow,
} from "./cloudwatch-metrics.js";

export interface ObserveFunctionsOptions {
  /** Names or ARNs. */
  readonly functions?: readonly string[];
  /** Every function in the region (ListFunctions), besides any named. */
  readonly all?: boolean;
  readonly window: MetricsWindow;
  /** The most REPORT lines read per function (`--max-log-events`). */
  readonly maxLogEvents: number;
  /** Functions observed at once. */
  readonly concurrency?: number;
  /** Things worth telling the user that do not stop the run. */
  readonly onNote?: (message: string) => void;
  /** Called as each function is done, for progress output. */
  readonly onFunctionDone?: (functionName: string, done: number, total: number) => void;
  /** ListFunctions page size; AWS's default (50) when absent. */
  readonly listPageSize?: number;
  /** FilterLogEvents page size; 10,000 (the API's maximum) when absent. */
  readonly logPageSize?: number;
  /** The clock CloudWatch's retention rules are measured against. */
  readonly now?: Date;
}

export const DEFAULT_AWS_CONCURRENCY = 4;

interface AwsClients {
  readonly lambda: LambdaClient;
  readonly cloudwatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
}

export async function observeFunctions(
  connection: AwsConnection,
  options: ObserveFunctionsOptions,
  sink: ObservationSink,
): Promise<AwsFunctionObservations[]> {
  const clients: AwsClients = {
    lambda: createLambdaClient(connection),
    cloudwatch: createCloudWatchClient(connection),
    logs: createLogsClient(connection),
  };
  try {
    return await observeWith(clients, connection.region, options, sink);
  } finally {
    clients.lambda.destroy();
    clients.cloudwatch.destroy();
    clients.logs.destroy();
  }
}

async function observeWith(
  clients: AwsClients,
  region: string,
  options: ObserveFunctionsOptions,
  sink: ObservationSink,
): Promise<AwsFunctionObservations[]> {
  const concurrency = options.concurrency ?? DEFAULT_AWS_CONCURRENCY;
  const named = [...new Set(options.functions ?? [])];
  if (!options.all && named.length === 0) {
    throw new Error("observeFunctions needs function names or `all`");
  }
  const listed = options.all
    ? await listFunctionNames(clients.lambda, {
        pageSize: options.listPageSize,
      })
    : [];
  const candidates = [...new Set([...named, ...listed])];
  const mustExist = new Set(named);

  const described = await mapWithConcurrency(candidates, concurrency, async (nameOrArn) => {
    try {
      const described = await describeFunction(clients.lambda, nameOrArn, {
        onNote: options.onNote,
        region,
      });
      const httpCallers = await httpCallersOf(clients.lambda, described.facts.functionName, {
        onNote: options.onNote,
      });
      return { ...described, facts: { ...described.facts, httpCallers } };
    } catch (error) {
      // Deleted between ListFunctions and now: nothing to measure, not the user's mistake.
      if (error instanceof UnknownFunctionError && !mustExist.has(nameOrArn)) {
        options.onNote?.(`${nameOrArn} was deleted while it was being read; skipped`);
        return undefined;
      }
      throw error;
    }
  });
  // A function named by its name and by its ARN is observed once.
  const functions = uniqueByArn(described.filter((entry) => entry !== undefined));

  // The window CloudWatch can serve, used for the logs too, so both cover the same time.
  const plan = planCloudWatchWindow(options.window, options.now);
  const window: MetricsWindow = { start: plan.start, end: plan.end };
  let done = 0;
  return mapWithConcurrency(functions, concurrency, async ({ facts, logging }) => {
    const [cloudWatch, logSample] = await Promise.all([
      cloudWatchFigures(clients.cloudwatch, facts.functionName, window, {
        onNote: options.onNote,
        now: options.now,
      }),
      sampleReportLines(clients.logs, facts.functionName, window, sink, {
        maxEvents: options.maxLogEvents,
        logGroupName: logging.logGroupName,
        logFormat: logging.logFormat,
        pageSize: options.logPageSize,
        onNote: options.onNote,
      }),
    ]);
    options.onFunctionDone?.(facts.functionName, ++done, functions.length);
    return {
      configuration: facts,
      cloudWatch,
      logSample: { events: logSample.events, capped: logSample.capped },
      window: { start: window.start.toISOString(), end: window.end.toISOString() },
    };
  });
}

function uniqueByArn<T extends { facts: { functionArn: string }; logging: FunctionLogging }>(
  entries: readonly T[],
): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = entry.facts.functionArn;
    if (key && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
