/**
 * event-logged-whole: the handler writes its whole event to the log on every
 * invocation (`console.log(JSON.stringify(event))`, `print(event)`). Every
 * byte is billed as CloudWatch Logs ingestion, and an SQS or Kinesis batch
 * carries every record's body, so the log can cost more than the function.
 * When the event's size is known (`audit --payload`), the finding prices the
 * bytes: CloudWatch Logs ingestion per million invocations, and per month
 * with `--invocations`.
 */

import { formatCount, formatNumber, formatUsd } from "../../format.js";
import {
  DEFAULT_LOGS_REGION,
  logIngestionCostUsd,
  logIngestionPrice,
} from "../../pricing/logs-cost.js";
import type { CallSite } from "../code/code-model.js";
import type { CodeRule } from "../code/code-rule.js";
import type { FunctionCode, Workload } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText } from "./code-patterns.js";

/** What a handler's first parameter is called, by the runtimes' templates and by habit. */
const EVENT_NAMES = new Set(["event", "evt"]);
const JS_LOGGERS = /^(console\.(log|info|debug|warn|trace)|logger\.(info|debug|warn|log))$/;
const PYTHON_LOGGERS = /^(print|logging\.(info|debug|warning)|logger\.(info|debug|warning))$/;
const SERIALIZERS = new Set(["JSON.stringify", "json.dumps"]);

function logsEvent(
  call: CallSite,
  serializedOnLine: ReadonlySet<number>,
  python: boolean,
): boolean {
  const logger = python ? PYTHON_LOGGERS : JS_LOGGERS;
  if (!logger.test(call.callee)) return false;
  return (
    call.argumentNames.some((name) => EVENT_NAMES.has(name)) ||
    serializedOnLine.has(call.position.line)
  );
}

export const eventLoggedWhole: CodeRule = {
  meta: {
    id: "event-logged-whole",
    severity: "info",
    title: "Whole event logged on every invocation",
    rationale:
      "Every logged byte is billed as CloudWatch Logs ingestion ($0.50 per GB in us-east-1). An event logged whole costs its full size on every invocation, and an SQS, Kinesis or DynamoDB Streams batch holds every record.",
    fix: "Log what identifies the request (a request id, record ids, counts), at debug level behind a setting, or sample it (Powertools Logger's log_event / logEvent with a sample rate).",
    docs: docsFor("event-logged-whole"),
  },
  check(fn: FunctionCode) {
    const site = fn.handlerSite;
    const handler = site?.exported.functionIndex;
    if (!site || handler === undefined) return [];
    // Only the handler's own body, where `event` is its parameter.
    const calls = site.module.calls.filter((call) => call.scope === handler);
    const serializedOnLine = new Set(
      calls
        .filter(
          (call) =>
            SERIALIZERS.has(call.qualifiedName) &&
            call.argumentNames.some((name) => EVENT_NAMES.has(name)),
        )
        .map((call) => call.position.line),
    );
    const batches = fn.config.triggers.polled;
    const cost = priced(fn.config.workload);
    return calls
      .filter((call) => logsEvent(call, serializedOnLine, fn.language === "python"))
      .map((call) => ({
        file: site.module.file,
        position: call.position,
        ...(batches.length > 0 ? { severity: "warning" as const } : {}),
        message: `${callText(call)} logs the whole event on every invocation${batches.length > 0 ? ` (fed batches by ${batches.join(", ")}: every record's body)` : ""}: each byte is billed as CloudWatch Logs ingestion. ${cost}`,
      }));
  },
};

/**
 * The dollar figure of logging the event: per million invocations, and per
 * month when the invocations are known; or how to get one.
 */
function priced(workload: Workload | undefined): string {
  const price = logIngestionPrice(DEFAULT_LOGS_REGION)!;
  const rate = `${formatUsd(price.perGbUsd)} per GB in ${price.region}, the first tier`;
  if (workload?.eventBytes === undefined) {
    return `Give a typical event with --payload or --payload-file to price it (${rate}).`;
  }
  const bytes = workload.eventBytes;
  const perInvocation = logIngestionCostUsd(bytes, price);
  const event = `The ${formatNumber(bytes, 0)}-byte event${workload.eventSource ? ` (${workload.eventSource})` : ""}`;
  const perMillion = `${formatUsd(perInvocation * 1e6)} per million invocations`;
  const invocations = workload.invocationsPerMonth;
  const monthly =
    invocations === undefined
      ? ""
      : `, ${formatUsd(perInvocation * invocations)} a month at ${formatCount(invocations)} invocations`;
  return `${event} costs ${perMillion}${monthly} in ingestion alone (${rate}).`;
}
