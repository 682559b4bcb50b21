import {
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import {
  eventSourceService,
  functionConfigurationFacts,
  type LambdaSender,
  listFunctionNames,
  UnknownFunctionError,
} from "../../../src/metrics/sources/aws-functions.js";

/** A Lambda API that answers each command type with the given handler. */
function fakeLambda(handlers: Record<string, (input: Record<string, unknown>) => unknown>) {
  const calls: { command: string; input: Record<string, unknown> }[] = [];
  const sender = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push({ command: name, input: command.input });
      const handler = handlers[name];
      if (!handler) throw new Error(`unexpected ${name}`);
      return handler(command.input);
    },
  } as unknown as LambdaSender;
  return { sender, calls };
}

const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

const configuration = {
  FunctionName: "orders",
  FunctionArn: "arn:aws:lambda:eu-west-1:111122223333:function:orders",
  Runtime: "nodejs22.x",
  MemorySize: 1024,
  Architectures: ["x86_64"],
  Timeout: 15,
  EphemeralStorage: { Size: 2048 },
  PackageType: "Zip",
};

describe("listFunctionNames", () => {
  it("follows NextMarker through every page with the page size asked for", async () => {
    const pages: Record<string, { Functions: { FunctionName: string }[]; NextMarker?: string }> = {
      start: { Functions: [{ FunctionName: "a" }, { FunctionName: "b" }], NextMarker: "m1" },
      m1: { Functions: [{ FunctionName: "c" }, { FunctionName: "d" }], NextMarker: "m2" },
      m2: { Functions: [{ FunctionName: "e" }] },
    };
    const { sender, calls } = fakeLambda({
      [ListFunctionsCommand.name]: (input) => pages[(input.Marker as string) ?? "start"],
    });
    expect(await listFunctionNames(sender, { pageSize: 2 })).toEqual(["a", "b", "c", "d", "e"]);
    expect(calls.map((call) => call.input)).toEqual([
      { Marker: undefined, MaxItems: 2 },
      { Marker: "m1", MaxItems: 2 },
      { Marker: "m2", MaxItems: 2 },
    ]);
  });
});

