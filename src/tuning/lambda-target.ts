/**
 * The Lambda API operations the tuner needs, for one function, with
 * configuration updates awaited. The SDK retries throttling, 5xx answers and
 * dropped connections (aws/client-config.ts); what a retry of a call that is
 * not idempotent can meet (the first attempt did happen, only its answer was
 * lost) is handled here. Speaks only the Lambda API, so it
 * works the same against AWS, `lambda-optimizer emulate` and the embedded
 * emulator.
 */
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { type Report, reportFromLogTail } from "../lambda/report-line.js";
import { type Architecture, isArchitecture } from "../pricing/price-table.js";

export interface FunctionState {
  readonly functionArn: string;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly runtime: string;
  /** Lambda's CodeSha256 of the code; undefined where the Lambda API gives none. */
  readonly codeSha256: string | undefined;
}

export interface InvocationOutcome {
  readonly report: Report | undefined;
  /** The function's error type ("Unhandled" functions report errorType in the payload). */
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  /**
   * ms from the invocation's start to the first byte of its answer, where the endpoint lets the
   * tuner know it (FirstByteTimes); null when no byte came; undefined when not measured.
   */
  readonly ttfbMs?: number | null;
}

/**
 * Each invocation's time to first byte, by request id, as the endpoint measured it: the
 * embedded emulator times every answer's first byte (api/open-target.ts hands its figures
 * over). Reading one forgets it. AWS's Invoke says nothing of it, so a deployed target has none.
 */
export type FirstByteTimes = (requestId: string) => number | null | undefined;

/** How the tuner learns each answer's time to first byte, if at all. */
export interface FirstByteTiming {
  /** The endpoint's own figures, by request id (the embedded emulator). */
  readonly reported?: FirstByteTimes;
  /**
   * Invoke through InvokeWithResponseStream and time, from the client, the first PayloadChunk
   * after sending: what a caller of a deployed function waits for (`--metric ttfb` on AWS).
   */
  readonly timedByClient?: boolean;
}

const UPDATE_POLL_MS = [25, 50, 100, 200, 500, 1000];
const UPDATE_TIMEOUT_MS = 5 * 60_000;

export class LambdaTarget {
  constructor(
    private readonly client: LambdaClient,
    readonly functionName: string,
    private readonly firstByte: FirstByteTiming = {},
  ) {}

  async state(qualifier?: string): Promise<FunctionState> {
    const configuration = await this.client.send(
      new GetFunctionConfigurationCommand({
        FunctionName: this.functionName,
        Qualifier: qualifier,
      }),
    );
    const architecture = configuration.Architectures?.[0] ?? "x86_64";
    return {
      functionArn: configuration.FunctionArn ?? this.functionName,
      memoryMb: configuration.MemorySize ?? 128,
      architecture: isArchitecture(architecture) ? architecture : "x86_64",
      description: configuration.Description ?? "",
      environment: configuration.Environment?.Variables ?? {},
      runtime: configuration.Runtime ?? "",
      codeSha256: configuration.CodeSha256 || undefined,
    };
  }

