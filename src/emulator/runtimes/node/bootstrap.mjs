// lambda-optimizer's Node.js runtime: loads the handler named by _HANDLER from
// LAMBDA_TASK_ROOT and serves invocations over the Lambda Runtime API, the way
// Lambda's managed nodejs runtimes do. Plain JavaScript with no dependencies,
// because it runs inside the sandbox as the function's own process.

import { existsSync, readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createRequire, register } from "node:module";
import { dirname, join, resolve } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const API = process.env.AWS_LAMBDA_RUNTIME_API;
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const HANDLER = process.env._HANDLER ?? "index.handler";
const JSON_LOGS = process.env.AWS_LAMBDA_LOG_FORMAT === "JSON";
const BASE = "/2018-06-01/runtime";
// Idle keep-alive sockets are unref'd by the agent, so they never keep the
// event loop alive: callbackWaitsForEmptyEventLoop depends on that.
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
const HTTP_INTEGRATION_TYPE = "application/vnd.awslambda.http-integration-response";

let currentRequestId;

// ---- never outlive the emulator -----------------------------------------------
// The runtime ends when whoever started it is gone: its parent changed (the
// emulator died and we were reparented), the Runtime API went away, or our
// output has nowhere to go. Nothing in here may log to a dead stdout and loop.
const OWNER_PID = Number(/^\d+-(\d+)-/.exec(process.env.LAMBDA_OPTIMIZER_OWNER ?? "")?.[1]);
const PARENT_PID = Number.isInteger(OWNER_PID) && OWNER_PID > 0 ? OWNER_PID : process.ppid;
const PARENT_CHECK_MS = 500;

function orphaned() {
  process.exit(129);
}
setInterval(() => {
  if (process.ppid !== PARENT_PID) orphaned();
}, PARENT_CHECK_MS).unref();
if (process.ppid !== PARENT_PID) orphaned();
// EPIPE and friends: the reader of our output is gone.
process.stdout.on("error", orphaned);
process.stderr.on("error", orphaned);

// ---- logging: Lambda's "timestamp\trequestId\tLEVEL\tmessage" lines -------
const LEVELS = {
  log: "INFO",
  info: "INFO",
  warn: "WARN",
  error: "ERROR",
  debug: "DEBUG",
  trace: "TRACE",
};
for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => writeLog(level, args);
}
console.fatal = (...args) => writeLog("FATAL", args);

function writeLog(level, args) {
  const timestamp = new Date().toISOString();
  if (JSON_LOGS) {
    const record = {
      timestamp,
      level,
      requestId: currentRequestId,
      message: args.length === 1 && typeof args[0] === "object" ? args[0] : format(...args),
    };
    process.stdout.write(`${JSON.stringify(record)}\n`);
    return;
  }
  // A multi-line message stays one log event, as in Lambda.
  const message = format(...args).replace(/\n/g, "\r");
  process.stdout.write(`${timestamp}\t${currentRequestId ?? "undefined"}\t${level}\t${message}\n`);
}

// ---- the Runtime API client ------------------------------------------------
const CONNECTION_LOST = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ECONNABORTED"]);

/**
 * A Runtime API call. A connection that fails is tried once more on a fresh
 * one (a keep-alive socket the server closed); if that fails too the API is
 * gone, and so is this runtime.
 */
async function call(method, path, options = {}) {
  try {
    return await callOnce(method, path, options);
  } catch (error) {
    if (!CONNECTION_LOST.has(error?.code)) throw error;
  }
  try {
    return await callOnce(method, path, options);
  } catch (error) {
    if (CONNECTION_LOST.has(error?.code)) orphaned();
    throw error;
  }
}

