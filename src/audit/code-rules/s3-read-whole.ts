/**
 * s3-read-whole: an S3 GetObject whose body the handler reads whole into
 * memory — boto3 `get_object(...)["Body"].read()`, SDK v3
 * `Body.transformToString()`/`transformToByteArray()`, SDK v2
 * `getObject(...).promise()` (v2 buffers the body itself). An object larger
 * than the function's memory fails the invocation, and a large one forces a
 * memory size chosen for the biggest object rather than for the work.
 * Streamed bodies (iterated, piped, read in chunks) are not reported.
 */
import { formatNumber } from "../../format.js";
import type { CodeRule } from "../code/code-rule.js";
import { type FunctionCode, handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText } from "./code-patterns.js";
import { s3WholeBodyRead } from "./s3-whole-body-read.js";

const FIXES = {
  javascript:
    "Process Body as a Readable stream: `for await (const line of createInterface({ input: Body }))` (node:readline), or `await pipeline(Body, transform, destination)` (node:stream/promises). Or ask for a byte Range.",
  python:
    "Iterate the body (`for line in body.iter_lines()`, `iter_chunks()`), or use Powertools' streaming utility: `from aws_lambda_powertools.utilities.streaming import S3Object`, which reads in chunks and can decompress and parse CSV or JSON lines. Or ask for a byte Range.",
} as const;

/** The function's memory size when the template says it (or leaves Lambda's default). */
function memory(fn: FunctionCode): string {
  const memoryMb = fn.config.memoryMb;
  return memoryMb === undefined ? "" : ` (${formatNumber(memoryMb, 0)} MB)`;
}

export const s3ReadWhole: CodeRule = {
  meta: {
    id: "s3-read-whole",
    severity: "info",
    title: "S3 object read whole into memory",
    rationale:
      "A GetObject body read whole needs memory for the whole object (and more while it is decoded): an object larger than the function's memory fails the invocation, and the memory size must be set for the largest object, billed for every millisecond. Streaming keeps memory to a chunk; it matters most at low memory sizes.",
    fix: "Stream the body: Powertools' streaming utility (Python, `aws_lambda_powertools.utilities.streaming.S3Object`) or `iter_lines()`/`iter_chunks()`; in Node.js, process Body as a Readable stream (node:readline, node:stream/promises pipeline).",
    docs: docsFor("s3-read-whole"),
  },
  check(fn) {
    return handlerCalls(fn).flatMap(({ module, item: call }) => {
      const how = s3WholeBodyRead(fn, module, call);
      if (how === undefined) return [];
      return [
        {
          file: module.file,
          position: call.position,
          message: `${callText(call)} ${how}: an object larger than the function's memory${memory(fn)} fails the invocation, and the lower the memory size, the smaller that object. Stream it instead.`,
          fix: FIXES[fn.language],
        },
      ];
    });
  },
};
