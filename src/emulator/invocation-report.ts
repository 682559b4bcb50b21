/**
 * One invocation as a person or a program reads it: the response, the logs,
 * the REPORT figures, and how the sandbox limited it. `invoke --json` prints
 * this report; the CLI only renders it.
 */
import { z } from "zod";
import { ReportSchema } from "../lambda/report-line.js";
import type { InvokeResult } from "./emulator.js";
import { InterpreterReportSchema, interpreterReport } from "./runtimes/interpreter.js";
import { SandboxReportSchema } from "./sandbox/index.js";

export const InvocationReportSchema = z.object({
  functionName: z.string(),
  /** Invoke's HTTP status: 200 for a synchronous invocation, failed or not. */
  statusCode: z.union([z.literal(200), z.literal(202), z.literal(204)]),
  /** "Unhandled" when the function failed (Lambda's X-Amz-Function-Error), else null. */
  functionError: z.literal("Unhandled").nullable(),
  /** The response (or error document) parsed as JSON; the raw text when it is not JSON. */
  payload: z.json(),
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
  return {
    functionName,
    statusCode: result.statusCode,
    functionError: result.functionError ?? null,
    payload: parsedPayload(result.payload),
    logs: [...record.logs],
    report: record.report,
    coldStart: record.coldStart,
    sandbox: record.sandbox,
    runtime: interpreterReport(record.interpreter),
  };
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
