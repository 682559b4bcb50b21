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

const WITH_LOGGER_TRACER_AND_METRICS = {
  "index.mjs": `import { Logger } from "@aws-lambda-powertools/logger";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { Metrics } from "@aws-lambda-powertools/metrics";
const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics();
export const handler = async (event) => {
  logger.info("event", { event });
  metrics.addMetric("hits", "Count", 1);
};
`,
};

describe("powertools-suggest: JavaScript (ESM)", () => {
  it("suggests logging, tracing and metrics once, at the handler", async () => {
    const findings = await runCodeRule(rule, { files: BARE, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(BARE, "index.mjs", "async (event)")]);
    expect(findings[0]).toMatchObject({ ruleId: "powertools-suggest", severity: "info" });
    expect(findings[0]!.message).toBe(
      "No structured logging, no tracing, no metrics as Embedded Metric Format: consider @aws-lambda-powertools/logger, @aws-lambda-powertools/tracer, @aws-lambda-powertools/metrics.",
    );
  });

  it("suggests nothing when Logger, Tracer and Metrics are used and no queue or stream feeds it", async () => {
    expect(
      await runCodeRule(rule, { files: WITH_LOGGER_TRACER_AND_METRICS, properties: HTTP_API }),
    ).toEqual([]);
  });

  it("suggests idempotency for SQS, Kinesis and DynamoDB stream events", async () => {
    for (const properties of [SQS, KINESIS, DYNAMODB_STREAM]) {
      const findings = await runCodeRule(rule, {
        files: WITH_LOGGER_TRACER_AND_METRICS,
        properties,
      });
      expect(findings.map(place)).toEqual([
        at(WITH_LOGGER_TRACER_AND_METRICS, "index.mjs", "async (event)"),
      ]);
      expect(findings[0]!.message).toBe(
        "No idempotency (SQS and stream batches can be delivered more than once), no partial batch response (one failed record retries the whole batch): consider @aws-lambda-powertools/idempotency, @aws-lambda-powertools/batch.",
      );
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

  it("counts pino, aws-xray-sdk-core and aws-embedded-metrics as logging, tracing and metrics", async () => {
    const files = {
      "index.mjs": `import pino from "pino";
import AWSXRay from "aws-xray-sdk-core";
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

  it("is satisfied by idempotency and batch from Powertools on an SQS function", async () => {
    const files = {
      "index.mjs": `import { Logger } from "@aws-lambda-powertools/logger";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.SQS);
const processRecord = makeIdempotent(async (record) => {
  logger.info("x");
  metrics.addMetric("n", "Count", 1);
});
export const handler = async (event, context) =>
  processPartialResponse(event, processRecord, processor, { context });
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
const { Tracer } = require("@aws-lambda-powertools/tracer");
const { Metrics } = require("@aws-lambda-powertools/metrics");
const logger = new Logger();
const tracer = new Tracer();
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
    expect(findings[0]!.message).toBe(
      "No structured logging, no tracing, no metrics as Embedded Metric Format, no idempotency (SQS and stream batches can be delivered more than once), no partial batch response (one failed record retries the whole batch): consider @aws-lambda-powertools/logger, @aws-lambda-powertools/tracer, @aws-lambda-powertools/metrics, @aws-lambda-powertools/idempotency, @aws-lambda-powertools/batch.",
    );
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
import { Tracer } from "@aws-lambda-powertools/tracer";
import { Metrics } from "@aws-lambda-powertools/metrics";
export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();
`,
    };
    expect(await runCodeRule(rule, { files, properties: HTTP_API })).toEqual([]);
  });

  it("suggests metrics only when just the Logger and Tracer are used, for a middy handler", async () => {
    const files = {
      "index.ts": `import middy from "@middy/core";
import { Logger } from "@aws-lambda-powertools/logger";
import { Tracer } from "@aws-lambda-powertools/tracer";
const logger = new Logger();
const tracer = new Tracer();
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
  it("suggests logging, tracing and metrics, at the handler", async () => {
    const files = {
      "app.py": `import json


def handler(event, context):
    print(json.dumps(event))
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(files, "app.py", "def handler")]);
    expect(findings[0]!.message).toBe(
      "No structured logging, no tracing, no metrics as Embedded Metric Format: consider aws_lambda_powertools Logger, aws_lambda_powertools Tracer, aws_lambda_powertools Metrics.",
    );
  });

  it("is satisfied for logging, tracing and metrics by `from aws_lambda_powertools import Logger, Metrics, Tracer`", async () => {
    const files = {
      "app.py": `from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def handler(event, context):
    logger.info("event")
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: HTTP_API })).toEqual([]);
  });

  it("suggests tracing and metrics with `from aws_lambda_powertools import Logger`", async () => {
    const files = {
      "app.py": `from aws_lambda_powertools import Logger

logger = Logger()


def handler(event, context):
    logger.info("event")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
    expect(findings[0]!.message).toBe(
      "No tracing, no metrics as Embedded Metric Format: consider aws_lambda_powertools Tracer, aws_lambda_powertools Metrics.",
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
    expect(findings[0]!.message).toBe(
      "No tracing, no idempotency (SQS and stream batches can be delivered more than once), no partial batch response (one failed record retries the whole batch): consider aws_lambda_powertools Tracer, aws_lambda_powertools.utilities.idempotency, aws_lambda_powertools.utilities.batch.",
    );
    const withIdempotency = {
      "app.py": `import structlog
from aws_xray_sdk.core import patch_all
from aws_embedded_metrics import metric_scope
from aws_lambda_powertools.utilities.batch import BatchProcessor
from aws_lambda_powertools.utilities.idempotency import idempotent


def handler(event, context):
    return structlog, patch_all, metric_scope, BatchProcessor, idempotent
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
      "observability.py": `from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
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

describe("powertools-suggest: tracing", () => {
  it("counts aws-xray-sdk (JS) and opentelemetry (Python) as tracing", async () => {
    const js = {
      "index.mjs": `import pino from "pino";
import AWSXRay from "aws-xray-sdk";
import { Metrics } from "@aws-lambda-powertools/metrics";
const log = pino();
const metrics = new Metrics();
export const handler = async (event) => log.info(event);
`,
    };
    expect(await runCodeRule(rule, { files: js, properties: HTTP_API })).toEqual([]);
    const otel = {
      "index.mjs": `import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { trace } from "@opentelemetry/api";
export const handler = async (event) => trace.getTracer("orders");
`,
    };
    expect(await runCodeRule(rule, { files: otel, properties: HTTP_API })).toEqual([]);
    const py = {
      "app.py": `from opentelemetry import trace
from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
tracer = trace.get_tracer(__name__)


def handler(event, context):
    return tracer
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: py, properties: HTTP_API })).toEqual([]);
  });

  it("suggests only tracing when logging and metrics are there", async () => {
    const files = {
      "app.py": `from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.metrics import Metrics


def handler(event, context):
    return Logger(), Metrics()
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(files, "app.py", "def handler")]);
    expect(findings[0]!.message).toBe("No tracing: consider aws_lambda_powertools Tracer.");
  });
});

const OBSERVED_JS = `import { Logger } from "@aws-lambda-powertools/logger";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics();
`;

const OBSERVED_PY = `from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.idempotency import idempotent_function

logger = Logger()
tracer = Tracer()
metrics = Metrics()
`;

describe("powertools-suggest: partial batch responses", () => {
  const loop = {
    "index.mjs": `${OBSERVED_JS}const processRecord = makeIdempotent(async (record) => logger.info(record.messageId));
export const handler = async (event) => {
  for (const record of event.Records) await processRecord(record);
};
`,
  };

  it("suggests the batch utility for SQS, Kinesis and DynamoDB stream events", async () => {
    for (const properties of [SQS, KINESIS, DYNAMODB_STREAM]) {
      const findings = await runCodeRule(rule, { files: loop, properties });
      expect(findings.map(place)).toEqual([at(loop, "index.mjs", "async (event)")]);
      expect(findings[0]!.message).toBe(
        "No partial batch response (one failed record retries the whole batch): consider @aws-lambda-powertools/batch.",
      );
    }
  });

  it("suggests it for an AWS::Lambda::EventSourceMapping from an SQS queue, not from an MSK cluster", async () => {
    const mapping = (arn: string) => ({
      Mapping: {
        Type: "AWS::Lambda::EventSourceMapping",
        Properties: { FunctionName: { Ref: "Fn" }, EventSourceArn: arn, Topics: ["t"] },
      },
    });
    const fromQueue = await runCodeRule(rule, { files: loop, resources: mapping(ARN) });
    expect(fromQueue.map((finding) => finding.message)).toEqual([
      "No partial batch response (one failed record retries the whole batch): consider @aws-lambda-powertools/batch.",
    ]);
    const kafka = "arn:aws:kafka:us-east-1:123456789012:cluster/c/abc";
    expect(await runCodeRule(rule, { files: loop, resources: mapping(kafka) })).toEqual([]);
  });

  it("does not suggest the batch utility for an API or an S3 event", async () => {
    for (const [properties, resources] of [
      [HTTP_API, {}],
      [S3, BUCKET],
    ] as const) {
      const findings = await runCodeRule(rule, { files: BARE, properties, resources });
      expect(findings.map((finding) => finding.message)).toEqual([
        "No structured logging, no tracing, no metrics as Embedded Metric Format: consider @aws-lambda-powertools/logger, @aws-lambda-powertools/tracer, @aws-lambda-powertools/metrics.",
      ]);
    }
  });

  it("is satisfied by a handler that returns batchItemFailures itself (JS and Python)", async () => {
    const js = {
      "index.mjs": `${OBSERVED_JS}const processRecord = makeIdempotent(async (record) => logger.info(record.messageId));
export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      await processRecord(record);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
`,
    };
    expect(await runCodeRule(rule, { files: js, properties: SQS })).toEqual([]);
    const py = {
      "app.py": `${OBSERVED_PY}

@idempotent_function(data_keyword_argument="record")
def process(record):
    logger.info(record["messageId"])


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            process(record=record)
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: py, properties: KINESIS })).toEqual([]);
  });

  it("is satisfied by aws_lambda_powertools.utilities.batch (Python)", async () => {
    const files = {
      "app.py": `${OBSERVED_PY}from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

processor = BatchProcessor(event_type=EventType.SQS)


@idempotent_function(data_keyword_argument="record")
def record_handler(record):
    logger.info(record.message_id)


def handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: SQS })).toEqual([]);
    const without = {
      "app.py": `${OBSERVED_PY}

def handler(event, context):
    return [record["messageId"] for record in event["Records"]]
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files: without, properties: SQS });
    expect(findings.map((finding) => finding.message)).toEqual([
      "No partial batch response (one failed record retries the whole batch): consider aws_lambda_powertools.utilities.batch.",
    ]);
  });
});

