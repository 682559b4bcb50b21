/**
 * managed-instances-thread-safety: on Lambda Managed Instances one execution
 * environment serves many requests at once. Node.js runs them concurrently
 * in each worker thread, sharing module state, so a handler that writes
 * module-level state races with itself, and a single database connection
 * kept there is shared by every request of the thread. Python runs each
 * concurrent request in its own process, one at a time (module state, and a
 * connection in it, is not shared) but the processes share /tmp, so a fixed
 * /tmp file name is the shared state there.
 */
import type { CallSite } from "../code/code-model.js";
import type { CodeRule } from "../code/code-rule.js";
import {
  type FunctionCode,
  handlerCalls,
  handlerStateWrites,
  handlerTmpWrites,
  initCalls,
  type Located,
} from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText, connectionOpened, singleConnectionFix } from "./code-patterns.js";

const HOW = { assign: "assigns", update: "updates", mutate: "mutates" } as const;
/** State no module declares that every request of a worker shares. */
const SHARED_GLOBALS = new Set(["globalThis", "global", "process.env"]);

export const managedInstancesThreadSafety: CodeRule = {
  meta: {
    id: "managed-instances-thread-safety",
    severity: "error",
    title: "Shared state written by concurrent requests on Lambda Managed Instances",
    rationale:
      "On Managed Instances an environment runs many requests at once; in Node.js they share module-level variables (and a database connection kept there), and in every runtime they share /tmp. A handler that writes them leaks data between requests or corrupts it; requests sharing one connection wait for each other and mix their transactions.",
    fix: "Keep per-request state in local variables (or AsyncLocalStorage), make shared caches safe to race on, use the database library's pool instead of one connection, and give /tmp files per-request names (include the request id).",
    docs: docsFor("managed-instances-thread-safety"),
  },
  check(fn) {
    const managed = fn.config.managedInstances;
    if (!managed || (managed.maxConcurrency !== undefined && managed.maxConcurrency <= 1))
      return [];
    const concurrency =
      managed.maxConcurrency === undefined
        ? "many requests (the runtime's default concurrency)"
        : `up to ${managed.maxConcurrency} requests`;
    // Python: per-request processes, so module state is private to each request.
    const stateWrites =
      fn.language === "javascript"
        ? handlerStateWrites(fn)
            .filter(({ item }) => !item.lazyInit)
            .map(({ module, item }) => ({
              file: module.file,
              position: item.position,
              message: `The handler ${HOW[item.how]} ${SHARED_GLOBALS.has(item.name) ? "the shared" : "module-level"} \`${item.name}\` while ${concurrency} run at once in the same worker thread and share it.`,
            }))
        : [];
    const sharedConnections =
      fn.language === "javascript"
        ? sharedSingleConnections(fn).map(({ module, item }) => ({
            file: module.file,
            position: item.position,
            message: `${callText(item)} keeps ${connectionOpened(item)} in module state, which ${concurrency} share at once in the same worker thread: their queries wait for each other on it, and one request's transaction (BEGIN … COMMIT) takes in the others' queries.`,
            fix: singleConnectionFix(item),
          }))
        : [];
    const tmpWrites = handlerTmpWrites(fn).map(({ module, item }) => ({
      file: module.file,
      position: item.position,
      message: `The handler writes the fixed file ${item.path} while ${concurrency} run at once in the same environment and share /tmp.`,
      fix: "Name the file per request (include the request id), or use tempfile/mkdtemp.",
    }));
    return [...stateWrites, ...sharedConnections, ...tmpWrites];
  },
};

/** Methods that close a connection: one closed at init is not kept for requests. */
const CLOSE_METHODS = new Set(["end", "close", "destroy"]);

/**
 * Single database connections kept for every request: opened at init (module
 * scope and what it calls) and not closed there, or stored lazily in module
 * state by the handler path (`client ??= new Client()`).
 */
function sharedSingleConnections(fn: FunctionCode): Located<CallSite>[] {
  const atInit = initCalls(fn);
  const closedAtInit = ({ module, item: opened }: Located<CallSite>) => {
    const index = module.calls.indexOf(opened);
    return atInit.some(
      ({ module: other, item: call }) =>
        other === module &&
        CLOSE_METHODS.has(call.name) &&
        call.receiver?.call === index &&
        call.receiver.path.length === 0,
    );
  };
  const kept = atInit.filter((opened) => !closedAtInit(opened));
  const keptAlready = new Set(kept.map(({ item }) => item));
  // A scope on both paths lists its calls twice: count each call once.
  const keptLazily = handlerCalls(fn).filter(({ item }) => item.cached && !keptAlready.has(item));
  return [...kept, ...keptLazily].filter(({ item }) => singleConnectionFix(item) !== undefined);
}