function callOnce(method, path, { body, headers = {} } = {}) {
  const [host, port] = API.split(":");
  return new Promise((resolvePromise, reject) => {
    const req = request({ host, port, method, path: BASE + path, agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () =>
        resolvePromise({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

function errorDocument(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || "Error",
      errorMessage: error.message,
      trace: String(error.stack ?? "").split("\n"),
    };
  }
  return {
    errorType: "string",
    errorMessage: typeof error === "string" ? error : (JSON.stringify(error) ?? String(error)),
    trace: [],
  };
}

async function postError(path, errorType, error) {
  const document = errorDocument(error);
  document.errorType = errorType ?? document.errorType;
  const body = JSON.stringify(document);
  await call("POST", path, {
    body,
    headers: {
      "Content-Type": "application/json",
      "Lambda-Runtime-Function-Error-Type": document.errorType,
    },
  });
}

async function failInit(errorType, error) {
  const document = errorDocument(error);
  writeLog("ERROR", [`Uncaught Exception \t${JSON.stringify({ ...document, errorType })}`]);
  await postError("/init/error", errorType, error).catch(() => {});
  process.exit(129);
}

// ---- NODE_PATH for ESM too ---------------------------------------------------
// The runtime's AWS SDK is on NODE_PATH, after the function's own node_modules,
// as on Lambda. require() reads NODE_PATH; import needs this hook to do the same.
const NODE_PATH_FOLDERS = (process.env.NODE_PATH ?? "").split(":").filter(Boolean);
if (NODE_PATH_FOLDERS.length > 0) {
  register("./node-path-hook.mjs", import.meta.url, { data: { folders: NODE_PATH_FOLDERS } });
}

// ---- loading the handler ----------------------------------------------------
// The same file choice, module system and error types as AWS's runtime interface
// client: an extensionless file first (always CommonJS), then `.js` (CommonJS
// unless the nearest package.json says "type": "module"), `.mjs`, `.cjs`, and
// last Node's own resolution (a folder's index.js, a package in node_modules).
const requireFromTaskRoot = createRequire(resolve(TASK_ROOT, "noop.js"));

class ImportModuleError extends Error {
  name = "Runtime.ImportModuleError";
}
class HandlerNotFound extends Error {
  name = "Runtime.HandlerNotFound";
}
class MalformedHandlerName extends Error {
  name = "Runtime.MalformedHandlerName";
}
class UserCodeSyntaxError extends Error {
  name = "Runtime.UserCodeSyntaxError";
}

/** "src/app.handlers.main" -> folder "src/", module "app", export path "handlers.main". */
function splitHandler(handler) {
  // Lambda refuses any "..", not only a path that climbs out of the task root.
  if (handler.includes("..")) {
    throw new MalformedHandlerName(
      `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const folder = handler.slice(0, handler.lastIndexOf("/") + 1);
  const name = handler.slice(folder.length);
  const dot = name.indexOf(".");
  if (dot < 0) throw new MalformedHandlerName("Bad handler");
  return { folder, module: name.slice(0, dot), exportPath: name.slice(dot + 1) };
}

/** Whether the nearest package.json above `folder` (not past node_modules) says "type": "module". */
function inModulePackage(folder) {
  for (let current = folder; ; current = dirname(current)) {
    if (current.endsWith("/node_modules")) return false;
    const manifest = join(current, "package.json");
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, "utf8"))?.type === "module";
      } catch (error) {
        console.warn(
          `${manifest} cannot be read; it is ignored when deciding the module system.`,
          error,
        );
        return false;
      }
    }
    if (current === dirname(current)) return false;
  }
}

const importFile = async (file) => import(pathToFileURL(file).href);

async function loadModule({ folder, module }) {
  const base = resolve(TASK_ROOT, folder, module);
  if (existsSync(base)) return requireFromTaskRoot(base);
  const esm = inModulePackage(dirname(base));
  const candidates = [
    [".js", esm ? importFile : requireFromTaskRoot],
    [".mjs", importFile],
    [".cjs", requireFromTaskRoot],
  ];
  for (const [extension, load] of candidates) {
    if (existsSync(base + extension)) return load(base + extension);
  }
  const resolved = requireFromTaskRoot.resolve(module, {
    paths: [TASK_ROOT, resolve(TASK_ROOT, folder)],
  });
  return requireFromTaskRoot(resolved);
}

async function loadHandler() {
  const parts = splitHandler(HANDLER);
  let loaded;
  try {
    loaded = await loadModule(parts);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(String(error));
    if (error?.code === "MODULE_NOT_FOUND" || error?.code === "ERR_MODULE_NOT_FOUND") {
      throw new ImportModuleError(`${error.name}: ${error.message}`);
    }
    throw error; // the module's own init code threw: reported with its own type
  }
  // module.exports = { default: fn } reached by require answers "file.default", as on Lambda.
  const value = parts.exportPath.split(".").reduce((nested, key) => nested?.[key], loaded);
  if (!value) {
    throw new HandlerNotFound(`${HANDLER} is undefined or not exported`);
  }
  if (typeof value !== "function") throw new HandlerNotFound(`${HANDLER} is not a function`);
  return value;
}

// ---- awslambda globals: response streaming ---------------------------------
globalThis.awslambda = {
  streamifyResponse(handler, options) {
    handler[STREAMING] = options ?? true;
    return handler;
  },
  HttpResponseStream: {
    from(stream, metadata) {
      stream.setContentType?.(HTTP_INTEGRATION_TYPE);
      stream.write(JSON.stringify(metadata ?? {}));
      stream.write(Buffer.alloc(8)); // eight null bytes end the prelude
      return stream;
    },
  },
};

// ---- one invocation -----------------------------------------------------------
function makeContext(headers, state) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"]);
  const context = {
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error, result) => state.finish(error, result),
    succeed: (result) => state.finish(null, result),
    fail: (error) => state.finish(error ?? "handled"),
  };
  if (headers["lambda-runtime-client-context"])
    context.clientContext = JSON.parse(headers["lambda-runtime-client-context"]);
  if (headers["lambda-runtime-cognito-identity"])
    context.identity = JSON.parse(headers["lambda-runtime-cognito-identity"]);
  return context;
}

/** Run a buffered (non-streaming) handler: async, callback, or both. */
function runBuffered(handler, event, headers) {
  return new Promise((settle) => {
    let settled = false;
    const state = {
      finish(error, result) {
        if (settled) return;
        settled = true;
        const outcome = error !== null && error !== undefined ? { error } : { result };
        // A callback handler's response waits for the event loop to empty, as in Lambda.
        if (context.callbackWaitsForEmptyEventLoop && usesCallback)
          process.once("beforeExit", () => settle(outcome));
        else settle(outcome);
      },
    };
    const context = makeContext(headers, state);
    const usesCallback = handler.length >= 3;
    try {
      const returned = handler(event, context, (error, result) => state.finish(error, result));
      if (returned && typeof returned.then === "function") {
        returned.then(
          (result) => state.finish(null, result),
          (error) => state.finish(error ?? new Error("rejected")),
        );
      } else if (!usesCallback) {
        state.finish(null, returned);
      }
    } catch (error) {
      state.finish(error);
    }
  });
}

async function runStreaming(handler, event, headers, requestId) {
  const [host, port] = API.split(":");
  let contentType = "application/octet-stream";
  let upstream;
  let finished;
  const open = () => {
    if (upstream) return upstream;
    upstream = request({
      host,
      port,
      method: "POST",
      path: `${BASE}/invocation/${requestId}/response`,
      agent,
      headers: {
        "Content-Type": contentType,
        "Lambda-Runtime-Function-Response-Mode": "streaming",
        "Transfer-Encoding": "chunked",
        Trailer: "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
      },
    });
    finished = new Promise((resolvePromise, reject) => {
      upstream.on("response", (res) => {
        res.resume();
        res.on("end", resolvePromise);
      });
      upstream.on("error", reject);
    });
    return upstream;
  };
  const responseStream = new Writable({
    write(chunk, _encoding, callback) {
      open().write(chunk, callback);
    },
    final(callback) {
      open().end();
      callback();
    },
  });
  responseStream.setContentType = (type) => {
    contentType = type;
  };
  const context = makeContext(headers, { finish() {} });
  try {
    await handler(event, responseStream, context);
    if (!responseStream.writableEnded) responseStream.end();
    await new Promise((resolvePromise) =>
      responseStream.on("finish", resolvePromise).once("close", resolvePromise),
    );
    if (!upstream) open().end();
    await finished;
  } catch (error) {
    const document = errorDocument(error);
    open();
    upstream.addTrailers({
      "Lambda-Runtime-Function-Error-Type": document.errorType,
      "Lambda-Runtime-Function-Error-Body": Buffer.from(JSON.stringify(document)).toString(
        "base64",
      ),
    });
    upstream.end();
    await finished.catch(() => {});
  }
}

// An error thrown outside the handler's promise chain ends the environment, as in Lambda.
let crashing = false;
function crash(errorType, error) {
  // one crash only: a second error while reporting the first must not start another
  if (crashing) return;
  crashing = true;
  const document = { ...errorDocument(error), errorType };
  writeLog("ERROR", [
    `${errorType === "Runtime.UnhandledPromiseRejection" ? "Unhandled Promise Rejection" : "Uncaught Exception"} \t${JSON.stringify(document)}`,
  ]);
  const path = currentRequestId ? `/invocation/${currentRequestId}/error` : "/init/error";
  postError(path, errorType, error).finally(() => process.exit(129));
}
process.on("uncaughtException", (error) => crash(error?.name ?? "Error", error));
process.on("unhandledRejection", (reason) =>
  crash(
    "Runtime.UnhandledPromiseRejection",
    reason instanceof Error ? reason : new Error(String(reason)),
  ),
);

async function serve(handler) {
  for (;;) {
    const next = await call("GET", "/invocation/next");
    const headers = next.headers;
    const requestId = headers["lambda-runtime-aws-request-id"];
    currentRequestId = requestId;
    process.env._X_AMZN_TRACE_ID = headers["lambda-runtime-trace-id"] ?? "";
    let event;
    try {
      event = JSON.parse(next.body.toString("utf8") || "{}");
    } catch (error) {
      await postError(`/invocation/${requestId}/error`, "Runtime.UnmarshalError", error);
      continue;
    }
    if (handler[STREAMING]) {
      await runStreaming(handler, event, headers, requestId);
    } else {
      const outcome = await runBuffered(handler, event, headers);
      if ("error" in outcome) {
        await postError(`/invocation/${requestId}/error`, undefined, outcome.error);
      } else {
        let body;
        try {
          body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
        } catch (error) {
          await postError(`/invocation/${requestId}/error`, "Runtime.MarshalError", error);
          continue;
        }
        await call("POST", `/invocation/${requestId}/response`, {
          body,
          headers: { "Content-Type": "application/json" },
        });
      }
    }
    currentRequestId = undefined;
  }
}

if (!API) {
  process.stderr.write("AWS_LAMBDA_RUNTIME_API is not set\n");
  process.exit(1);
}

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  await failInit(
    error?.name?.startsWith("Runtime.") ? error.name : (error?.name ?? "Error"),
    error,
  );
}
await serve(handler);
