/**
 * powertools-suggest: once per function, what Powertools for AWS Lambda
 * would give it that it lacks — structured logs, traces of the handler and
 * its downstream calls, metrics as EMF (no API call), and, for a function
 * fed by SQS or streams, idempotency (a batch can be delivered twice) and
 * partial batch responses (one failed record need not retry the batch);
 * and, when the code parses an event or record body, validation of it.
 */
import type { CallSite, CodeLanguage } from "../code/code-model.js";
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
  /** A key of an object or dict literal that shows the code does it by hand. */
  readonly satisfiedByKey?: string;
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

const TRACING: Utility = {
  what: "tracing",
  satisfiedBy: {
    javascript: [
      "@aws-lambda-powertools/tracer",
      "aws-xray-sdk",
      "aws-xray-sdk-core",
      "@opentelemetry",
    ],
    python: ["aws_lambda_powertools.tracing", "aws_xray_sdk", "opentelemetry"],
  },
  suggestion: {
    javascript: "@aws-lambda-powertools/tracer",
    python: "aws_lambda_powertools Tracer",
  },
  pythonRootName: "Tracer",
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

const BATCH: Utility = {
  what: "partial batch response (one failed record retries the whole batch)",
  satisfiedBy: {
    javascript: ["@aws-lambda-powertools/batch"],
    python: ["aws_lambda_powertools.utilities.batch"],
  },
  suggestion: {
    javascript: "@aws-lambda-powertools/batch",
    python: "aws_lambda_powertools.utilities.batch",
  },
  // A handler that builds the response itself: `return { batchItemFailures }`.
  satisfiedByKey: "batchItemFailures",
};

const VALIDATION: Utility = {
  what: "validation of the parsed body",
  satisfiedBy: {
    javascript: [
      "@aws-lambda-powertools/parser",
      "zod",
      "ajv",
      "joi",
      "yup",
      "valibot",
      "@middy/validator",
      "superstruct",
    ],
    python: [
      "aws_lambda_powertools.utilities.parser",
      "aws_lambda_powertools.utilities.validation",
      "pydantic",
      "jsonschema",
      "marshmallow",
    ],
  },
  suggestion: {
    javascript: "@aws-lambda-powertools/parser (Zod)",
    python: "aws_lambda_powertools.utilities.parser (Pydantic)",
  },
};

/** JSON parsers whose argument, when it is an event's or record's body, is input to validate. */
const JSON_PARSERS = new Set(["JSON.parse", "json.loads"]);
/** What code calls the event and each record of a batch, by the runtimes' templates and by habit. */
const EVENT_NAMES = new Set(["event", "evt", "record", "rec", "message", "msg"]);

/**
 * `JSON.parse(event.body)`, `JSON.parse(record.body)`,
 * `JSON.parse(event.Records[0].body)`, `json.loads(event["body"])`,
 * `json.loads(event.get("body"))`: an API request's or a queue message's body.
 */
function parsesBody(fn: FunctionCode): boolean {
  return fn.modules.some((module) =>
    module.calls.some((call) => {
      if (!JSON_PARSERS.has(call.qualifiedName)) return false;
      const path = call.argumentPaths?.[0];
      if (path && EVENT_NAMES.has(path[0]!) && path.at(-1) === "body") return true;
      const origin = call.argumentOrigins?.[0];
      const read: CallSite | undefined =
        origin?.path.length === 0 ? module.calls[origin.call] : undefined;
      // event.get("body"): its receiver is the name itself, not another call.
      return (
        read?.name === "get" &&
        read.firstStringArgument === "body" &&
        EVENT_NAMES.has(read.callee.slice(0, -".get".length))
      );
    }),
  );
}

function uses(fn: FunctionCode, utility: Utility): boolean {
  if (importsAny(fn, utility.satisfiedBy[fn.language])) return true;
  const key = utility.satisfiedByKey;
  if (key !== undefined && fn.modules.some((module) => module.literalKeys.has(key))) return true;
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
      "Structured logs are searchable with CloudWatch Logs Insights, traces show where an invocation spends its time, EMF metrics cost no API call, idempotency keeps a redelivered SQS or stream batch from being processed twice, a partial batch response retries only the records that failed, and a parsed body validated against a schema fails fast on malformed input.",
    fix: "Add the Powertools for AWS Lambda utilities named in the finding (https://docs.powertools.aws.dev/lambda/), or an equivalent library. A partial batch response also needs FunctionResponseTypes: [ReportBatchItemFailures] on the event source mapping (esm-config).",
    docs: docsFor("powertools-suggest"),
  },
  check(fn) {
    const entry = fn.modules[0];
    if (!entry) return [];
    const wanted = [
      LOGGING,
      TRACING,
      METRICS,
      ...(fn.config.triggers.polled.length > 0 ? [IDEMPOTENCY] : []),
      ...(fn.config.triggers.partialBatch.length > 0 ? [BATCH] : []),
      ...(parsesBody(fn) ? [VALIDATION] : []),
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
