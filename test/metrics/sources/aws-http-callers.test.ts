/**
 * A deployed function's callers over HTTP (its Function URL, the API Gateway
 * and load balancer permissions of its policy), read from a real AWS-API
 * server (moto 5) through the real SDK by observeFunctions, and what they make
 * of memory-unmeasured: an API handler, the guide's 512 MB. The reads AWS may
 * refuse (AccessDenied) are stubbed: moto does not enforce IAM.
 */
import {
  AddPermissionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricsAggregator } from "../../../src/metrics/aggregate.js";
import type { AwsFunctionObservations } from "../../../src/metrics/aws-observations.js";
import { buildMetricsReport } from "../../../src/metrics/build-report.js";
import type { LambdaSender } from "../../../src/metrics/sources/aws-functions.js";
import { httpCallersOf } from "../../../src/metrics/sources/aws-http-callers.js";
import { observeFunctions } from "../../../src/metrics/sources/aws-source.js";
import { BUNDLED_PRICE_TABLE } from "../../../src/pricing/price-table.js";
import { type MotoServer, startMotoServer } from "../../setup/moto-server.js";
import {
  ACCOUNT,
  createFunction,
  createRole,
  motoClients,
  motoConnection,
  REGION,
  recordingSink,
} from "./moto-fixtures.js";

const HOUR = 3_600_000;
const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const window = { start: new Date(end.getTime() - 24 * HOUR), end };

