/** InvokeWithResponseStream over HTTP, read by the real @aws-sdk/client-lambda as an event stream. */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandOutput,
  type InvokeWithResponseStreamCompleteEvent,
  PublishVersionCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import { parseReport } from "../../src/lambda/report-line.js";
import { fixture, servedLambdaApi, stateDir } from "./emulator-fixtures.js";

const MB = 1024 * 1024;
const ROOMY = { memoryMb: 1769, timeoutSeconds: 60 };

const emulator = new Emulator({
  stateDir: stateDir(),
  maxEnvironmentsPerFunction: 1,
  functions: [
    // A whole CPU and time to spare: on a loaded machine they must end as each test means them
    // to, never by running out of time (but streaming-hangs, whose timeout is the point).
    fixture("node-streaming/index.mjs:handler", { name: "streaming", ...ROOMY }),
    fixture("node-streaming/index.mjs:failsMidway", { name: "streaming-fails", ...ROOMY }),
    fixture("node-streaming/index.mjs:waitsForCaller", { name: "streaming-waits", ...ROOMY }),
    fixture("node-streaming/stream-faults.mjs:writesThenHangs", {
      name: "streaming-hangs",
      memoryMb: 1769,
      timeoutSeconds: 2,
    }),
    // Room to stream 201 MB on a busy machine: it must fail by size, not by time.
    fixture("node-streaming/stream-faults.mjs:overLimit", {
      name: "streaming-huge",
      memoryMb: 1769,
      timeoutSeconds: 300,
    }),
    fixture("node-streaming/stream-faults.mjs:echoesContext", {
      name: "streaming-context",
      ...ROOMY,
    }),
    fixture("node-cjs/index.js:handler", { name: "buffered", ...ROOMY }),
  ],
});
const lambda = servedLambdaApi(emulator);

const payload = (event: unknown) => Buffer.from(JSON.stringify(event));

interface Received {
  readonly chunks: Buffer[];
  readonly complete: InvokeWithResponseStreamCompleteEvent | undefined;
  /** Events after InvokeComplete (there must be none). */
  readonly after: number;
}

async function readEvents(output: InvokeWithResponseStreamCommandOutput): Promise<Received> {
  const chunks: Buffer[] = [];
  let complete: InvokeWithResponseStreamCompleteEvent | undefined;
  let after = 0;
  for await (const event of output.EventStream ?? []) {
    if (complete) after++;
    if (event.PayloadChunk?.Payload) chunks.push(Buffer.from(event.PayloadChunk.Payload));
    if (event.InvokeComplete) complete = event.InvokeComplete;
  }
  return { chunks, complete, after };
}

const text = (received: Received) => Buffer.concat(received.chunks).toString("utf8");
const tail = (complete: InvokeWithResponseStreamCompleteEvent | undefined) =>
  Buffer.from(complete?.LogResult ?? "", "base64").toString("utf8");

function signalFile(): string {
  return join(mkdtempSync(join(tmpdir(), "lo-stream-")), "first-received");
}

