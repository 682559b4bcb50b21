/** The Lambda API served over HTTP, driven by the real @aws-sdk/client-lambda. */
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import { parseReport } from "../../src/lambda/report-line.js";
import { fixture, servedLambdaApi, stateDir } from "./emulator-fixtures.js";

const emulator = new Emulator({
  stateDir: stateDir(),
  maxEnvironmentsPerFunction: 1,
  functions: [
    fixture("node-cjs/index.js:handler", { name: "context", memoryMb: 256 }),
    fixture("node-faults/index.mjs:throws", { name: "throws" }),
    fixture("node-faults/index.mjs:spins", { name: "slow", timeoutSeconds: 2 }),
    fixture("node-esm/handler.mjs:handler", { name: "deletable" }),
  ],
});
const lambda = servedLambdaApi(emulator);

const decode = (bytes: Uint8Array | undefined) =>
  JSON.parse(Buffer.from(bytes ?? []).toString("utf8"));

describe("Invoke", () => {
  it("returns the payload, the executed version and the log tail", async () => {
    const result = await lambda().send(
      new InvokeCommand({
        FunctionName: "context",
        Payload: Buffer.from('{"via":"sdk"}'),
        LogType: "Tail",
      }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe("$LATEST");
    expect(result.FunctionError).toBeUndefined();
    expect(decode(result.Payload).echo).toEqual({ via: "sdk" });
    const log = Buffer.from(result.LogResult ?? "", "base64").toString("utf8");
    const reportLine = log.split("\n").find((line) => line.startsWith("REPORT"));
    const report = reportLine ? parseReport(reportLine) : undefined;
    expect(report?.ok && report.report.memorySizeMb).toBe(256);
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(4096);
  });

  it("takes the function as an ARN and reports a function error in X-Amz-Function-Error", async () => {
    const result = await lambda().send(
      new InvokeCommand({ FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:throws" }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe("Unhandled");
    expect(decode(result.Payload)).toMatchObject({
      errorType: "RangeError",
      errorMessage: "out of range",
    });
  });

  it("answers Event with 202 and DryRun with 204", async () => {
    expect(
      (await lambda().send(new InvokeCommand({ FunctionName: "context", InvocationType: "Event" })))
        .StatusCode,
    ).toBe(202);
    expect(
      (
        await lambda().send(
          new InvokeCommand({ FunctionName: "context", InvocationType: "DryRun" }),
        )
      ).StatusCode,
    ).toBe(204);
  });

  it("refuses a payload that is not JSON with InvalidRequestContentException", async () => {
    await expect(
      lambda().send(new InvokeCommand({ FunctionName: "context", Payload: Buffer.from("{oops") })),
    ).rejects.toMatchObject({
      name: "InvalidRequestContentException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("throttles with 429 TooManyRequestsException beyond the concurrency limit", async () => {
    const slow = lambda().send(new InvokeCommand({ FunctionName: "slow" }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(lambda().send(new InvokeCommand({ FunctionName: "slow" }))).rejects.toMatchObject({
      name: "TooManyRequestsException",
      $metadata: { httpStatusCode: 429 },
    });
    expect((await slow).FunctionError).toBe("Unhandled");
  });

  it("answers 404 ResourceNotFoundException for an unknown function", async () => {
    await expect(
      lambda().send(new InvokeCommand({ FunctionName: "nobody" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe("configuration, versions and aliases", () => {
  it("updates the configuration, recycles environments and runs the new memory size", async () => {
    const before = await lambda().send(
      new GetFunctionConfigurationCommand({ FunctionName: "context" }),
    );
    expect(before).toMatchObject({
      MemorySize: 256,
      State: "Active",
      LastUpdateStatus: "Successful",
      Architectures: ["x86_64"],
    });
    const updated = await lambda().send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: "context",
        MemorySize: 1024,
        Timeout: 10,
        Environment: { Variables: { GREETING: "updated" } },
        EphemeralStorage: { Size: 1024 },
        Description: "tuned",
      }),
    );
    expect(updated).toMatchObject({
      MemorySize: 1024,
      Timeout: 10,
      EphemeralStorage: { Size: 1024 },
      Description: "tuned",
    });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    // As on Lambda, the architecture changes through UpdateFunctionCode.
    const arm = await lambda().send(
      new UpdateFunctionCodeCommand({ FunctionName: "context", Architectures: ["arm64"] }),
    );
    expect(arm.Architectures).toEqual(["arm64"]);
    await expect(
      lambda().send(
        new UpdateFunctionCodeCommand({ FunctionName: "context", ZipFile: Buffer.from("zip") }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    const result = await lambda().send(new InvokeCommand({ FunctionName: "context" }));
    const response = decode(result.Payload);
    expect(response.context.memoryLimitInMB).toBe("1024");
    expect(response.env.GREETING).toBe("updated");
  });

  it("refuses an invalid memory size with InvalidParameterValueException", async () => {
    await expect(
      lambda().send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "context", MemorySize: 64 }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("publishes versions, aliases them and invokes through the alias", async () => {
    await lambda().send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "context", MemorySize: 512 }),
    );
    const v1 = await lambda().send(
      new PublishVersionCommand({ FunctionName: "context", Description: "512" }),
    );
    expect(v1.Version).toBe("1");
    expect(v1.FunctionArn).toBe("arn:aws:lambda:us-east-1:123456789012:function:context:1");
    // Publishing an unchanged $LATEST again returns the same version.
    expect(
      (await lambda().send(new PublishVersionCommand({ FunctionName: "context" }))).Version,
    ).toBe("1");
    await lambda().send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "context", MemorySize: 2048 }),
    );
    const v2 = await lambda().send(new PublishVersionCommand({ FunctionName: "context" }));
    expect(v2.Version).toBe("2");
    const versions = await lambda().send(
      new ListVersionsByFunctionCommand({ FunctionName: "context" }),
    );
    expect(versions.Versions?.map((version) => [version.Version, version.MemorySize])).toEqual([
      ["$LATEST", 2048],
      ["1", 512],
      ["2", 2048],
    ]);

    const alias = await lambda().send(
      new CreateAliasCommand({ FunctionName: "context", Name: "tuning", FunctionVersion: "1" }),
    );
    expect(alias.AliasArn).toBe("arn:aws:lambda:us-east-1:123456789012:function:context:tuning");
    const viaAlias = await lambda().send(
      new InvokeCommand({ FunctionName: "context", Qualifier: "tuning" }),
    );
    expect(viaAlias.ExecutedVersion).toBe("1");
    expect(decode(viaAlias.Payload).context).toMatchObject({
      memoryLimitInMB: "512",
      functionVersion: "1",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:context:tuning",
    });
    const viaArn = await lambda().send(
      new InvokeCommand({
        FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:context:2",
      }),
    );
    expect(decode(viaArn.Payload).context.memoryLimitInMB).toBe("2048");

    await expect(
      lambda().send(
        new CreateAliasCommand({ FunctionName: "context", Name: "tuning", FunctionVersion: "2" }),
      ),
    ).rejects.toMatchObject({
      name: "ResourceConflictException",
      $metadata: { httpStatusCode: 409 },
    });
    const moved = await lambda().send(
      new UpdateAliasCommand({ FunctionName: "context", Name: "tuning", FunctionVersion: "2" }),
    );
    expect(moved.FunctionVersion).toBe("2");
    expect(
      (await lambda().send(new GetAliasCommand({ FunctionName: "context", Name: "tuning" })))
        .FunctionVersion,
    ).toBe("2");
    expect(
      (await lambda().send(new ListAliasesCommand({ FunctionName: "context" }))).Aliases?.map(
        (entry) => entry.Name,
      ),
    ).toEqual(["tuning"]);

    // A version an alias points at cannot be deleted; once the alias is gone it can.
    await expect(
      lambda().send(new DeleteFunctionCommand({ FunctionName: "context", Qualifier: "2" })),
    ).rejects.toMatchObject({
      name: "ResourceConflictException",
    });
    await lambda().send(new DeleteAliasCommand({ FunctionName: "context", Name: "tuning" }));
    await lambda().send(new DeleteFunctionCommand({ FunctionName: "context", Qualifier: "2" }));
    await expect(
      lambda().send(
        new GetFunctionConfigurationCommand({ FunctionName: "context", Qualifier: "2" }),
      ),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    await expect(
      lambda().send(new GetAliasCommand({ FunctionName: "context", Name: "tuning" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("gets and lists functions, and deletes one", async () => {
    const got = await lambda().send(new GetFunctionCommand({ FunctionName: "deletable" }));
    expect(got.Configuration).toMatchObject({
      FunctionName: "deletable",
      Runtime: "nodejs22.x",
      Handler: "handler.handler",
      PackageType: "Zip",
    });
    const listed = await lambda().send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((fn) => fn.FunctionName)).toEqual(
      expect.arrayContaining(["context", "throws", "slow", "deletable"]),
    );
    await lambda().send(new DeleteFunctionCommand({ FunctionName: "deletable" }));
    await expect(
      lambda().send(new GetFunctionCommand({ FunctionName: "deletable" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });
});
