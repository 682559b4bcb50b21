/**
 * A library caller tunes with `{ target }` and nothing else, and gets what the
 * CLI's `tune` gets with no flags: the same settings in the result, from the
 * same schema. Both run the same fixture handler on the embedded emulator.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { TuneResultSchema, tune, UsageError } from "../../src/index.js";
import { hashCodeFolder } from "../../src/tuning/code-hash.js";
import { runCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";

const HANDLER = join(FIXTURES, "node-esm/handler.mjs:handler");

describe("tune({ target }) from the library", () => {
  it("runs a handler with the defaults the CLI's tune gives with no flags", async () => {
    const journalFolder = mkdtempSync(join(tmpdir(), "lo-tune-library-journal-"));
    const events: string[] = [];
    const result = await tune(
      { target: { handler: HANDLER } },
      {
        journalFolder,
        onProgress: (event) => {
          if (event.kind !== "invocation") events.push(event.kind);
        },
      },
    );
    TuneResultSchema.parse(result);
    expect(result.target.kind).toBe("local");
    expect(
      result.results.map((configuration) => [configuration.memoryMb, configuration.status]),
    ).toEqual([
      [128, "ok"],
      [256, "ok"],
      [512, "ok"],
      [1024, "ok"],
      [1769, "ok"],
      [3008, "ok"],
    ]);
    expect(events).toEqual(["start", ...Array(6).fill("configuration"), "restoring"]);
    // The code as tuned: the handler's folder hashed, named from the folder the run started in.
    const codeFolder = join(FIXTURES, "node-esm");
    const sha256 = hashCodeFolder(codeFolder)!.sha256;
    expect(result.code).toEqual({
      kind: "folder",
      sha256,
      folder: relative(process.cwd(), codeFolder),
    });

    const cliFolder = mkdtempSync(join(tmpdir(), "lo-tune-library-cli-"));
    const cli = runCli(["tune", HANDLER, "--json", "--quiet"], { cwd: cliFolder });
    expect(cli.stderr).toBe("");
    expect(cli.status).toBe(0);
    const fromCli = TuneResultSchema.parse(JSON.parse(cli.stdout));
    expect(fromCli.code).toEqual({
      kind: "folder",
      sha256,
      folder: relative(cliFolder, codeFolder),
    });
    expect(result.settings).toEqual(fromCli.settings);
    expect(result.settings).toEqual({
      memoryMb: [128, 256, 512, 1024, 1769, 3008],
      architectures: [process.arch === "arm64" ? "arm64" : "x86_64"],
      num: 10,
      strategy: "cost",
      metric: "duration",
      balancedWeight: 0.5,
      maxP95Ms: null,
      maxP99Ms: null,
      discard: 0.2,
      parallel: false,
      concurrency: 10,
      onlyColdStarts: false,
      allowedExceptions: [],
      untilConfident: false,
      maxNum: 50,
      payloads: 1,
    });
  }, 300_000);

  it("refuses a mistake in the library's names: in the options, and in what the target holds", async () => {
    await expect(tune({ target: { handler: HANDLER }, strategy: "slo" })).rejects.toThrow(
      new UsageError("strategy slo needs a bound: maxP95Ms or maxP99Ms, in milliseconds"),
    );
    const template = join(mkdtempSync(join(tmpdir(), "lo-tune-library-template-")), "t.yaml");
    const fn = (logicalId: string) => [
      `  ${logicalId}:`,
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      `      CodeUri: ${join(FIXTURES, "node-esm")}`,
      "      Handler: handler.handler",
      "      Runtime: nodejs22.x",
    ];
    writeFileSync(
      template,
      ["Transform: AWS::Serverless-2016-10-31", "Resources:", ...fn("Api"), ...fn("Worker")].join(
        "\n",
      ),
    );
    await expect(tune({ target: { template } })).rejects.toThrow(
      new UsageError(`target.template ${template} has 2 functions: name one of Api, Worker`),
    );
  });
});
