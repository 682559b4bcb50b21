/**
 * One invocation as a person or a program reads it: the response, the logs,
 * the REPORT figures, and how the sandbox limited it. `invoke --json` prints
 * this report; the CLI only renders it.
 */
import { z } from "zod";
import { ReportSchema } from "../lambda/report-line.js";
import type { InvokeResult } from "./emulator.js";
import {
  HTTP_INTEGRATION_CONTENT_TYPE,
  type HttpPrelude,
  PreludeSplitter,
} from "./runtime-api/http-integration-prelude.js";
import { InterpreterReportSchema, interpreterReport } from "./runtimes/interpreter.js";
import { SandboxReportSchema } from "./sandbox/index.js";
import {
  checkServerSentEvents,
  isEventStream,
  ServerSentEventsSchema,
} from "./server-sent-events.js";

/** How the answer came: all at once, or streamed, and how soon its first byte. */
export const ResponseReportSchema = z.object({
  /** The handler streamed its answer (awslambda.streamifyResponse). */
  streamed: z.boolean(),
  /**
   * ms from the invocation's start (a cold start's init included) to the first byte a client
   * gets (after an HTTP prelude, its first body byte); a buffered answer's is its whole answer.
   * Null when none came.
   */
  ttfbMs: z.number().nullable(),
  /**
   * How long the caller waited for the whole answer, on ttfbMs's clock: the REPORT's Duration,
   * plus its Init Duration on a cold start (the caller waited for init too).
   */
  durationMs: z.number(),
  /** Bytes the client received (a stream's prelude included). */
  bytes: z.number().int().nonnegative(),
  /** Pieces they came in: the runtime's writes as they arrived (1 for a buffered answer). */
  chunks: z.number().int().nonnegative(),
  /** The answer's Content-Type as the runtime gave it. */
  contentType: z.string(),
  /** The status, headers and cookies a streamed answer began with (HttpResponseStream.from), else null. */
  http: z
    .object({
      statusCode: z.number().int().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      cookies: z.array(z.string()).optional(),
    })
    .nullable(),
  /**
   * For a streamed text/event-stream answer only: what a browser's EventSource makes of its
   * body (events it dispatches, lines it ignores, a last event it drops).
   */
  serverSentEvents: ServerSentEventsSchema.optional(),
});
export type ResponseReport = z.infer<typeof ResponseReportSchema>;

export const InvocationReportSchema = z.object({
  functionName: z.string(),
  /** Invoke's HTTP status: 200 for a synchronous invocation, failed or not. */
  statusCode: z.union([z.literal(200), z.literal(202), z.literal(204)]),
  /** "Unhandled" when the function failed (Lambda's X-Amz-Function-Error), else null. */
  functionError: z.literal("Unhandled").nullable(),
  /**
   * The response (or error document) parsed as JSON; the raw text when it is not JSON. A
   * streamed answer's body, after its HTTP prelude (which is in response.http).
   */
  payload: z.json(),
  response: ResponseReportSchema,
  /** The invocation's log events: init output on a cold start, START, the function's lines, END, REPORT. */
  logs: z.array(z.string()),
  report: ReportSchema,
  coldStart: z.boolean(),
  sandbox: SandboxReportSchema.extend({
    /** The vCPUs the function had: memory / 1,769 MB, clamped to this host's. */
    cpuShare: z.number().positive(),
    /** Whether the share was cut to the host's CPUs. */
    clamped: z.boolean(),
  }),
  /** What really ran the function, with a warning when it is not the declared version. */
  runtime: InterpreterReportSchema,
});
export type InvocationReport = z.infer<typeof InvocationReportSchema>;

/** The report of a synchronous invocation (one that has a record: RequestResponse). */
export function invocationReport(functionName: string, result: InvokeResult): InvocationReport {
  const record = result.record;
  if (!record) throw new Error(`the invocation of ${functionName} has no record: not synchronous`);
  const streamed = record.response.streamed && result.functionError === undefined;
  const { prelude, body } =
    streamed && record.response.contentType === HTTP_INTEGRATION_CONTENT_TYPE
      ? splitPrelude(result.payload)
      : { prelude: null, body: result.payload };
  const contentType = prelude
    ? Object.entries(prelude.headers ?? {}).find(
        ([name]) => name.toLowerCase() === "content-type",
      )?.[1]
    : record.response.contentType;
  const serverSentEvents =
    streamed && isEventStream(contentType)
      ? checkServerSentEvents(body.toString("utf8"))
      : undefined;
  return {
    functionName,
    statusCode: result.statusCode,
    functionError: result.functionError ?? null,
    payload: parsedPayload(body),
    response: {
      streamed: record.response.streamed,
      ttfbMs: record.response.ttfbMs,
      durationMs:
        Math.round((record.report.durationMs + (record.report.initDurationMs ?? 0)) * 100) / 100,
      bytes: record.response.bytes,
      chunks: record.response.chunks,
      contentType: record.response.contentType,
      http: prelude && {
        ...(prelude.statusCode !== undefined ? { statusCode: prelude.statusCode } : {}),
        ...(prelude.headers ? { headers: { ...prelude.headers } } : {}),
        ...(prelude.cookies ? { cookies: [...prelude.cookies] } : {}),
      },
      ...(serverSentEvents ? { serverSentEvents } : {}),
    },
    logs: [...record.logs],
    report: record.report,
    coldStart: record.coldStart,
    sandbox: record.sandbox,
    runtime: interpreterReport(record.interpreter),
  };
}

/** A whole streamed answer split into the HTTP prelude it began with and its body. */
function splitPrelude(payload: Buffer): { prelude: HttpPrelude; body: Buffer } {
  const splitter = new PreludeSplitter();
  let prelude: HttpPrelude = {};
  const body: Buffer[] = [];
  for (const piece of [...splitter.push(payload), ...splitter.end()]) {
    if (piece.kind === "prelude") prelude = piece.prelude;
    else body.push(piece.bytes);
  }
  return { prelude, body: Buffer.concat(body) };
}

/** The payload as JSON when it is JSON, else its text (a custom runtime may answer anything). */
function parsedPayload(payload: Buffer): InvocationReport["payload"] {
  const text = payload.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
