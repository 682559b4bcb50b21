/**
 * config-in-handler: configuration fetched or parsed on every invocation —
 * SSM Parameter Store, Secrets Manager or AppConfig read with no cache, or a
 * config file read and parsed. Each call adds latency (and, for Secrets
 * Manager and AppConfig, cost) to every request for a value that rarely
 * changes.
 */
import type { CodeRule } from "../code/code-rule.js";
import { handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import {
  callText,
  configRead,
  isConfigParser,
  isFileRead,
  namesConfigFile,
  namesOtherFile,
} from "./code-patterns.js";

export const configInHandler: CodeRule = {
  meta: {
    id: "config-in-handler",
    severity: "warning",
    title: "Configuration fetched on every invocation",
    rationale:
      "Reading SSM parameters, secrets or AppConfig (or parsing a config file) in the handler adds an API round trip, and API charges, to every request for a value that changes rarely.",
    fix: "Read it once at init into a module-level variable, or cache it with a time to live: Powertools Parameters (`getParameter`/`get_parameter` cache for 5 s by default; set `maxAge`/`max_age`), or `functools.lru_cache` in Python.",
    docs: docsFor("config-in-handler"),
  },
  check(fn) {
    const calls = handlerCalls(fn).filter(({ item }) => !item.cached);
    // A scope that parses configuration text: its file reads are config reads.
    const parsingScopes = new Set(
      calls
        .filter(({ item }) => isConfigParser(item))
        .map(({ module, item }) => `${module.file}\0${item.scope}`),
    );
    return calls.flatMap(({ module, item: call }) => {
      const service = configRead(fn, call);
      if (service) {
        return [
          {
            file: module.file,
            position: call.position,
            message: `${callText(call)} reads ${service} on every invocation, with no cache.`,
          },
        ];
      }
      if (
        isFileRead(call) &&
        (namesConfigFile(call) ||
          // A parser in the same body (often JSON.parse(event.body)) makes an unnamed read a
          // config read, not one of a file named as something else (template.html).
          (!namesOtherFile(call) && parsingScopes.has(`${module.file}\0${call.scope}`)))
      ) {
        return [
          {
            file: module.file,
            position: call.position,
            message: `${callText(call)} reads and parses a configuration file on every invocation; the file cannot change while the environment lives.`,
            fix: "Read and parse it once at module scope.",
          },
        ];
      }
      return [];
    });
  },
};
