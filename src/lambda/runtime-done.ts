/**
 * The JSON log format's `platform.runtimeDone` event: Lambda's account of how the runtime
 * answered one invocation. Besides the status it carries what a streamed (or any) response
 * cost the caller in time and bytes:
 *
 *   {"time":"...","type":"platform.runtimeDone","record":{"requestId":"...","status":"success",
 *    "spans":[{"name":"responseLatency","start":"...","durationMs":23.02},
 *             {"name":"responseDuration","start":"...","durationMs":80.0}],
 *    "metrics":{"durationMs":140.0,"producedBytes":16}}}
 *
 * - responseLatency: how long the function took to start sending its response (time to first
 *   byte), from the invoke phase's start;
 * - responseDuration: how long it then took to send the rest, from the first byte to the last;
 * - metrics.producedBytes: the bytes of the response.
 *
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html
 * (platform.runtimeDone, RuntimeDoneMetrics, Span). Lambda writes it to the function's logs (and
 * an Invoke's log tail) in the JSON log format only; where it is present, `metrics` reads it.
 */
import { isPlainObject } from "../plain-object.js";

export const RUNTIME_DONE_TYPE = "platform.runtimeDone";

/** What one platform.runtimeDone says of the response; each figure only where the event has it. */
export interface ResponseFigures {
  readonly requestId: string;
  /** The responseLatency span: ms until the first byte of the response. */
  readonly responseLatencyMs?: number;
  /** The responseDuration span: ms to send the whole response. */
  readonly responseDurationMs?: number;
  /** metrics.producedBytes: the response's bytes. */
  readonly producedBytes?: number;
}

/** A platform.runtimeDone's response figures, or undefined for any other line (or one with none of them). */
export function parseRuntimeDone(json: string): ResponseFigures | undefined {
  let event: unknown;
  try {
    event = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isPlainObject(event) || event.type !== RUNTIME_DONE_TYPE) return undefined;
  const record = event.record;
  if (!isPlainObject(record) || typeof record.requestId !== "string") return undefined;
  const span = (name: string) => {
    if (!Array.isArray(record.spans)) return undefined;
    const found = record.spans.find((entry) => isPlainObject(entry) && entry.name === name);
    return isPlainObject(found) ? figure(found.durationMs) : undefined;
  };
  const metrics = isPlainObject(record.metrics) ? record.metrics : {};
  const figures = {
    responseLatencyMs: span("responseLatency"),
    responseDurationMs: span("responseDuration"),
    producedBytes: figure(metrics.producedBytes),
  };
  const present = Object.entries(figures).filter(([, value]) => value !== undefined);
  if (present.length === 0) return undefined;
  return { requestId: record.requestId, ...Object.fromEntries(present) };
}

/** A figure Lambda could have written: a finite number ≥ 0. */
function figure(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export interface RuntimeDoneInput {
  readonly requestId: string;
  readonly status: "success" | "error" | "timeout" | "failure";
  /** The invoke phase's duration, ms. */
  readonly durationMs: number;
  /** When the invoke phase started: the responseLatency span starts there. */
  readonly startedAt: Date;
  /** The first byte of the response (absent when none was sent): the responseDuration span starts there. */
  readonly response?: {
    /** From the invoke phase's start to the first byte, ms. */
    readonly latencyMs: number;
    /** From the first byte to the last, ms. */
    readonly durationMs: number;
  };
  readonly producedBytes: number;
}

/** Format the event as Lambda writes it in the JSON log format. */
export function formatRuntimeDone(input: RuntimeDoneInput, time: Date = new Date()): string {
  const { response } = input;
  const spans = response
    ? [
        {
          name: "responseLatency",
          start: input.startedAt.toISOString(),
          durationMs: response.latencyMs,
        },
        {
          name: "responseDuration",
          start: new Date(input.startedAt.getTime() + response.latencyMs).toISOString(),
          durationMs: response.durationMs,
        },
      ]
    : [];
  return JSON.stringify({
    time: time.toISOString(),
    type: RUNTIME_DONE_TYPE,
    record: {
      requestId: input.requestId,
      status: input.status,
      ...(spans.length > 0 ? { spans } : {}),
      metrics: { durationMs: input.durationMs, producedBytes: input.producedBytes },
    },
  });
}
