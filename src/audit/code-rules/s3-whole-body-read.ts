/**
 * An S3 GetObject body read whole into memory: boto3
 * `get_object(...)["Body"].read()` (or `s3.Object(...).get()["Body"].read()`),
 * SDK v3 `Body.transformToString()`/`transformToByteArray()`, SDK v2
 * `getObject(...).promise()` (v2 buffers the body itself). A GetObject with a
 * byte Range asks for a bounded part and is not one. Shared by s3-read-whole
 * (memory) and streaming-candidate (an object returned whole is a response
 * to stream).
 */
import type { CallSite, CodeModule, ValueOrigin } from "../code/code-model.js";
import { type FunctionCode, importsAny } from "../code/function-code.js";

const GET_OBJECT_COMMAND = "@aws-sdk/client-s3.GetObjectCommand";
/** SDK v3 body methods that collect the whole stream. */
const WHOLE_BODY_METHODS = new Set(["transformToString", "transformToByteArray"]);

/** A byte range asks for a bounded part of the object: reading that whole is fine. */
const RANGE_KEY = "Range";

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

/** How the body is read whole, in a message; undefined when the call does not read one. */
export function s3WholeBodyRead(
  fn: FunctionCode,
  module: CodeModule,
  call: CallSite,
): string | undefined {
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
