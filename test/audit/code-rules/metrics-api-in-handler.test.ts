import { describe, expect, it } from "vitest";
import { metricsApiInHandler } from "../../../src/audit/code-rules/metrics-api-in-handler.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = metricsApiInHandler;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("metrics-api-in-handler: JavaScript (ESM)", () => {
  it("reports a v3 PutMetricDataCommand in the handler, at the `new`", async () => {
    const files = {
      "index.mjs": `import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
const cw = new CloudWatchClient({});
export const handler = async () => {
  await cw.send(new PutMetricDataCommand({ Namespace: "App", MetricData: [] }));
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new PutMetricDataCommand")]);
    expect(findings[0]).toMatchObject({ ruleId: "metrics-api-in-handler", severity: "warning" });
  });

  it("reports an aliased command in a callback passed by name", async () => {
    const files = {
      "index.mjs": `import { CloudWatchClient, PutMetricDataCommand as Put } from "@aws-sdk/client-cloudwatch";
const cw = new CloudWatchClient({});
const record = (item) => cw.send(new Put({ Namespace: "App", MetricData: [item] }));
export const handler = async (event) => Promise.all(event.Records.map(record));
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new Put(")]);
  });

  it("does not report a metric sent at init, nor Powertools Metrics in the handler", async () => {
    const files = {
      "index.mjs": `import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { Metrics } from "@aws-lambda-powertools/metrics";
const cw = new CloudWatchClient({});
await cw.send(new PutMetricDataCommand({ Namespace: "App", MetricData: [] }));
const metrics = new Metrics();
export const handler = async () => {
  metrics.addMetric("hits", "Count", 1);
  metrics.publishStoredMetrics();
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("is suppressed by a disable-next-line comment naming it, not by another id", async () => {
    const files = {
      "index.mjs": `import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
const cw = new CloudWatchClient({});
export const handler = async () => {
  // lambda-optimizer-disable-next-line metrics-api-in-handler
  await cw.send(new PutMetricDataCommand({ Namespace: "A", MetricData: [] }));
  // lambda-optimizer-disable-next-line powertools-suggest
  await cw.send(new PutMetricDataCommand({ Namespace: "B", MetricData: [] }));
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", 'new PutMetricDataCommand({ Namespace: "B"'),
    ]);
  });
});

describe("metrics-api-in-handler: JavaScript (CommonJS)", () => {
  it("reports an SDK v2 putMetricData with `exports.handler`", async () => {
    const files = {
      "index.js": `const AWS = require("aws-sdk");
const cw = new AWS.CloudWatch();
exports.handler = async () => cw.putMetricData({ Namespace: "App", MetricData: [] }).promise();
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "cw.putMetricData(")]);
  });

  it("does not report a putMetricData method when the SDK v2 is not used", async () => {
    const files = {
      "index.js": `const sink = { putMetricData: () => undefined };
async function handler() {
  return sink.putMetricData({});
}
module.exports = { handler };
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("metrics-api-in-handler: TypeScript", () => {
  it("reports in another local module (./lib/metrics.js -> metrics.ts), under middy", async () => {
    const files = {
      "index.ts": `import middy from "@middy/core";
import { count } from "./lib/metrics.js";
export const handler = middy(async (): Promise<void> => {
  await count("hits");
});
`,
      "lib/metrics.ts": `import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
const cw = new CloudWatchClient({});
export async function count(name: string): Promise<void> {
  await cw.send(new PutMetricDataCommand({ Namespace: "App", MetricData: [{ MetricName: name, Value: 1 }] }));
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "lib/metrics.ts", "new PutMetricDataCommand")]);
  });
});

describe("metrics-api-in-handler: Python", () => {
  it("reports boto3 put_metric_data in the handler, at the call", async () => {
    const files = {
      "app.py": `import boto3

cloudwatch = boto3.client("cloudwatch")


def handler(event, context):
    cloudwatch.put_metric_data(Namespace="App", MetricData=[])
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "cloudwatch.put_metric_data(")]);
  });

  it("does not report Powertools Metrics, nor put_metric_data without boto3", async () => {
    const files = {
      "app.py": `from aws_lambda_powertools import Metrics
from mystats import client

metrics = Metrics()


def handler(event, context):
    metrics.add_metric(name="hits", unit="Count", value=1)
    client.put_metric_data(Namespace="App")
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("reports in another local module (`from lib import stats`)", async () => {
    const files = {
      "app.py": `from lib import stats


def handler(event, context):
    stats.count("hits")
`,
      "lib/__init__.py": "",
      "lib/stats.py": `import boto3

cloudwatch = boto3.client("cloudwatch")


def count(name):
    cloudwatch.put_metric_data(Namespace="App", MetricData=[{"MetricName": name, "Value": 1}])
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "lib/stats.py", "cloudwatch.put_metric_data(")]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line metrics-api-in-handler`, not by another id", async () => {
    const files = {
      "app.py": `import boto3

cloudwatch = boto3.client("cloudwatch")


def handler(event, context):
    # lambda-optimizer-disable-next-line metrics-api-in-handler
    cloudwatch.put_metric_data(Namespace="A")
    # lambda-optimizer-disable-next-line init-in-handler
    cloudwatch.put_metric_data(Namespace="B")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 'cloudwatch.put_metric_data(Namespace="B")'),
    ]);
  });
});

describe("metrics-api-in-handler: v3 aggregated client", () => {
  it("reports `new CloudWatch({}).putMetricData(...)`", async () => {
    const files = {
      "index.ts": `import { CloudWatch } from "@aws-sdk/client-cloudwatch";
const cw = new CloudWatch({});
export const handler = async (): Promise<unknown> => cw.putMetricData({ Namespace: "A", MetricData: [] });
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "cw.putMetricData(")]);
  });
});
