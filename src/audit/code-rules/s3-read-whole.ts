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
import type { CallSite, CodeModule, ValueOrigin } from "../code/code-model.js";
import type { CodeRule } from "../code/code-rule.js";
import { type FunctionCode, handlerCalls, importsAny } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText } from "./code-patterns.js";

const GET_OBJECT_COMMAND = "@aws-sdk/client-s3.GetObjectCommand";
/** SDK v3 body methods that collect the whole stream. */
const WHOLE_BODY_METHODS = new Set(["transformToString", "transformToByteArray"]);

/** A byte range asks for a bounded part of the object: reading that whole is fine. */
const RANGE_KEY = "Range";

const FIXES = {
  javascript:
    "Process Body as a Readable stream: `for await (const line of createInterface({ input: Body }))` (node:readline), or `await pipeline(Body, transform, destination)` (node:stream/promises). Or ask for a byte Range.",
  python:
    "Iterate the body (`for line in body.iter_lines()`, `iter_chunks()`), or use Powertools' streaming utility: `from aws_lambda_powertools.utilities.streaming import S3Object`, which reads in chunks and can decompress and parse CSV or JSON lines. Or ask for a byte Range.",
} as const;

function callAt(module: CodeModule, origin: ValueOrigin | undefined): CallSite | undefined {
  return origin === undefined ? undefined : module.calls[origin.call];
}

function isMethod(call: CallSite, name: string): boolean {
  return call.name === name && call.callee !== call.name;
}

/** The value itself (path []), not a member of it. */
function whole(origin: ValueOrigin | undefined): ValueOrigin | undefined {
  return origin?.path.length === 0 ? origin : undefined;
}

/** Whether a call is an S3 GetObject of the whole object (no byte Range). */
function isGetObject(fn: FunctionCode, module: CodeModule, fetched: CallSite): boolean {
  if (fn.language === "python") {
    if (!importsAny(fn, ["boto3"])) return false;
    // client.get_object(...), or the resource API: s3.Object(bucket, key).get()
    const made = isMethod(fetched, "get") ? callAt(module, whole(fetched.receiver)) : undefined;
    const isGet = isMethod(fetched, "get_object") || made?.name === "Object";
    return isGet && !fetched.argumentKeys?.includes(RANGE_KEY);
  }
  // v3: client.send(new GetObjectCommand({...})), the command written there or held in a name.
  if (isMethod(fetched, "send")) {
    const command = callAt(module, whole(fetched.argumentOrigins?.[0] ?? undefined));
    return (
      command?.kind === "new" &&
      command.qualifiedName === GET_OBJECT_COMMAND &&
      !command.objectArgumentKeys?.[0]?.includes(RANGE_KEY)
    );
  }
  // v3 aggregated client: new S3({}).getObject({...})
  return (
    isMethod(fetched, "getObject") &&
    importsAny(fn, ["@aws-sdk/client-s3"]) &&
    !fetched.argumentKeys?.includes(RANGE_KEY)
  );
}

/** How the body is read whole, in the message; undefined when the call does not read one. */
function wholeBodyRead(fn: FunctionCode, module: CodeModule, call: CallSite): string | undefined {
  const onBody = call.receiver?.path.length === 1 && call.receiver.path[0] === "Body";
  const fetched = callAt(module, call.receiver);
  const readsWhole =
    fn.language === "python"
      ? // read(amt) reads a chunk; read() the rest of the body, which is all of it.
        call.name === "read" && call.argumentCount === 0
      : WHOLE_BODY_METHODS.has(call.name);
  if (onBody && readsWhole && fetched && isGetObject(fn, module, fetched)) {
    return "reads an S3 object's whole body into memory";
  }
  // SDK v2: getObject(...).promise() resolves once the whole body is in a Buffer.
  if (
    fn.language === "javascript" &&
    isMethod(call, "promise") &&
    fetched !== undefined &&
    call.receiver!.path.length === 0 &&
    isMethod(fetched, "getObject") &&
    !fetched.argumentKeys?.includes(RANGE_KEY) &&
    importsAny(fn, ["aws-sdk"])
  ) {
    return "fetches an S3 object with SDK v2, which buffers the whole body in memory";
  }
  return undefined;
}

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
      const how = wholeBodyRead(fn, module, call);
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
