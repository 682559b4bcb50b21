/**
 * examples/streaming, the SSE token streamer, served by `lambda-optimizer emulate` as a user
 * runs it, and read with InvokeWithResponseStream by two real clients: @aws-sdk/client-lambda
 * and boto3 (python3), each decoding the event stream itself.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InvokeWithResponseStreamCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulate } from "../cli/run-cli.js";

const TEMPLATE = fileURLToPath(new URL("../../examples/streaming/template.yaml", import.meta.url));
const PRELUDE = JSON.stringify({
  statusCode: 200,
  headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" },
});
const SSE =
  'data: {"token":"Streaming "}\n\ndata: {"token":"sends "}\n\ndata: {"token":"every "}\n\n' +
  "data: [DONE]\n\n";
const EVENT = JSON.stringify({ delayMs: 5, tokens: 3 });

let emulate: Awaited<ReturnType<typeof startEmulate>>;
beforeAll(async () => {
  emulate = await startEmulate(["--template", TEMPLATE], {
    cwd: mkdtempSync(join(tmpdir(), "lo-streaming-")),
  });
}, 120_000);
afterAll(() => emulate?.stop());

describe("examples/streaming on emulate", () => {
  it("streams its tokens to @aws-sdk/client-lambda", async () => {
    const lambda = new LambdaClient({
      endpoint: emulate.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    try {
      const output = await lambda.send(
        new InvokeWithResponseStreamCommand({
          FunctionName: "TokenStreamer",
          Payload: Buffer.from(EVENT),
        }),
      );
      const chunks: string[] = [];
      let completes = 0;
      for await (const event of output.EventStream ?? []) {
        if (event.PayloadChunk?.Payload)
          chunks.push(Buffer.from(event.PayloadChunk.Payload).toString("latin1"));
        if (event.InvokeComplete) {
          completes++;
          expect(event.InvokeComplete.ErrorCode).toBeUndefined();
        }
      }
      expect(chunks.join("")).toBe(`${PRELUDE}${"\0".repeat(8)}${SSE}`);
      expect(completes).toBe(1);
    } finally {
      lambda.destroy();
    }
  }, 120_000);

  it("streams its tokens to boto3's invoke_with_response_stream", () => {
    const script = [
      "import base64, boto3, json, sys",
      'lambda_ = boto3.client("lambda", endpoint_url=sys.argv[1], region_name="us-east-1",',
      '    aws_access_key_id="local", aws_secret_access_key="local")',
      'answer = lambda_.invoke_with_response_stream(FunctionName="TokenStreamer", Payload=sys.argv[2], LogType="Tail")',
      "events = []",
      'for event in answer["EventStream"]:',
      '    if "PayloadChunk" in event:',
      '        events.append({"chunk": base64.b64encode(event["PayloadChunk"]["Payload"]).decode()})',
      '    if "InvokeComplete" in event:',
      '        events.append({"complete": event["InvokeComplete"]})',
      'print(json.dumps({"status": answer["StatusCode"], "version": answer["ExecutedVersion"], "events": events}))',
    ].join("\n");
    const run = spawnSync("python3", ["-c", script, emulate.endpoint, EVENT], {
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      status: number;
      version: string;
      events: { chunk?: string; complete?: { ErrorCode?: string; LogResult?: string } }[];
    };
    expect(answer).toMatchObject({ status: 200, version: "$LATEST" });
    const body = answer.events
      .filter((event) => event.chunk !== undefined)
      .map((event) => Buffer.from(event.chunk!, "base64").toString("latin1"))
      .join("");
    expect(body).toBe(`${PRELUDE}${"\0".repeat(8)}${SSE}`);
    const complete = answer.events.at(-1)?.complete;
    expect(complete?.ErrorCode).toBeUndefined();
    expect(Buffer.from(complete?.LogResult ?? "", "base64").toString("utf8")).toMatch(
      /REPORT RequestId: [0-9a-f-]+\tDuration: /,
    );
  }, 120_000);
});
