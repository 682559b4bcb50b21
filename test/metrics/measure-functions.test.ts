/**
 * measureFunctions: `metrics` as a library call. Given only the log files it
 * makes the report the CLI prints with --json and no other flag; its mistakes
 * name the options as a library caller names them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measureFunctions } from "../../src/index.js";
import { runCli } from "../cli/run-cli.js";
import { asPrintedWithoutTime } from "../support/as-printed.js";
import { asLines, generateLog } from "./generate-logs.js";

const folder = mkdtempSync(join(tmpdir(), "lo-measure-"));
const log = generateLog({
  functionNames: ["orders"],
  invocationsPerFunction: 300,
  format: "text",
  seed: 11,
  coldStartRate: 0.1,
  timeoutRate: 0.02,
  garbageRate: 0.05,
});
const { lines } = asLines(log, "tail");
const file = join(folder, "orders.log");
writeFileSync(file, `${lines.join("\n")}\n`);

describe("measureFunctions", () => {
  it("given only log files, makes the report `metrics FILE --json` prints", async () => {
    const cli = runCli(["metrics", file, "--json"]);
    expect(cli.status).toBe(0);
    const library = await measureFunctions({ logFiles: [file] });
    expect(library.functions.map((fn) => [fn.name, fn.invocations])).toEqual([["orders", 300]]);
    expect(asPrintedWithoutTime(library)).toEqual(asPrintedWithoutTime(JSON.parse(cli.stdout)));
  });

  it("reads the emulator's logs of the project in cwd, and names a function with none", async () => {
    const project = mkdtempSync(join(tmpdir(), "lo-measure-local-"));
    const day = new Date().toISOString().slice(0, 10);
    const logs = join(project, ".lambda-optimizer", "logs", "orders");
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, `${day}.log`), `${lines.join("\n")}\n`);
    const report = await measureFunctions({ local: true, cwd: project });
    expect(report.source).toEqual({
      kind: "local",
      inputs: [join(project, ".lambda-optimizer", "logs")],
      region: expect.any(String),
    });
    expect(report.functions.map((fn) => [fn.name, fn.invocations])).toEqual([["orders", 300]]);
    await expect(
      measureFunctions({ local: true, cwd: project, functions: ["ghost"] }),
    ).rejects.toThrow(/^no emulator logs for ghost under .* \(functions with logs: orders\)/);
  });

  it("names its mistakes as a library caller names the options", async () => {
    const readme = join(folder, "README.md");
    writeFileSync(readme, "# My app\n\nRun `sam deploy`.\n");
    await expect(measureFunctions({ logFiles: [readme] })).rejects.toThrow(
      `${readme}: no Lambda log lines found (no REPORT line among 2 lines read)`,
    );
    await expect(measureFunctions({ logFiles: [file], region: "mars-1" })).rejects.toThrow(
      /^region "mars-1" is not valid: expected a region the price table covers \(af-south-1, .*us-east-1/,
    );
    await expect(
      measureFunctions({ logFiles: [file], priceFile: join(folder, "none.json") }),
    ).rejects.toThrow(`priceFile ${join(folder, "none.json")}: cannot read it (no such file)`);
    await expect(measureFunctions({ aws: true })).rejects.toThrow(
      "aws needs function names, ARNs, or all",
    );
  });
});
