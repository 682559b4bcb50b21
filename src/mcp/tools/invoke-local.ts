/**
 * The `invoke_local` tool: one invocation of a handler, or of a template's
 * function, on a fresh embedded emulator (invokeLocal): the response, the
 * logs and the REPORT. Always allowed: nothing deployed changes, and the
 * function gets no AWS credentials unless `target.awsAccess` says so.
 */
import { invokeLocalChecked } from "../../api/invoke-local.js";
import { InvokeLocalOptionsSchema } from "../../api/invoke-local-options.js";
import { type InvocationReport, InvocationReportSchema } from "../../emulator/invocation-report.js";
import {
  describeInvocationReport,
  describeStreamedResponse,
} from "../../report/invocation-text.js";
import { defineTool } from "../tool.js";

/** The longest response the text summary quotes; the structured result has it whole. */
const RESPONSE_SHOWN = 500;

export const invokeLocalTool = defineTool({
  name: "invoke_local",
  title: "Invoke a function once on the local emulator",
  description:
    "Run a Lambda handler once on this machine, on an embedded Lambda emulator that limits CPU " +
    "in proportion to memory as Lambda does (1,769 MB = one vCPU). Use it to check that a " +
    "handler runs, to see its response and logs, or to read one invocation's REPORT (duration, " +
    "billed duration, max memory used, init duration) at a memory size before tuning. " +
    '`target`: {"handler": "src/app.mjs:handler"} (Node.js, TypeScript, Python, or a bootstrap), ' +
    'or {"template": "template.yaml", "function": "LogicalId"}; with optional `env` (variables ' +
    "over the function's own), `awsAccess` (the function gets no AWS credentials by default) and " +
    "`sandbox`. `payload`: the event as JSON (default {}), or `payloadFile`. `memoryMb` and " +
    "`timeoutSeconds` default to the template's, else 128 MB and 3 s. A function that throws is " +
    'a result with functionError "Unhandled", not a tool error. Nothing deployed is touched.',
  input: InvokeLocalOptionsSchema,
  output: InvocationReportSchema,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(input, context) {
    const report = await invokeLocalChecked(input, {
      onWarning: (warning) => void context.log("warning", warning),
      onEmulatorProgress: (line) => void context.log("info", line),
      // A cancelled call stops the function's processes before the tool answers.
      signal: context.signal,
    });
    return { structured: report, summary: invocationSummary(report) };
  },
});

function invocationSummary(document: InvocationReport): string {
  const payload =
    typeof document.payload === "string" ? document.payload : JSON.stringify(document.payload);
  const shown =
    payload.length > RESPONSE_SHOWN ? `${payload.slice(0, RESPONSE_SHOWN)}… (cut)` : payload;
  const streamed = describeStreamedResponse(document);
  const lines = [
    `${document.functionError ? `Function error (${document.functionError})` : "Response"}: ${shown}`,
    describeInvocationReport(document),
    ...(streamed ? [streamed] : []),
    `${document.logs.length} log lines (in the structured result's logs)`,
  ];
  if (document.runtime.warning) lines.push(`warning: ${document.runtime.warning}`);
  return lines.join("\n");
}