describe("functionConfigurationFacts", () => {
  const handlers = (
    overrides: Record<string, (input: Record<string, unknown>) => unknown> = {},
  ) => ({
    [GetFunctionConfigurationCommand.name]: () => configuration,
    [GetFunctionConcurrencyCommand.name]: () => ({}),
    [ListProvisionedConcurrencyConfigsCommand.name]: () => ({ ProvisionedConcurrencyConfigs: [] }),
    [ListEventSourceMappingsCommand.name]: () => ({ EventSourceMappings: [] }),
    ...overrides,
  });

  it("sums provisioned concurrency over every page and names each trigger's service", async () => {
    const { sender, calls } = fakeLambda(
      handlers({
        [GetFunctionConcurrencyCommand.name]: () => ({ ReservedConcurrentExecutions: 50 }),
        [ListProvisionedConcurrencyConfigsCommand.name]: (input) =>
          input.Marker === "next"
            ? { ProvisionedConcurrencyConfigs: [{ RequestedProvisionedConcurrentExecutions: 5 }] }
            : {
                ProvisionedConcurrencyConfigs: [
                  { RequestedProvisionedConcurrentExecutions: 10 },
                  { RequestedProvisionedConcurrentExecutions: 2 },
                ],
                NextMarker: "next",
              },
        [ListEventSourceMappingsCommand.name]: (input) =>
          input.Marker === "more"
            ? {
                EventSourceMappings: [
                  {
                    EventSourceArn:
                      "arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/2024-01-01T00:00:00.000",
                    State: "Disabled",
                  },
                ],
              }
            : {
                EventSourceMappings: [
                  {
                    EventSourceArn: "arn:aws:kinesis:eu-west-1:111122223333:stream/s",
                    State: "Enabled",
                  },
                ],
                NextMarker: "more",
              },
      }),
    );
    const facts = await functionConfigurationFacts(sender, configuration.FunctionArn);
    expect(facts).toEqual({
      functionName: "orders",
      functionArn: configuration.FunctionArn,
      runtime: "nodejs22.x",
      memoryMb: 1024,
      architecture: "x86_64",
      timeoutSeconds: 15,
      ephemeralStorageMb: 2048,
      reservedConcurrency: 50,
      provisionedConcurrency: 17,
      packageType: "Zip",
      eventSources: [
        {
          service: "kinesis",
          arn: "arn:aws:kinesis:eu-west-1:111122223333:stream/s",
          state: "Enabled",
        },
        {
          service: "dynamodb",
          arn: "arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/2024-01-01T00:00:00.000",
          state: "Disabled",
        },
      ],
    });
    // Looked up by ARN once, then by the plain name the configuration gives.
    const byName = calls.filter((call) => call.command !== GetFunctionConfigurationCommand.name);
    expect(byName.every((call) => call.input.FunctionName === "orders")).toBe(true);
  });

  it("counts provisioned concurrency as 0, with a note, when the endpoint cannot answer", async () => {
    const notes: string[] = [];
    const { sender } = fakeLambda(
      handlers({
        [ListProvisionedConcurrencyConfigsCommand.name]: () => {
          throw awsError("InternalFailure", 500);
        },
      }),
    );
    const facts = await functionConfigurationFacts(sender, "orders", {
      onNote: (note) => notes.push(note),
    });
    expect(facts.provisionedConcurrency).toBe(0);
    expect(notes).toEqual([
      expect.stringMatching(/orders: .*ListProvisionedConcurrencyConfigs.*HTTP 500/),
    ]);
  });

  it("lets any other failure through", async () => {
    const { sender } = fakeLambda(
      handlers({
        [ListProvisionedConcurrencyConfigsCommand.name]: () => {
          throw awsError("AccessDeniedException", 403);
        },
      }),
    );
    await expect(functionConfigurationFacts(sender, "orders")).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
  });

  it("turns ResourceNotFoundException into an UnknownFunctionError that names the function", async () => {
    const { sender } = fakeLambda({
      [GetFunctionConfigurationCommand.name]: () => {
        throw awsError("ResourceNotFoundException", 404);
      },
    });
    const failing = functionConfigurationFacts(sender, "typo-function", { region: "eu-west-1" });
    await expect(failing).rejects.toBeInstanceOf(UnknownFunctionError);
    await expect(failing).rejects.toThrow(
      "function typo-function not found in eu-west-1: check the name or ARN, the region and the AWS profile",
    );
    await expect(failing).rejects.toMatchObject({ functionName: "typo-function" });
  });

  it("describes a container image function, which has no runtime", async () => {
    const { sender } = fakeLambda(
      handlers({
        [GetFunctionConfigurationCommand.name]: () => ({
          ...configuration,
          Runtime: undefined,
          PackageType: "Image",
          Architectures: ["arm64"],
        }),
      }),
    );
    expect(await functionConfigurationFacts(sender, "orders")).toMatchObject({
      runtime: "image",
      packageType: "Image",
      architecture: "arm64",
    });
  });
});

describe("eventSourceService", () => {
  it("reads the service from the ARN, and calls self-managed Kafka kafka", () => {
    expect(eventSourceService("arn:aws:sqs:us-east-1:123456789012:q")).toBe("sqs");
    expect(eventSourceService("arn:aws:kafka:us-east-1:123456789012:cluster/c/x")).toBe("kafka");
    expect(eventSourceService("arn:aws:mq:us-east-1:123456789012:broker:b:id")).toBe("mq");
    expect(eventSourceService("arn:aws-cn:sqs:cn-north-1:123456789012:q")).toBe("sqs");
    expect(eventSourceService("arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/s")).toBe(
      "kinesis",
    );
    expect(eventSourceService("not-an-arn")).toBe("unknown");
    expect(eventSourceService(undefined, { Endpoints: {} })).toBe("kafka");
    expect(eventSourceService(undefined)).toBe("unknown");
  });
});