describe("powertools-suggest: validation of a parsed body (Parser)", () => {
  const OBSERVED_API = `import { Logger } from "@aws-lambda-powertools/logger";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { Metrics } from "@aws-lambda-powertools/metrics";
const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics();
`;

  it("suggests the parser when the handler parses event.body, at the handler", async () => {
    const files = {
      "index.mjs": `${OBSERVED_API}export const handler = async (event) => {
  const order = JSON.parse(event.body);
  logger.info("order", { id: order.id });
  return { statusCode: 201 };
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "async (event)")]);
    expect(findings[0]!.message).toBe(
      "No validation of the parsed body: consider @aws-lambda-powertools/parser (Zod).",
    );
  });

  it("suggests it for record.body parsed in a helper module of an SQS function, with the batch utility", async () => {
    const files = {
      "index.mjs": `${OBSERVED_API}import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { handleRecord } from "./records.mjs";
export const handler = makeIdempotent(async (event) => {
  for (const record of event.Records) await handleRecord(record);
});
`,
      "records.mjs": `export async function handleRecord(record) {
  return JSON.parse(record.body).orderId;
}
`,
    };
    const findings = await runCodeRule(rule, { files, properties: SQS });
    expect(findings.map((finding) => finding.message)).toEqual([
      "No partial batch response (one failed record retries the whole batch), no validation of the parsed body: consider @aws-lambda-powertools/batch, @aws-lambda-powertools/parser (Zod).",
    ]);
  });

  it("suggests it when the body is bound to a name first (`const raw = event.body`, `const { body } = event`)", async () => {
    for (const read of ["const raw = event.body;", "const { body: raw } = event;"]) {
      const files = {
        "index.mjs": `${OBSERVED_API}export const handler = async (event) => {
  ${read}
  const order = JSON.parse(raw);
  return { statusCode: 201, body: order.id };
};
`,
      };
      const findings = await runCodeRule(rule, { files, properties: HTTP_API });
      expect(findings.map((finding) => finding.message)).toEqual([
        "No validation of the parsed body: consider @aws-lambda-powertools/parser (Zod).",
      ]);
    }
  });

  it("does not suggest it when no body is parsed (the whole event, or an environment setting)", async () => {
    const files = {
      "index.mjs": `${OBSERVED_API}const settings = JSON.parse(process.env.SETTINGS);
export const handler = async (event) => {
  logger.info("event", { id: event.id, settings, detail: JSON.parse(event.detail) });
};
`,
    };
    expect(await runCodeRule(rule, { files, properties: HTTP_API })).toEqual([]);
  });

  it("is satisfied by zod, or by @middy/validator", async () => {
    for (const validator of [
      `import { z } from "zod";\nconst Order = z.object({ id: z.string() });\n`,
      `import validator from "@middy/validator";\n`,
    ]) {
      const files = {
        "index.mjs": `${OBSERVED_API}${validator}export const handler = async (event) => {
  const order = JSON.parse(event.body);
  return { statusCode: 201, body: order.id };
};
`,
      };
      expect(await runCodeRule(rule, { files, properties: HTTP_API })).toEqual([]);
    }
  });

  it("suggests the parser for json.loads(event['body']) and event.get('body') in Python, satisfied by pydantic", async () => {
    for (const read of [`event["body"]`, `event.get("body")`]) {
      const files = {
        "app.py": `import json
from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def handler(event, context):
    order = json.loads(${read})
    return {"statusCode": 201, "body": order["id"]}
`,
      };
      const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
      expect(findings.map(place)).toEqual([at(files, "app.py", "def handler")]);
      expect(findings[0]!.message).toBe(
        "No validation of the parsed body: consider aws_lambda_powertools.utilities.parser (Pydantic).",
      );
      const validated = {
        "app.py": `from pydantic import BaseModel\n${files["app.py"]}`,
      };
      expect(await runCodeRule(rule, { ...PY, files: validated, properties: HTTP_API })).toEqual(
        [],
      );
    }
  });

  it("suggests it when Python binds the body to a name first (raw = event['body'], raw = event.get('body'))", async () => {
    for (const read of [`event["body"]`, `event.get("body")`]) {
      const files = {
        "app.py": `import json
${OBSERVED_PY}

def handler(event, context):
    raw = ${read}
    order = json.loads(raw)
    return {"statusCode": 201, "body": order["id"]}
`,
      };
      const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
      expect(findings.map((finding) => finding.message)).toEqual([
        "No validation of the parsed body: consider aws_lambda_powertools.utilities.parser (Pydantic).",
      ]);
    }
  });

  it("suggests it for json.loads(record['body']) in an SQS loop, satisfied by aws_lambda_powertools.utilities.parser", async () => {
    const body = `

def handler(event, context):
    failures = []
    for record in event["Records"]:
        order = json.loads(record["body"])
        logger.info(order["id"])
    return {"batchItemFailures": failures}
`;
    const files = { "app.py": `import json\n${OBSERVED_PY}${body}` };
    const findings = await runCodeRule(rule, { ...PY, files, properties: SQS });
    expect(findings.map((finding) => finding.message)).toEqual([
      "No validation of the parsed body: consider aws_lambda_powertools.utilities.parser (Pydantic).",
    ]);
    const parsed = {
      "app.py": `import json\nfrom aws_lambda_powertools.utilities.parser import parse\n${OBSERVED_PY}${body}`,
    };
    expect(await runCodeRule(rule, { ...PY, files: parsed, properties: SQS })).toEqual([]);
  });
});
