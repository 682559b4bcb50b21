/**
 * --env NAME=VALUE on invoke, tune and emulate: the value a template only knows once deployed
 * (here a queue URL from !GetAtt) reaches the function, over the template's own variables.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const TEMPLATE = fileURLToPath(
  new URL("../fixtures/functions/env-echo/template.yaml", import.meta.url),
);
const ASK = JSON.stringify({ names: ["QUEUE_URL", "STAGE"] });

function invoke(...extra: string[]) {
  return runCli(["invoke", "--template", TEMPLATE, "Echo", "--payload", ASK, "--json", ...extra]);
}

describe("--env", () => {
  it("without it, a variable known only once deployed is left out, and the warning names the flag", () => {
    const result = invoke();
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).payload).toEqual({ QUEUE_URL: null, STAGE: "prod" });
    expect(result.stderr).toContain(
      "environment variable QUEUE_URL is left out: its value (Fn::GetAtt Queue.QueueUrl) is only known once deployed; set it with --env QUEUE_URL=VALUE",
    );
  });

  it("sets it, overrides the template's own, and silences the warning", () => {
    const result = invoke(
      "--env",
      "QUEUE_URL=http://127.0.0.1:5000/123456789012/orders",
      "--env",
      "STAGE=dev=local",
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).payload).toEqual({
      QUEUE_URL: "http://127.0.0.1:5000/123456789012/orders",
      STAGE: "dev=local",
    });
    expect(result.stderr).not.toContain("QUEUE_URL is left out");
  });

  it.each([
    ["NOEQUALS", 'invoke: --env "NOEQUALS" is not valid: expected NAME=VALUE'],
    [
      "1BAD=x",
      'invoke: --env "1BAD=x" is not valid: expected a name of a letter then letters, digits or underscores',
    ],
    [
      "AWS_REGION=eu-west-1",
      'invoke: --env "AWS_REGION=eu-west-1" is not valid: expected a name Lambda does not reserve for itself',
    ],
  ])("refuses %s with exit 2 and one line", (assignment, message) => {
    const result = invoke("--env", assignment);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringContaining(message.replace(/^invoke: /, "")),
    ]);
  });

  it("reaches a local tune, and is refused for a deployed function", () => {
    const tuned = runCli([
      "tune",
      "--template",
      TEMPLATE,
      "Echo",
      "--env",
      "QUEUE_URL=http://127.0.0.1:5000/q",
      "--memory",
      "128",
      "--num",
      "1",
      "--payload",
      ASK,
      "--json",
      "--quiet",
      "--out",
      "/dev/null",
    ]);
    expect(tuned.status, tuned.stderr).toBe(0);
    expect(JSON.parse(tuned.stdout).results[0]).toMatchObject({ status: "ok", errors: 0 });

    const remote = runCli([
      "tune",
      "arn:aws:lambda:us-east-1:123456789012:function:x",
      "--env",
      "A=b",
    ]);
    expect(remote.status).toBe(2);
    expect(remote.stderr).toContain(
      "--env is for functions on the embedded emulator: a deployed function keeps its own configuration",
    );
  });
});
