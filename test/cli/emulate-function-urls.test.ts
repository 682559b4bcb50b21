/**
 * `emulate --template` serves the Function URLs the template declares: printed at start (text and
 * --json), read back by the AWS CLI's `lambda get-function-url-config`, and served to curl.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EmulatorStarted,
  EmulatorStartedSchema,
} from "../../src/emulator/emulator-started.js";
import { type RunningCli, startCli } from "./run-cli.js";

const TEMPLATE = fileURLToPath(
  new URL("../fixtures/templates/function-urls/template.yaml", import.meta.url),
);

/** Start emulate and wait until it has printed `until` on stdout. */
async function started(args: string[], until: (stdout: string) => boolean) {
  const running = startCli(["emulate", "--template", TEMPLATE, "--port", "0", ...args]);
  let stdout = "";
  await new Promise<void>((resolve, reject) => {
    running.child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      if (until(stdout)) resolve();
    });
    void running.finished.then(({ code, stderr }) =>
      reject(new Error(`emulate exited with ${code}: ${stderr}`)),
    );
  });
  return { running, stdout: () => stdout };
}

async function stop(running: RunningCli | undefined) {
  if (!running) return;
  running.child.kill("SIGINT");
  await running.finished;
}

describe("emulate --template with Function URLs", () => {
  let running: RunningCli | undefined;
  let document: EmulatorStarted;

  beforeAll(async () => {
    const emulate = await started(["--json"], (stdout) => {
      try {
        JSON.parse(stdout);
        return true;
      } catch {
        return false;
      }
    });
    running = emulate.running;
    document = EmulatorStartedSchema.parse(JSON.parse(emulate.stdout()));
  }, 120_000);
  afterAll(() => stop(running));

  it("says each function's URL in --json", () => {
    const byName = Object.fromEntries(document.functions.map((fn) => [fn.name, fn]));
    expect(byName.TokenStreamer!.functionUrl).toMatchObject({
      invokeMode: "RESPONSE_STREAM",
      authType: "NONE",
    });
    expect(byName.Echo!.functionUrl).toMatchObject({ invokeMode: "BUFFERED", authType: "AWS_IAM" });
    expect(byName.Plain!.functionUrl).toBeUndefined();
    expect(byName.TokenStreamer!.functionUrl!.url).not.toBe(byName.Echo!.functionUrl!.url);
  });

  it("answers the AWS CLI's get-function-url-config", () => {
    const result = spawnSync(
      "aws",
      [
        "lambda",
        "get-function-url-config",
        "--function-name",
        "TokenStreamer",
        "--endpoint-url",
        document.endpoint,
        "--region",
        "us-east-1",
        "--output",
        "json",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const config = JSON.parse(result.stdout);
    const streamer = document.functions.find((fn) => fn.name === "TokenStreamer")!;
    expect(config).toMatchObject({
      FunctionUrl: streamer.functionUrl!.url,
      FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:TokenStreamer",
      AuthType: "NONE",
      InvokeMode: "RESPONSE_STREAM",
      Cors: { AllowOrigins: ["*"], AllowMethods: ["GET"] },
    });
  });

  it("serves the streaming URL to curl -N, and the AWS_IAM one without checking a signature", () => {
    const byName = Object.fromEntries(document.functions.map((fn) => [fn.name, fn]));
    const streamed = spawnSync(
      "/usr/bin/curl",
      [
        "-N",
        "-s",
        "-H",
        "origin: http://localhost:3000",
        "-D",
        "-",
        `${byName.TokenStreamer!.functionUrl!.url}?text=one+two`,
      ],
      { encoding: "utf8" },
    );
    expect(streamed.status).toBe(0);
    expect(streamed.stdout).toMatch(/^content-type: text\/event-stream\r$/im);
    expect(streamed.stdout).toMatch(/^access-control-allow-origin: \*\r$/im);
    expect(streamed.stdout.split("\r\n\r\n")[1]).toBe("data: one\n\ndata: two\n\ndata: [DONE]\n\n");
    const iam = spawnSync(
      "/usr/bin/curl",
      ["-s", "-w", "\n%{http_code}", byName.Echo!.functionUrl!.url],
      {
        encoding: "utf8",
      },
    );
    const [body, status] = iam.stdout.split("\n");
    expect(status).toBe("201");
    expect(JSON.parse(body!).requestContext.accountId).toBe("123456789012");
  });
});

describe("emulate --template, as text", () => {
  it("prints each function's URL under it, and the template's warning", async () => {
    const emulate = await started([], (stdout) => stdout.includes("Try: "));
    try {
      const stdout = emulate.stdout();
      expect(stdout).toMatch(
        /^ {2}TokenStreamer .*\n {4}Function URL: http:\/\/127\.0\.0\.1:\d+\/ \(RESPONSE_STREAM\)$/m,
      );
      expect(stdout).toMatch(
        /^ {2}Echo .*\n {4}Function URL: http:\/\/127\.0\.0\.1:\d+\/ \(BUFFERED, AWS_IAM not enforced locally\)$/m,
      );
      expect(stdout).not.toMatch(/Plain .*\n {4}Function URL/);
    } finally {
      await stop(emulate.running);
    }
    const { stderr } = await emulate.running.finished;
    expect(stderr).toContain(
      'Plain: function URL not served: AuthType "OPEN" is not NONE or AWS_IAM',
    );
  }, 120_000);
});