describe("InvokeWithResponseStream", () => {
  it("streams the handler's writes as PayloadChunk events, then InvokeComplete with the log tail", async () => {
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({
        FunctionName: "streaming",
        Payload: payload({ chunks: 4 }),
        LogType: "Tail",
      }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe("$LATEST");
    expect(output.ResponseStreamContentType).toBe("application/vnd.amazon.eventstream");
    const received = await readEvents(output);
    expect(text(received)).toBe("chunk 0\nchunk 1\nchunk 2\nchunk 3\n");
    expect(received.complete).toBeDefined();
    expect(received.complete?.ErrorCode).toBeUndefined();
    expect(received.after).toBe(0);
    const log = tail(received.complete);
    const requestId = output.$metadata.requestId;
    expect(log).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    const reportLine = log.split("\n").find((line) => line.startsWith("REPORT"));
    const report = reportLine ? parseReport(reportLine) : undefined;
    expect(report?.ok && report.report.requestId).toBe(requestId);
  });

  it("hands the first chunk to the client before the handler can finish (it waits for the client)", async () => {
    const signal = signalFile();
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({
        FunctionName: "streaming-waits",
        Payload: payload({ signalFile: signal }),
      }),
    );
    const chunks: Buffer[] = [];
    let complete: InvokeWithResponseStreamCompleteEvent | undefined;
    for await (const event of output.EventStream ?? []) {
      if (event.PayloadChunk?.Payload) {
        chunks.push(Buffer.from(event.PayloadChunk.Payload));
        // The handler writes "second" only once this file exists: it exists only once the
        // client holds "first", so the stream cannot have been held back until the end.
        if (Buffer.concat(chunks).includes("data: first") && !existsSync(signal))
          writeFileSync(signal, "");
      }
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    const prelude = JSON.stringify({
      statusCode: 201,
      headers: { "content-type": "text/event-stream", "x-demo": "yes" },
      cookies: ["a=1"],
    });
    // The HTTP prelude passes through as bytes: an API Gateway or a Function URL reads it.
    expect(Buffer.concat(chunks).toString("latin1")).toBe(
      `${prelude}${"\0".repeat(8)}data: first\n\ndata: second\n\n`,
    );
    expect(complete).toEqual({});
  });

  it("sends a buffered handler's whole answer as one PayloadChunk", async () => {
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({
        FunctionName: "buffered",
        Payload: payload({ via: "stream" }),
      }),
    );
    const received = await readEvents(output);
    expect(received.chunks).toHaveLength(1);
    const answer = JSON.parse(text(received));
    expect(answer.echo).toEqual({ via: "stream" });
    expect(answer.context.awsRequestId).toBe(output.$metadata.requestId);
    expect(received.complete).toEqual({});
  });

  it("reports an error thrown mid-stream in InvokeComplete, after what was streamed", async () => {
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({ FunctionName: "streaming-fails", LogType: "Tail" }),
    );
    expect(output.StatusCode).toBe(200);
    const received = await readEvents(output);
    expect(text(received)).toBe("partial\n");
    expect(received.complete?.ErrorCode).toBe("Unhandled");
    expect(JSON.parse(received.complete?.ErrorDetails ?? "{}")).toMatchObject({
      errorType: "Error",
      errorMessage: "stream broke",
    });
    expect(tail(received.complete)).toMatch(/REPORT RequestId: .*Status: error/);
  });

  it("ends a stream the function's timeout cuts with Sandbox.Timedout", async () => {
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({ FunctionName: "streaming-hangs" }),
    );
    const received = await readEvents(output);
    expect(text(received)).toBe("tick\n");
    expect(received.complete?.ErrorCode).toBe("Sandbox.Timedout");
    expect(received.complete?.ErrorDetails).toBe(
      `RequestId: ${output.$metadata.requestId} Error: Task timed out after 2.00 seconds`,
    );
  });

  it("cuts a stream at 200 MB with Function.ResponseSizeTooLarge", {
    timeout: 300_000,
  }, async () => {
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({ FunctionName: "streaming-huge" }),
    );
    let bytes = 0;
    let complete: InvokeWithResponseStreamCompleteEvent | undefined;
    for await (const event of output.EventStream ?? []) {
      bytes += event.PayloadChunk?.Payload?.length ?? 0;
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    expect(complete?.ErrorCode).toBe("Function.ResponseSizeTooLarge");
    expect(complete?.ErrorDetails).toBe(
      `Response payload size exceeded maximum allowed payload size (${200 * MB} bytes).`,
    );
    // What came before the limit reached the client; nothing past it.
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(200 * MB);
  });

  it("passes the client context and the qualifier, as Invoke does", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: "t1" } })).toString(
      "base64",
    );
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({
        FunctionName: "streaming-context",
        Qualifier: "$LATEST",
        ClientContext: clientContext,
        Payload: payload({ n: 1 }),
      }),
    );
    expect(output.ExecutedVersion).toBe("$LATEST");
    expect(JSON.parse(text(await readEvents(output)))).toEqual({
      event: { n: 1 },
      clientContext: { custom: { tenant: "t1" } },
    });

    const { Version } = await lambda().send(
      new PublishVersionCommand({ FunctionName: "streaming-context" }),
    );
    await lambda().send(
      new CreateAliasCommand({
        FunctionName: "streaming-context",
        Name: "live",
        FunctionVersion: Version,
      }),
    );
    const viaAlias = await lambda().send(
      new InvokeWithResponseStreamCommand({
        FunctionName: "streaming-context",
        Qualifier: "live",
        Payload: payload({ n: 2 }),
      }),
    );
    // The alias's version, known (and sent) before the function answers.
    expect(viaAlias.ExecutedVersion).toBe(Version);
    expect(JSON.parse(text(await readEvents(viaAlias)))).toEqual({
      event: { n: 2 },
      clientContext: null,
    });
  });

  it("answers DryRun with 204 and no events", async () => {
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({ FunctionName: "streaming", InvocationType: "DryRun" }),
    );
    expect(output.StatusCode).toBe(204);
    expect(output.ExecutedVersion).toBe("$LATEST");
    const received = await readEvents(output);
    expect(received.chunks).toHaveLength(0);
    expect(received.complete).toBeUndefined();
  });

  it("refuses what Invoke refuses, and Event, before any stream", async () => {
    await expect(
      lambda().send(new InvokeWithResponseStreamCommand({ FunctionName: "nobody" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      lambda().send(
        new InvokeWithResponseStreamCommand({
          FunctionName: "streaming",
          Payload: Buffer.from("{oops"),
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidRequestContentException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      lambda().send(
        new InvokeWithResponseStreamCommand({ FunctionName: "streaming", ClientContext: "@@" }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidRequestContentException",
      message: "Client context must be a valid Base64-encoded JSON object: it is not base64",
    });
    await expect(
      lambda().send(
        new InvokeWithResponseStreamCommand({
          FunctionName: "streaming",
          // Not in the SDK's type for this operation (Lambda does not stream to nobody), sent anyway.
          InvocationType: "Event" as "DryRun",
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      message:
        "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
    });
  });

  it("lets an invocation whose client disconnected mid-stream finish, and serves the next", async () => {
    const signal = signalFile();
    const abort = new AbortController();
    const output = await lambda().send(
      new InvokeWithResponseStreamCommand({
        FunctionName: "streaming-waits",
        Payload: payload({ signalFile: signal }),
      }),
      { abortSignal: abort.signal },
    );
    const seen: Buffer[] = [];
    await expect(
      (async () => {
        for await (const event of output.EventStream ?? []) {
          if (event.PayloadChunk?.Payload) seen.push(Buffer.from(event.PayloadChunk.Payload));
          if (Buffer.concat(seen).includes("data: first")) {
            // The client goes away; then the handler may write the rest to nobody.
            abort.abort();
            writeFileSync(signal, "");
          }
        }
      })(),
    ).rejects.toThrow();
    expect(Buffer.concat(seen).toString("latin1")).not.toContain("data: second");

    // One environment for this function: until the abandoned invocation ends it is busy
    // (TooManyRequestsException), then it serves again, warm (no init: it was not replaced).
    const again = signalFile();
    writeFileSync(again, "");
    let next: InvokeWithResponseStreamCommandOutput | undefined;
    while (!next) {
      next = await lambda()
        .send(
          new InvokeWithResponseStreamCommand({
            FunctionName: "streaming-waits",
            Payload: payload({ signalFile: again }),
            LogType: "Tail",
          }),
        )
        .catch((error: Error) => {
          if (error.name !== "TooManyRequestsException") throw error;
          return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50));
        });
    }
    const received = await readEvents(next);
    expect(text(received)).toContain("data: first\n\ndata: second\n\n");
    expect(received.complete?.ErrorCode).toBeUndefined();
    const reportLine = tail(received.complete)
      .split("\n")
      .find((line) => line.startsWith("REPORT"));
    expect(reportLine).toBeDefined();
    expect(reportLine).not.toContain("Init Duration");
  });
});
