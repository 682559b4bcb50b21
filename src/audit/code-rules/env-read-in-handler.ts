/**
 * env-read-in-handler: environment variables read inside the handler. The
 * environment is fixed for the life of an execution environment; reading and
 * validating it once at init fails fast at deploy time (an init error) rather
 * than on some request, and keeps the handler to the request's work.
 */
import type { CodeRule } from "../code/code-rule.js";
import { handlerEnvReads } from "../code/function-code.js";
import { docsFor } from "../rule.js";

export const envReadInHandler: CodeRule = {
  meta: {
    id: "env-read-in-handler",
    severity: "info",
    title: "Environment variables read inside the handler",
    rationale:
      "Environment variables cannot change during an environment's life. Read and validated once at module load, a missing one fails at init, visibly, instead of on a request.",
    fix: "Read environment variables at module scope, validate them there (e.g. with a schema), and use the constants in the handler.",
    docs: docsFor("env-read-in-handler"),
  },
  check(fn) {
    // One finding per function body that reads them, at its first read.
    const byScope = new Map<string, ReturnType<typeof handlerEnvReads>>();
    for (const read of handlerEnvReads(fn)) {
      const key = `${read.module.file}\0${read.item.scope}`;
      byScope.set(key, [...(byScope.get(key) ?? []), read]);
    }
    return [...byScope.values()].map((reads) => {
      const names = [
        ...new Set(reads.flatMap(({ item }) => (item.variable ? [item.variable] : []))),
      ];
      const first = reads[0]!;
      return {
        file: first.module.file,
        position: first.item.position,
        message: `The handler reads ${reads.length === 1 ? "an environment variable" : `${reads.length} environment variables`}${names.length > 0 ? ` (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""})` : ""} on every invocation.`,
      };
    });
  },
};