  /** Change $LATEST's configuration and wait until Lambda has applied it. */
  async updateConfiguration(change: {
    memoryMb?: number;
    description?: string;
    environment?: Readonly<Record<string, string>>;
  }): Promise<void> {
    await this.whenNoUpdateRuns(() =>
      this.client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: this.functionName,
          ...(change.memoryMb !== undefined ? { MemorySize: change.memoryMb } : {}),
          ...(change.description !== undefined ? { Description: change.description } : {}),
          ...(change.environment !== undefined
            ? { Environment: { Variables: { ...change.environment } } }
            : {}),
        }),
      ),
    );
    await this.waitUntilUpdated();
  }

  /**
   * Change $LATEST's architecture. Lambda does that through UpdateFunctionCode;
   * where it insists on the code too (AWS itself), the function's own zip is
   * downloaded and uploaded again unchanged.
   */
  async setArchitecture(architecture: Architecture): Promise<void> {
    const update = (zip?: Uint8Array) =>
      this.whenNoUpdateRuns(() =>
        this.client.send(
          new UpdateFunctionCodeCommand({
            FunctionName: this.functionName,
            Architectures: [architecture],
            ...(zip ? { ZipFile: zip } : {}),
          }),
        ),
      );
    try {
      await update();
    } catch (error) {
      if ((error as { name?: string }).name !== "InvalidParameterValueException") throw error;
      await update(await this.downloadCode());
    }
    await this.waitUntilUpdated();
  }

  async publishVersion(description: string): Promise<{ version: string; description: string }> {
    const published = await this.whenNoUpdateRuns(() =>
      this.client.send(
        new PublishVersionCommand({ FunctionName: this.functionName, Description: description }),
      ),
    );
    if (!published.Version)
      throw new Error(`PublishVersion of ${this.functionName} returned no version`);
    return { version: published.Version, description: published.Description ?? "" };
  }

  /** Published versions with their descriptions ($LATEST left out). */
  async versions(): Promise<{ version: string; description: string }[]> {
    const versions: { version: string; description: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new ListVersionsByFunctionCommand({ FunctionName: this.functionName, Marker: marker }),
      );
      for (const entry of page.Versions ?? []) {
        if (entry.Version && entry.Version !== "$LATEST") {
          versions.push({ version: entry.Version, description: entry.Description ?? "" });
        }
      }
      marker = page.NextMarker;
    } while (marker);
    return versions;
  }

  /** The version an alias points at, or undefined when there is no such alias. */
  async aliasVersion(name: string): Promise<string | undefined> {
    try {
      const alias = await this.client.send(
        new GetAliasCommand({ FunctionName: this.functionName, Name: name }),
      );
      return alias.FunctionVersion;
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceNotFoundException") return undefined;
      throw error;
    }
  }

  /**
   * A retry after a lost answer meets the alias the first attempt created:
   * pointing where it should, that is success.
   */
  async createAlias(name: string, version: string, description: string): Promise<void> {
    try {
      await this.client.send(
        new CreateAliasCommand({
          FunctionName: this.functionName,
          Name: name,
          FunctionVersion: version,
          Description: description,
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== "ResourceConflictException") throw error;
      if ((await this.aliasVersion(name)) !== version) throw error;
    }
  }

  async pointAlias(name: string, version: string): Promise<void> {
    await this.client.send(
      new UpdateAliasCommand({
        FunctionName: this.functionName,
        Name: name,
        FunctionVersion: version,
      }),
    );
  }

  async deleteAlias(name: string): Promise<void> {
    await this.ignoreMissing(() =>
      this.client.send(new DeleteAliasCommand({ FunctionName: this.functionName, Name: name })),
    );
  }

  async deleteVersion(version: string): Promise<void> {
    await this.ignoreMissing(() =>
      this.client.send(
        new DeleteFunctionCommand({ FunctionName: this.functionName, Qualifier: version }),
      ),
    );
  }

  /** Invoke synchronously with the log tail, and read the REPORT line from it. */
  async invoke(qualifier: string, payload: Uint8Array): Promise<InvocationOutcome> {
    if (this.firstByte.timedByClient) return this.invokeStreamed(qualifier, payload);
    const result = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        Qualifier: qualifier,
        Payload: payload,
        LogType: "Tail",
      }),
    );
    const report = reportFromLogTail(
      Buffer.from(result.LogResult ?? "", "base64").toString("utf8"),
    );
    const ttfbMs = report ? this.firstByte.reported?.(report.requestId) : undefined;
    const timing = ttfbMs !== undefined ? { ttfbMs } : {};
    if (!result.FunctionError)
      return { report, errorType: undefined, errorMessage: undefined, ...timing };
    let errorType = result.FunctionError;
    let errorMessage = "";
    try {
      const body = JSON.parse(Buffer.from(result.Payload ?? []).toString("utf8")) as {
        errorType?: string;
        errorMessage?: string;
      };
      errorType = body.errorType ?? errorType;
      errorMessage = body.errorMessage ?? "";
    } catch {
      errorMessage = Buffer.from(result.Payload ?? []).toString("utf8");
    }
    return { report, errorType, errorMessage, ...timing };
  }

  /**
   * InvokeWithResponseStream with the log tail: the answer as PayloadChunk events, then
   * InvokeComplete with the error (if any) and the LogResult holding the REPORT line. The time
   * to first byte runs from just before the request is sent to the first PayloadChunk's arrival
   * (null when none came): the network's share included, as a caller sees it.
   */
  private async invokeStreamed(qualifier: string, payload: Uint8Array): Promise<InvocationOutcome> {
    const sentAt = performance.now();
    const output = await this.client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: this.functionName,
        Qualifier: qualifier,
        Payload: payload,
        LogType: "Tail",
      }),
    );
    let firstChunkAt: number | undefined;
    let complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } | undefined;
    for await (const event of output.EventStream ?? []) {
      if (event.PayloadChunk) firstChunkAt ??= performance.now();
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    const report = reportFromLogTail(
      Buffer.from(complete?.LogResult ?? "", "base64").toString("utf8"),
    );
    const ttfbMs =
      firstChunkAt === undefined ? null : Math.round((firstChunkAt - sentAt) * 100) / 100;
    if (!complete?.ErrorCode)
      return { report, errorType: undefined, errorMessage: undefined, ttfbMs };
    return {
      report,
      errorType: complete.ErrorCode,
      errorMessage: complete.ErrorDetails ?? "",
      ttfbMs,
    };
  }

  private async waitUntilUpdated(): Promise<void> {
    const started = Date.now();
    for (let poll = 0; ; poll++) {
      const configuration = await this.client.send(
        new GetFunctionConfigurationCommand({ FunctionName: this.functionName }),
      );
      if (configuration.LastUpdateStatus === "Failed") {
        throw new Error(
          `updating ${this.functionName} failed: ${configuration.LastUpdateStatusReason ?? "no reason given"}`,
        );
      }
      if (configuration.LastUpdateStatus !== "InProgress" && configuration.State !== "Pending")
        return;
      if (Date.now() - started > UPDATE_TIMEOUT_MS) {
        throw new Error(
          `${this.functionName} was still updating after ${UPDATE_TIMEOUT_MS / 1000} s`,
        );
      }
      await new Promise((resolve) =>
        setTimeout(resolve, UPDATE_POLL_MS[Math.min(poll, UPDATE_POLL_MS.length - 1)]),
      );
    }
  }

  private async downloadCode(): Promise<Uint8Array> {
    const fn = await this.client.send(new GetFunctionCommand({ FunctionName: this.functionName }));
    const location = fn.Code?.Location;
    if (!location || fn.Configuration?.PackageType === "Image") {
      throw new Error(
        `${this.functionName} is a container image: build an image for the other architecture to compare them`,
      );
    }
    const response = await fetch(location);
    if (!response.ok)
      throw new Error(`downloading ${this.functionName}'s code failed: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * Lambda refuses a change while another is still being applied (409
   * ResourceConflictException), which is what a retried update meets when
   * its first attempt did arrive. Wait for that update, then ask again.
   */
  private async whenNoUpdateRuns<T>(call: () => Promise<T>): Promise<T> {
    for (let conflicts = 0; ; conflicts++) {
      try {
        return await call();
      } catch (error) {
        if ((error as { name?: string }).name !== "ResourceConflictException" || conflicts >= 3)
          throw error;
        await this.waitUntilUpdated();
      }
    }
  }

  private async ignoreMissing(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
    }
  }
}
