/**
 * Handler mistakes a newcomer makes, through the built CLI: a misspelt export
 * is a usage error that lists the file's exports and the one meant, and
 * Lambda's own notation (`app.handler`) runs the file it means.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closestName } from "../../src/closest-name.js";
import { runCli } from "./run-cli.js";

const folder = mkdtempSync(join(tmpdir(), "lo-handler-errors-"));
writeFileSync(
  join(folder, "app.mjs"),
  'export const handler = async () => ({ ok: "node" });\nexport function main() {}\n',
);
writeFileSync(
  join(folder, "worker.py"),
  'import json\n\nLIMIT = 3\n\ndef lambda_handler(event, context):\n    return {"ok": "python"}\n',
);

const oneLine = (stderr: string) => stderr.trim().split("\n");

describe("invoke with a handler that is not there", () => {
  it("exits 2 naming the exports and the closest one, for a misspelt JavaScript export", () => {
    const result = runCli(["invoke", "app.mjs:handlr"], { cwd: folder });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(
      'handler app.mjs:handlr: app.mjs has no export "handlr"; it exports handler, main (did you mean handler?)',
    );
  });

  it("does the same for a Python function, read without running the file", () => {
    const result = runCli(["invoke", "worker.py:lambda_handlr", "--json"], { cwd: folder });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('worker.py has no export "lambda_handlr"');
    expect(result.stderr).toContain("lambda_handler");
    expect(result.stderr).toContain("(did you mean lambda_handler?)");
  });

  it("offers no guess when nothing is close", () => {
    const result = runCli(["invoke", "app.mjs:zzzzzzzz"], { cwd: folder });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("it exports handler, main");
    expect(result.stderr).not.toContain("did you mean");
  });
});

describe("invoke in Lambda's notation (module.export)", () => {
  it("runs app.handler as app.mjs:handler, and worker.lambda_handler as worker.py:lambda_handler", () => {
    const node = runCli(["invoke", "app.handler", "--json"], { cwd: folder });
    expect(node.stderr).toBe("");
    expect(node.status).toBe(0);
    expect(JSON.parse(node.stdout)).toMatchObject({ functionError: null, payload: { ok: "node" } });
    const python = runCli(["invoke", "worker.lambda_handler", "--json"], { cwd: folder });
    expect(python.status).toBe(0);
    expect(JSON.parse(python.stdout)).toMatchObject({ payload: { ok: "python" } });
  }, 60_000);

  it("hints at our notation when no such file is there", () => {
    const result = runCli(["invoke", "missing.handler"], { cwd: folder });
    expect(result.status).toBe(2);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain("that is missing.mjs:handler here");
    // A missing file with an extension is only a missing file.
    const plain = runCli(["invoke", "missing.mjs"], { cwd: folder });
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain("no such file missing.mjs");
    expect(plain.stderr).not.toContain("notation");
  });
});

describe("closestName", () => {
  it("finds a typo and refuses a stranger", () => {
    expect(closestName("handlr", ["main", "handler"])).toBe("handler");
    expect(closestName("Handler", ["handler"])).toBe("handler");
    expect(closestName("lambda_handlr", ["LIMIT", "lambda_handler"])).toBe("lambda_handler");
    expect(closestName("zzzzzz", ["handler", "main"])).toBeUndefined();
    expect(closestName("handler", [])).toBeUndefined();
  });
});
