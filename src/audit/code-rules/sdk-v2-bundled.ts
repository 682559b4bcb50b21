/**
 * sdk-v2-bundled: a Node.js function that depends on, ships or imports the
 * AWS SDK for JavaScript v2 (`aws-sdk`). It is past end-of-support, and its
 * single package is large, which slows every cold start.
 */

import type { CodePosition } from "../code/code-model.js";
import type { CodeFinding, CodeRule } from "../code/code-rule.js";
import { FILE_START } from "../code/code-rule.js";
import { docsFor } from "../rule.js";

const SDK_V2 = "aws-sdk";
/** npm's unpackedSize of aws-sdk 2.1692.0 (the last v2 release) is 98,158,637 bytes, before its own dependencies. */
const UNPACKED_MB = 98;

const fix =
  "Move to the modular AWS SDK for JavaScript v3: import only the clients the function uses (`@aws-sdk/client-s3`, `@aws-sdk/client-dynamodb`...). The nodejs18.x and later runtimes include v3, so it need not be bundled; remove `aws-sdk` from package.json.";

export const sdkV2Bundled: CodeRule = {
  meta: {
    id: "sdk-v2-bundled",
    severity: "warning",
    title: "Node.js function uses the AWS SDK for JavaScript v2",
    rationale: `The v2 SDK (aws-sdk) reached end-of-support on 2025-09-08 (maintenance mode since 2024-09-08): no more fixes or new service APIs. It is one package of about ${UNPACKED_MB} MB unpacked, which the function must bundle (no Node.js 18+ runtime includes it) and load, so cold starts are slower than with v3's per-service clients.`,
    fix,
    docs: docsFor("sdk-v2-bundled"),
  },
  check(fn) {
    if (fn.language !== "javascript") return [];
    const findings: CodeFinding[] = [];
    const seen = new Set<string>();
    const report = (file: string, position: CodePosition, message: string) => {
      const key = `${file}:${position.line}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({ file, position, message, fix });
    };

    const packageJson = fn.package.packageJson;
    for (const dependency of packageJson?.dependencies ?? []) {
      if (dependency.name !== SDK_V2) continue;
      report(
        packageJson!.file,
        { line: dependency.line, column: 1 },
        `package.json depends on aws-sdk ${dependency.range} (the AWS SDK for JavaScript v2): it is past end-of-support and adds about ${UNPACKED_MB} MB unpacked to the package, slowing cold starts.`,
      );
    }

    const installed = fn.package.installed.find((pkg) => pkg.name === SDK_V2);
    if (installed) {
      report(
        installed.packageJson,
        FILE_START,
        `The package ships node_modules/aws-sdk${installed.version ? ` ${installed.version}` : ""} (the AWS SDK for JavaScript v2): it is past end-of-support and adds about ${UNPACKED_MB} MB unpacked to the package, slowing cold starts.`,
      );
    }

    for (const module of fn.modules) {
      for (const entry of module.imports) {
        if (entry.specifier !== SDK_V2 && !entry.specifier.startsWith(`${SDK_V2}/`)) continue;
        report(
          module.file,
          entry.position,
          `Imports "${entry.specifier}" (the AWS SDK for JavaScript v2), which is past end-of-support and loads a large SDK at cold start; v3's per-service clients load only what is used.`,
        );
      }
    }
    return findings;
  },
};
