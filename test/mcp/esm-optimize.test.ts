/**
 * The `esm_optimize` tool through the SDK's Client over stdio: a template
 * with an SQS and a Kinesis mapping, each with known mistakes, gives the
 * findings and reasons audit's esm-config gives, with the settings read; the
 * same settings given in AWS's parameters (event_source, configs) give the
 * same checks.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EsmMappingCheck } from "../../src/audit/esm-check-report.js";
import type { Finding } from "../../src/audit/findings.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

const TEMPLATE = "test/fixtures/esm-mappings/template.yaml";

interface EsmResult {
  source: string;
  mappings: EsmMappingCheck[];
  summary: { mappings: number; error: number; warning: number };
  validation_result: string;
  predictions: string;
  action: string;
  optimization_targets: string[];
  optimization: unknown;
}

const brief = (mapping: EsmMappingCheck | undefined) =>
  mapping?.findings.map((finding) => [finding.severity, finding.property, finding.line]);

describe("the esm_optimize tool over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "esm_optimize", arguments: args })) as CallToolResult;

  it("checks every mapping of a template, with the settings read and the reasons", async () => {
    const result = await call({ template: TEMPLATE });
    expect(result.isError).toBeFalsy();
    const esm = result.structuredContent as unknown as EsmResult;
    expect(esm.summary).toEqual({ mappings: 2, error: 3, warning: 4 });
    expect(esm.validation_result).toBe("failed");
    // Without a traffic the tool only checks, and says how to ask for the predictions.
    expect(esm.optimization).toBeNull();
    expect(esm.predictions).toContain(
      "give the traffic (rate or rateProfile), the function's duration per batch (batchMs, or recordMs with overheadMs) and maxAgeSeconds to esm_optimize",
    );

    const kinesis = esm.mappings.find((mapping) => mapping.id === "ClickMapping");
    expect(kinesis).toMatchObject({ eventSource: "kinesis", function: "ClickConsumer", line: 41 });
    expect(kinesis?.settings).toMatchObject({
      batchSize: 500,
      maximumBatchingWindowInSeconds: 400,
      parallelizationFactor: 4,
      bisectBatchOnFunctionError: true,
      startingPosition: "LATEST",
      functionResponseTypes: [],
      onFailureDestination: null,
    });
    expect(brief(kinesis)).toEqual([
      ["error", "MaximumBatchingWindowInSeconds", 48],
      ["warning", "FunctionResponseTypes", 43],
      ["warning", "DestinationConfig", 43],
    ]);
    expect(kinesis?.findings[0]?.message).toBe(
      "MaximumBatchingWindowInSeconds 400 is above the maximum of 300; the deployment fails.",
    );
    expect(kinesis?.findings[2]?.message).toContain(
      "retried until it expires from the Kinesis stream (blocking its shard), then lost",
    );

    const sqs = esm.mappings.find((mapping) => mapping.id === "Worker/JobQueue");
    expect(sqs).toMatchObject({ eventSource: "sqs", function: "Worker", line: 19 });
    expect(sqs?.settings).toMatchObject({
      batchSize: 100,
      maximumBatchingWindowInSeconds: null,
      maximumConcurrency: 50,
      parallelizationFactor: 2,
      fifo: false,
    });
    expect(brief(sqs)).toEqual([
      ["error", "BatchSize", 23],
      ["error", "ParallelizationFactor", 24],
      ["warning", "FunctionResponseTypes", 21],
      ["warning", "VisibilityTimeout", 9],
    ]);
    expect(sqs?.findings[0]).toMatchObject({
      message:
        "SQS BatchSize 100 needs MaximumBatchingWindowInSeconds of at least 1; CloudFormation rejects it without.",
      fix: "Set MaximumBatchingWindowInSeconds to 1 or more (or BatchSize to 10 or less).",
    });
    expect(sqs?.findings[3]).toMatchObject({
      resource: "Jobs",
      fix: "Set VisibilityTimeout to at least 180 s (6× the function's Timeout, plus MaximumBatchingWindowInSeconds).",
    });

    const summary = summaryOf(result);
    expect(summary.split("\n")[0]).toBe(
      `2 event source mappings in ${TEMPLATE}: 3 errors, 4 warnings; validation failed`,
    );
    expect(summary).toContain(
      "Worker/JobQueue (sqs, line 19): BatchSize 100, MaximumBatchingWindowInSeconds unset, MaximumConcurrency 50, ParallelizationFactor 2",
    );
  }, 60_000);

  it("says what audit's esm-config says, at the same lines", async () => {
    const audit = (await client.callTool({
      name: "audit",
      arguments: { paths: [TEMPLATE], rules: ["esm-config"], code: false },
    })) as CallToolResult;
    const findings = (audit.structuredContent as unknown as { findings: Finding[] }).findings;
    const esm = (await call({ template: TEMPLATE })).structuredContent as unknown as EsmResult;
    const fromEsm = esm.mappings
      .flatMap((mapping) => mapping.findings.map((finding) => [finding.line, finding.message]))
      .sort();
    // audit names the mapping in front of each message (the queue's finding names itself).
    const fromAudit = findings
      .map((finding) => [
        finding.line,
        finding.message.replace(/^.*(EventSourceMapping \w+|'s SQS event \w+): /, ""),
      ])
      .sort();
    expect(fromEsm).toEqual(fromAudit);
  }, 60_000);

  it("narrows to one function or one mapping, and names what is there when it is not", async () => {
    const worker = (await call({ template: TEMPLATE, function: "Worker" }))
      .structuredContent as unknown as EsmResult;
    expect(worker.mappings.map((mapping) => mapping.id)).toEqual(["Worker/JobQueue"]);
    const click = (await call({ template: TEMPLATE, mapping: "ClickMapping" }))
      .structuredContent as unknown as EsmResult;
    expect(click.mappings.map((mapping) => mapping.id)).toEqual(["ClickMapping"]);

    const wrong = await call({ template: TEMPLATE, mapping: "JobQ" });
    expect(wrong.isError).toBe(true);
    expect(summaryOf(wrong)).toBe(
      `mapping JobQ is not an event source mapping in ${TEMPLATE}: expected one of ClickMapping, Worker/JobQueue`,
    );
  }, 60_000);

  it("runs the same checks on settings given in AWS's parameters", async () => {
    const result = await call({
      action: "validate",
      event_source: "sqs",
      configs: {
        BatchSize: 100,
        ParallelizationFactor: 2,
        ScalingConfig: { MaximumConcurrency: 50 },
      },
      optimization_targets: ["cost", "latency"],
    });
    expect(result.isError).toBeFalsy();
    const esm = result.structuredContent as unknown as EsmResult;
    expect(esm).toMatchObject({
      source: "settings",
      action: "validate",
      optimization_targets: ["cost", "latency"],
      validation_result: "failed",
      summary: { mappings: 1, error: 2, warning: 1 },
    });
    const [given] = esm.mappings;
    expect(given?.settings).toMatchObject({ batchSize: 100, maximumConcurrency: 50 });
    // The template's SQS event had the same settings: the same findings, less the queue's (not in configs), without lines.
    const fromTemplate = (
      (await call({ template: TEMPLATE, function: "Worker" }))
        .structuredContent as unknown as EsmResult
    ).mappings[0]!.findings.filter((finding) => finding.property !== "VisibilityTimeout");
    expect(
      given?.findings.map(({ severity, property, message, fix }) => ({
        severity,
        property,
        message,
        fix,
      })),
    ).toEqual(
      fromTemplate.map(({ severity, property, message, fix }) => ({
        severity,
        property,
        message,
        fix,
      })),
    );
    expect(given?.findings.every((finding) => finding.line === null)).toBe(true);
    expect(summaryOf(result)).toContain("lambda-optimizer esm optimize");

    // A Kinesis configuration that passes AWS's limits, and still loses records.
    const kinesis = (
      await call({
        action: "analyze",
        optimization_targets: ["failure_rate"],
        configs: {
          EventSourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
          BatchSize: 100,
          FunctionResponseTypes: ["ReportBatchItemFailures"],
        },
      })
    ).structuredContent as unknown as EsmResult;
    expect(kinesis.validation_result).toBe("passed");
    expect(kinesis.mappings[0]?.eventSource).toBe("kinesis");
    expect(brief(kinesis.mappings[0])).toEqual([["warning", "DestinationConfig", null]]);

    // A FIFO queue's ARN says it takes batches of 10 at most.
    const fifo = (
      await call({
        action: "validate",
        configs: {
          EventSourceArn: "arn:aws:sqs:us-east-1:123456789012:orders.fifo",
          BatchSize: 20,
          MaximumBatchingWindowInSeconds: 1,
        },
      })
    ).structuredContent as unknown as EsmResult;
    expect(fifo.mappings[0]?.findings[0]?.message).toBe(
      "BatchSize 20 on a FIFO queue, whose maximum is 10; the deployment fails.",
    );
  }, 60_000);

  it("answers what it cannot do in one sentence", async () => {
    const generate = await call({
      action: "generate_template",
      esm_uuid: "abc",
      optimized_configs: { BatchSize: 10 },
    });
    expect(generate.isError).toBe(true);
    expect(summaryOf(generate)).toMatch(/^action generate_template is not offered/);

    const noSource = await call({ action: "validate", configs: { BatchSize: 10 } });
    expect(noSource.isError).toBe(true);
    expect(summaryOf(noSource)).toMatch(/^event_source is needed/);

    const nothing = await call({ action: "analyze", optimization_targets: ["cost"] });
    expect(nothing.isError).toBe(true);
    // Asked in AWS's words, answered in them.
    expect(summaryOf(nothing)).toBe(
      "give template (a SAM or CloudFormation template) or configs (one event source mapping's settings, with event_source)",
    );

    const typo = await call({ templat: TEMPLATE });
    expect(summaryOf(typo)).toBe("unknown option templat: the closest is template");

    const missing = await call({ template: "no/such/template.yaml" });
    expect(missing.isError).toBe(true);
    expect(summaryOf(missing)).toBe(
      "no/such/template.yaml: cannot read the template (no such file)",
    );

    const badEventSource = await call({ event_source: "kafkaesque", configs: {} });
    expect(summaryOf(badEventSource)).toBe(
      'event_source "kafkaesque" is not valid: expected sqs, kinesis, dynamodb, kafka',
    );
  }, 60_000);
});
