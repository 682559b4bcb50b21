import { describe, expect, it } from "vitest";
import { powertoolsSuggest } from "../../../src/audit/code-rules/powertools-suggest.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = powertoolsSuggest;
const ARN = "arn:aws:sqs:us-east-1:123456789012:q";
const STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/s";
const TABLE_STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024";
const HTTP_API = { Events: { Api: { Type: "HttpApi" } } };
const SQS = { Events: { Queue: { Type: "SQS", Properties: { Queue: ARN } } } };
const KINESIS = {
  Events: {
    Stream: { Type: "Kinesis", Properties: { Stream: STREAM, StartingPosition: "LATEST" } },
  },
};
const DYNAMODB_STREAM = {
  Events: {
    Table: { Type: "DynamoDB", Properties: { Stream: TABLE_STREAM, StartingPosition: "LATEST" } },
  },
};
const S3 = {
  Events: {
    Upload: { Type: "S3", Properties: { Bucket: { Ref: "Bucket" }, Events: "s3:ObjectCreated:*" } },
  },
};
const BUCKET = { Bucket: { Type: "AWS::S3::Bucket" } };
const PY = { runtime: "python3.12", handler: "app.handler" };

const BARE = {
  "index.mjs": `export const handler = async (event) => {
  console.log(event);
};
`,
};

const WITH_LOGGER_AND_METRICS = {
  "index.mjs": `import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
const logger = new Logger();
const metrics = new Metrics();
export const handler = async (event) => {
  logger.info("event", { event });
  metrics.addMetric("hits", "Count", 1);
};
`,
};

describe("powertools-suggest: JavaScript (ESM)", () => {
  it("suggests logging and metrics once, at the handler", async () => {
    const findings = await runCodeRule(rule, { files: BARE, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(BARE, "index.mjs", "async (event)")]);
    expect(findings[0]).toMatchObject({ ruleId: "powertools-suggest", severity: "info" });
    expect(findings[0]!.message).toBe(
      "No structured logging, no metrics as Embedded Metric Format: consider @aws-lambda-powertools/logger, @aws-lambda-powertools/metrics.",
    );
  });

  it("suggests nothing when Logger and Metrics are used and no queue or stream feeds it", async () => {
    expect(
      await runCodeRule(rule, { files: WITH_LOGGER_AND_METRICS, properties: HTTP_API }),
    ).toEqual([]);
  });

  it("suggests idempotency for SQS, Kinesis and DynamoDB stream events", async () => {
    for (const properties of [SQS, KINESIS, DYNAMODB_STREAM]) {
      const findings = await runCodeRule(rule, { files: WITH_LOGGER_AND_METRICS, properties });
      expect(findings.map(place)).toEqual([
        at(WITH_LOGGER_AND_METRICS, "index.mjs", "async (event)"),
      ]);
      expect(findings[0]!.message).toContain("@aws-lambda-powertools/idempotency");
      expect(findings[0]!.message).not.toContain("logger");
    }
  });

  it("does not suggest idempotency for an API or an S3 (asynchronous) event", async () => {
    for (const [properties, resources] of [
      [HTTP_API, {}],
      [S3, BUCKET],
    ] as const) {
      const findings = await runCodeRule(rule, { files: BARE, properties, resources });
      expect(findings).toHaveLength(1);
      expect(findings[0]!.message).not.toContain("idempotency");
    }
  });

  it("counts pino and aws-embedded-metrics as logging and metrics", async () => {
    const files = {
      "index.mjs": `import pino from "pino";
import { metricScope } from "aws-embedded-metrics";
const log = pino();
export const handler = metricScope((metrics) => async (event) => {
  log.info(event);
  metrics.putMetric("hits", 1);
});
`,
    };
    expect(await runCodeRule(rule, { files, properties: HTTP_API })).toEqual([]);
  });

  it("is satisfied by idempotency from @aws-lambda-powertools/idempotency on an SQS function", async () => {
    const files = {
      "index.mjs": `import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
const logger = new Logger();
const metrics = new Metrics();
export const handler = makeIdempotent(async (event) => {
  logger.info("x");
  metrics.addMetric("n", "Count", 1);
});
`,
    };
    expect(await runCodeRule(rule, { files, properties: SQS })).toEqual([]);
  });

  it("is suppressed by a disable-next-line comment above the handler, not by another id", async () => {
    const suppressed = {
      "index.mjs": `// lambda-optimizer-disable-next-line powertools-suggest
export const handler = async (event) => event;
`,
    };
    expect(await runCodeRule(rule, { files: suppressed, properties: HTTP_API })).toEqual([]);
    const other = {
      "index.mjs": `// lambda-optimizer-disable-next-line env-read-in-handler
export const handler = async (event) => event;
`,
    };
    const findings = await runCodeRule(rule, { files: other, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(other, "index.mjs", "async (event)")]);
  });
});

