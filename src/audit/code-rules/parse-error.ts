/** parse-error: a source file of the function that does not parse. The code rules could not read all of it; the run goes on. */
import type { CodeRule } from "../code/code-rule.js";
import { docsFor } from "../rule.js";

export const parseError: CodeRule = {
  meta: {
    id: "parse-error",
    severity: "info",
    title: "Source file that does not parse",
    rationale:
      "The code rules read what the parser recovered from this file; findings in it may be missing. Lambda would fail to load the file the same way if it is on the handler's path.",
    fix: "Fix the syntax error (or, for a runtime-specific syntax the parser does not know, suppress this finding).",
    docs: docsFor("parse-error"),
  },
  check(fn) {
    return fn.modules.flatMap((module) =>
      module.parseError
        ? [
            {
              file: module.file,
              position: module.parseError.position,
              message: `${module.language === "python" ? "Python" : "JavaScript/TypeScript"} syntax error: ${module.parseError.message}`,
            },
          ]
        : [],
    );
  },
};
