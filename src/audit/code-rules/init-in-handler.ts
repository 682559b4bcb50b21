/**
 * init-in-handler: an AWS SDK client or a database/HTTP connection created on
 * every invocation. Each new client resolves credentials and opens new TLS
 * connections; each new pool reconnects. Created once at module scope, they
 * are reused by every invocation the environment serves.
 */
import type { CodeRule } from "../code/code-rule.js";
import { handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText, connectionOpened, customResourceHandler, isAwsClient } from "./code-patterns.js";

export const initInHandler: CodeRule = {
  meta: {
    id: "init-in-handler",
    severity: "warning",
    title: "SDK client or connection created on every invocation",
    rationale:
      "A client or pool created inside the handler pays credential resolution, TLS handshakes and connection setup on every request instead of once per execution environment.",
    fix: "Create the client or pool once at module scope (outside the handler), or lazily into a module-level variable, and reuse it.",
    docs: docsFor("init-in-handler"),
  },
  check(fn) {
    // A custom-resource handler runs once per deploy: nothing per-request to save.
    if (customResourceHandler(fn) !== undefined) return [];
    return handlerCalls(fn).flatMap(({ module, item: call }) => {
      if (call.cached) return [];
      const what = isAwsClient(fn, call) ? "an AWS SDK client" : connectionOpened(call);
      if (!what) return [];
      return [
        {
          file: module.file,
          position: call.position,
          message: `${callText(call)} creates ${what} on every invocation: move it to module scope so warm invocations reuse it.`,
        },
      ];
    });
  },
};