const GUIDANCE =
  "That is guidance, not measurement: no REPORT line was read, so nothing measured its memory; run `lambda-optimizer tune` to measure.";

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMotoServer();
  const { lambda } = motoClients(moto.endpoint);
  await createRole(moto.endpoint);
  await createFunction(lambda, { FunctionName: "checkout-url", MemorySize: 1024 });
  await lambda.send(
    new CreateFunctionUrlConfigCommand({ FunctionName: "checkout-url", AuthType: "NONE" }),
  );
  await createFunction(lambda, { FunctionName: "orders-api", MemorySize: 128 });
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: "orders-api",
      StatementId: "orders-api-gateway",
      Action: "lambda:InvokeFunction",
      Principal: "apigateway.amazonaws.com",
      SourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:abc123/*/GET/orders`,
    }),
  );
  await createFunction(lambda, { FunctionName: "targets-alb", MemorySize: 512 });
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: "targets-alb",
      StatementId: "alb",
      Action: "lambda:InvokeFunction",
      Principal: "elasticloadbalancing.amazonaws.com",
    }),
  );
  await createFunction(lambda, { FunctionName: "nightly", MemorySize: 256 });
  // A permission for a service that waits on nothing over HTTP: not an API caller.
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: "nightly",
      StatementId: "schedule",
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
    }),
  );
  lambda.destroy();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

async function observe(): Promise<Map<string, AwsFunctionObservations>> {
  const observations = await observeFunctions(
    motoConnection(moto.endpoint),
    {
      functions: ["checkout-url", "orders-api", "targets-alb", "nightly"],
      window,
      maxLogEvents: 100,
    },
    recordingSink(),
  );
  return new Map(observations.map((observed) => [observed.configuration.functionName, observed]));
}

function memoryUnmeasured(observed: AwsFunctionObservations) {
  const report = buildMetricsReport({
    aggregator: new MetricsAggregator(),
    aws: [observed],
    source: { kind: "aws", inputs: [observed.configuration.functionName], region: REGION },
    priceTable: BUNDLED_PRICE_TABLE,
    window,
    problems: [],
  });
  return report.functions[0]!.recommendations.find(({ id }) => id === "memory-unmeasured");
}

describe("callers over HTTP against moto", () => {
  it("reads a Function URL, an API Gateway and a load balancer permission, and nothing else", async () => {
    const observed = await observe();
    const callers = (name: string) => observed.get(name)!.configuration.httpCallers;
    expect(callers("checkout-url")).toEqual({ callers: ["Function URL"], unread: [] });
    expect(callers("orders-api")).toEqual({ callers: ["API Gateway permission"], unread: [] });
    expect(callers("targets-alb")).toEqual({ callers: ["load balancer permission"], unread: [] });
    expect(callers("nightly")).toEqual({ callers: [], unread: [] });
  });

  it("an API Gateway permission, no REPORT line: an API handler, 512 MB by the guide", async () => {
    const found = memoryUnmeasured((await observe()).get("orders-api")!);
    expect(found).toEqual({
      id: "memory-unmeasured",
      severity: "info",
      message: `The guide's starting point for an API handler (API Gateway permission) is 512 MB (standard API handlers, moderate data processing); it has 128 MB. ${GUIDANCE}`,
      evidence:
        "no REPORT line read, so no Max Memory Used; 128 MB configured; no event source mapping; called over HTTP through API Gateway permission",
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    });
  });

  it("a Function URL: an API handler too, against the 1024 MB it has", async () => {
    const found = memoryUnmeasured((await observe()).get("checkout-url")!);
    expect(found!.message).toBe(
      `The guide's starting point for an API handler (Function URL) is 512 MB (standard API handlers, moderate data processing); it has 1024 MB. ${GUIDANCE}`,
    );
  });

  it("an EventBridge permission only: no caller over HTTP, the guide's whole table", async () => {
    const found = memoryUnmeasured((await observe()).get("nightly")!);
    expect(found!.message).toContain("The guide's starting points by workload are 128 MB");
    expect(found!.evidence).toContain("no Function URL, API Gateway or load balancer permission");
  });
});

describe("httpCallersOf", () => {
  const awsError = (name: string, status: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  it("AccessDenied on GetPolicy: a note and the read named, the Function URL still read", async () => {
    const sender = {
      send: async (command: object) => {
        if (command instanceof GetFunctionUrlConfigCommand)
          return { FunctionUrl: "https://abc.lambda-url.us-east-1.on.aws/" };
        if (command instanceof GetPolicyCommand) throw awsError("AccessDeniedException", 403);
        throw new Error("unexpected call");
      },
    } as unknown as LambdaSender;
    const notes: string[] = [];
    const callers = await httpCallersOf(sender, "checkout", { onNote: (note) => notes.push(note) });
    expect(callers).toEqual({
      callers: ["Function URL"],
      unread: ["GetPolicy: AccessDeniedException HTTP 403"],
    });
    expect(notes).toEqual([
      "GetPolicy: AccessDeniedException HTTP 403: callers over HTTP (Function URL, API Gateway, load balancer) may be missing; memory-unmeasured's evidence says where",
    ]);
  });

  it("both reads refused: memory-unmeasured says what it could not see and which permissions show it", async () => {
    const sender = {
      send: async () => {
        throw awsError("AccessDeniedException", 403);
      },
    } as unknown as LambdaSender;
    const httpCallers = await httpCallersOf(sender, "orders-api");
    const observed = (await observe()).get("orders-api")!;
    const found = memoryUnmeasured({
      ...observed,
      configuration: { ...observed.configuration, httpCallers },
    });
    expect(found!.message).toContain("The guide's starting points by workload are");
    expect(found!.evidence).toBe(
      "no REPORT line read, so no Max Memory Used; 128 MB configured; no event source mapping; no Function URL, API Gateway or load balancer permission as far as could be read (GetFunctionUrlConfig: AccessDeniedException HTTP 403, GetPolicy: AccessDeniedException HTTP 403: lambda:GetFunctionUrlConfig and lambda:GetPolicy let metrics see them)",
    );
  });

  it("a policy's Function URL permission shows the URL when GetFunctionUrlConfig is refused", async () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "lambda:InvokeFunctionUrl",
          Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
        },
      ],
    };
    const sender = {
      send: async (command: object) => {
        if (command instanceof GetPolicyCommand) return { Policy: JSON.stringify(policy) };
        throw awsError("AccessDeniedException", 403);
      },
    } as unknown as LambdaSender;
    expect(await httpCallersOf(sender, "checkout")).toEqual({
      callers: ["Function URL"],
      unread: ["GetFunctionUrlConfig: AccessDeniedException HTTP 403"],
    });
  });
});
