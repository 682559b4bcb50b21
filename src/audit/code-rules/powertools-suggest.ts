/**
 * powertools-suggest: once per function, what Powertools for AWS Lambda
 * would give it that it lacks — structured logs, metrics as EMF (no API
 * call), and idempotency for a function fed by SQS or streams, where a batch
 * can be delivered twice.
 */
import type { CodeLanguage } from "../code/code-model.js";
import type { CodeRule } from "../code/code-rule.js";
import { FILE_START } from "../code/code-rule.js";
import { type FunctionCode, importsAny } from "../code/function-code.js";
import { docsFor } from "../rule.js";

interface Utility {
  readonly what: string;
  /** Imports that already do it, per language (Powertools or an equivalent). */
  readonly satisfiedBy: Record<CodeLanguage, readonly string[]>;
  readonly suggestion: Record<CodeLanguage, string>;
  /** Python's Powertools exports the utility from the package root too: `from aws_lambda_powertools import Logger`. */
  readonly pythonRootName?: string;
}

const LOGGING: Utility = {
  what: "structured logging",
  satisfiedBy: {
    javascript: ["@aws-lambda-powertools/logger", "pino", "winston", "bunyan", "lambda-log"],
    python: ["aws_lambda_powertools.logging", "structlog", "loguru"],
  },
  suggestion: {
    javascript: "@aws-lambda-powertools/logger",
    python: "aws_lambda_powertools Logger",
  },
  pythonRootName: "Logger",
};

const METRICS: Utility = {
  what: "metrics as Embedded Metric Format",
  satisfiedBy: {
    javascript: ["@aws-lambda-powertools/metrics", "aws-embedded-metrics"],
    python: ["aws_lambda_powertools.metrics", "aws_embedded_metrics"],
  },
  suggestion: {
    javascript: "@aws-lambda-powertools/metrics",
    python: "aws_lambda_powertools Metrics",
  },
  pythonRootName: "Metrics",
};

const IDEMPOTENCY: Utility = {
  what: "idempotency (SQS and stream batches can be delivered more than once)",
  satisfiedBy: {
    javascript: ["@aws-lambda-powertools/idempotency"],
    python: ["aws_lambda_powertools.utilities.idempotency"],
  },
  suggestion: {
    javascript: "@aws-lambda-powertools/idempotency",
    python: "aws_lambda_powertools.utilities.idempotency",
  },
};

function uses(fn: FunctionCode, utility: Utility): boolean {
  if (importsAny(fn, utility.satisfiedBy[fn.language])) return true;
  const rootName = utility.pythonRootName;
  if (rootName === undefined) return false;
  // `from aws_lambda_powertools import Logger`, or `import aws_lambda_powertools` and a call to it.
  const qualified = `aws_lambda_powertools.${rootName}`;
  return fn.modules.some(
    (module) =>
      module.imports.some(
        (entry) =>
          entry.specifier === "aws_lambda_powertools" &&
          [...entry.names.values()].includes(rootName),
      ) || module.calls.some((call) => call.qualifiedName === qualified),
  );
}

export const powertoolsSuggest: CodeRule = {
  meta: {
    id: "powertools-suggest",
    severity: "info",
    title: "Powertools for AWS Lambda utilities the function lacks",
    rationale:
      "Structured logs are searchable with CloudWatch Logs Insights, EMF metrics cost no API call, and idempotency keeps a redelivered SQS or stream batch from being processed twice.",
    fix: "Add the Powertools for AWS Lambda utilities named in the finding (https://docs.powertools.aws.dev/lambda/).",
    docs: docsFor("powertools-suggest"),
  },
  check(fn) {
    const entry = fn.modules[0];
    if (!entry) return [];
    const wanted = [
      LOGGING,
      METRICS,
      ...(fn.config.triggers.polled.length > 0 ? [IDEMPOTENCY] : []),
    ];
    const missing = wanted.filter((utility) => !uses(fn, utility));
    if (missing.length === 0) return [];
    return [
      {
        file: entry.file,
        position: fn.handlerSite?.module === entry ? fn.handlerSite.exported.position : FILE_START,
        message: `No ${missing.map((utility) => utility.what).join(", no ")}: consider ${missing.map((utility) => utility.suggestion[fn.language]).join(", ")}.`,
      },
    ];
  },
};