describe("powertools-suggest: JavaScript (CommonJS)", () => {
  it("is satisfied by require()d Powertools, with `module.exports = { handler }`", async () => {
    const files = {
      "index.js": `const { Logger } = require("@aws-lambda-powertools/logger");
const { Metrics } = require("@aws-lambda-powertools/metrics");
const logger = new Logger();
const metrics = new Metrics();
async function handler(event) {
  logger.info("event", { event });
  metrics.addMetric("hits", "Count", 1);
}
module.exports = { handler };
`,
    };
    expect(await runCodeRule(rule, { files, properties: HTTP_API })).toEqual([]);
  });

  it("suggests with `exports.handler = ...`, at the handler", async () => {
    const files = {
      "index.js": `exports.handler = async (event) => event;
`,
    };
    const findings = await runCodeRule(rule, { files, properties: SQS });
    expect(findings.map(place)).toEqual([at(files, "index.js", "async (event)")]);
    expect(findings[0]!.message).toContain("no idempotency");
  });
});

describe("powertools-suggest: TypeScript", () => {
  it("counts Powertools imported by another local module (./lib/observability.js -> observability.ts)", async () => {
    const files = {
      "index.ts": `import { logger, metrics } from "./lib/observability.js";
export const handler = async (event: unknown): Promise<void> => {
  logger.info("event", { event });
  metrics.addMetric("hits", "Count", 1);
};
`,
      "lib/observability.ts": `import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
export const logger = new Logger();
export const metrics = new Metrics();
`,
    };
    expect(await runCodeRule(rule, { files, properties: HTTP_API })).toEqual([]);
  });

  it("suggests metrics only when just the Logger is used, for a middy handler", async () => {
    const files = {
      "index.ts": `import middy from "@middy/core";
import { Logger } from "@aws-lambda-powertools/logger";
const logger = new Logger();
export const handler = middy(async (event: unknown): Promise<void> => {
  logger.info("event", { event });
});
`,
    };
    const findings = await runCodeRule(rule, { files, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "async (event: unknown)")]);
    expect(findings[0]!.message).toBe(
      "No metrics as Embedded Metric Format: consider @aws-lambda-powertools/metrics.",
    );
  });
});

describe("powertools-suggest: Python", () => {
  it("suggests logging and metrics, at the handler", async () => {
    const files = {
      "app.py": `import json


def handler(event, context):
    print(json.dumps(event))
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(files, "app.py", "def handler")]);
    expect(findings[0]!.message).toBe(
      "No structured logging, no metrics as Embedded Metric Format: consider aws_lambda_powertools Logger, aws_lambda_powertools Metrics.",
    );
  });

  it("is satisfied for logging and metrics by `from aws_lambda_powertools import Logger, Metrics`", async () => {
    const files = {
      "app.py": `from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()


def handler(event, context):
    logger.info("event")
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: HTTP_API })).toEqual([]);
  });

  it("suggests only metrics with `from aws_lambda_powertools import Logger`", async () => {
    const files = {
      "app.py": `from aws_lambda_powertools import Logger

logger = Logger()


def handler(event, context):
    logger.info("event")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
    expect(findings[0]!.message).toBe(
      "No metrics as Embedded Metric Format: consider aws_lambda_powertools Metrics.",
    );
  });

  it("suggests idempotency for an SQS-fed function, satisfied by the idempotency utility", async () => {
    const without = {
      "app.py": `from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.metrics import Metrics


def handler(event, context):
    return Logger(), Metrics()
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files: without, properties: SQS });
    expect(findings.map(place)).toEqual([at(without, "app.py", "def handler")]);
    expect(findings[0]!.message).toContain("aws_lambda_powertools.utilities.idempotency");
    const withIdempotency = {
      "app.py": `import structlog
from aws_embedded_metrics import metric_scope
from aws_lambda_powertools.utilities.idempotency import idempotent


def handler(event, context):
    return structlog, metric_scope, idempotent
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: withIdempotency, properties: SQS })).toEqual([]);
  });

  it("counts Powertools imported by another local module (`from .observability import logger`)", async () => {
    const files = {
      "app.py": `from .observability import logger


def handler(event, context):
    logger.info("event")
`,
      "observability.py": `from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: HTTP_API })).toEqual([]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line powertools-suggest` above the def, not by another id", async () => {
    const suppressed = {
      "app.py": `# lambda-optimizer-disable-next-line powertools-suggest
def handler(event, context):
    return event
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: suppressed, properties: HTTP_API })).toEqual([]);
    const other = {
      "app.py": `# lambda-optimizer-disable-next-line init-in-handler
def handler(event, context):
    return event
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files: other, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(other, "app.py", "def handler")]);
  });
});
