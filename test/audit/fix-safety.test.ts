/**
 * --fix never writes a broken file and never fixes blind: unusual layouts,
 * comments, a fix whose result would not read back the same, atomic writes,
 * a file that cannot be written or changed on disk, and the fixes that could
 * break a deploy (shown as suggested edits, the file left unchanged).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import type { Finding } from "../../src/audit/findings.js";
import { fixTemplateFiles } from "../../src/audit/fix/fix-files.js";
import { verifyFix } from "../../src/audit/fix/verify-fix.js";
import {
  readSnapshot,
  type WriterFs,
  writeFixedFile,
} from "../../src/audit/fix/write-fixed-file.js";
import { type FixFacts, fixTemplate } from "../../src/audit/fix.js";
import { TEMPLATE_RULES } from "../../src/audit/rules/index.js";
import { TunedMemoryIndex } from "../../src/audit/tuned-memory.js";
import { parseTemplateText } from "../../src/template/parse-template.js";
import { runCli } from "../cli/run-cli.js";
import { tuneEveryFunction, writeTuneRun } from "./tune-run-file.js";

const FIXABLE = TEMPLATE_RULES.filter((rule) =>
  ["arm64-candidate", "memory-default", "log-retention", "esm-config"].includes(rule.meta.id),
);

function folder(): string {
  return mkdtempSync(join(tmpdir(), "lo-fix-safety-"));
}

function templateFile(text: string, name = "template.yaml"): string {
  const file = join(folder(), name);
  writeFileSync(file, text);
  return file;
}

/** The fixable findings, with every function tuned to 512 MB by a saved run beside the template. */
function findingsOf(file: string): Finding[] {
  tuneEveryFunction(file, 512);
  const cwd = dirname(file);
  const report = auditTemplates([file], {
    rules: FIXABLE,
    cwd,
    tunedMemory: new TunedMemoryIndex(cwd),
  });
  expect(report.errors).toEqual([]);
  return report.findings;
}

/** Fix with every function's code taken as checked for x86-only binaries. */
function fixChecked(file: string, facts?: FixFacts) {
  const findings = findingsOf(file);
  const text = readFileSync(file, "utf8");
  const codeChecked = new Set(findings.map((finding) => finding.resource));
  return { text, result: fixTemplate(file, findings, text, facts ?? { codeChecked }) };
}

/** Lines of `after` that are not, in order, the lines of `before`: what was inserted. */
function insertedLines(before: string, after: string): string[] {
  const old = before.split("\n");
  const inserted: string[] = [];
  let index = 0;
  for (const line of after.split("\n")) {
    if (index < old.length && line === old[index]) index++;
    else inserted.push(line);
  }
  expect(index).toBe(old.length); // every original line is still there, in order, byte for byte
  return inserted;
}

describe("the edits keep the file's layout", () => {
  it("fixes a resource whose body is indented deeper than the rest of the file", () => {
    const text = [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Api:",
      "        Type: AWS::Serverless::Function",
      "        Properties:",
      "              Runtime: nodejs22.x",
      "              Handler: app.handler",
      "              CodeUri: src/",
      "  Table:",
      "    Type: AWS::DynamoDB::Table",
      "",
    ].join("\n");
    const file = templateFile(text);
    const { result } = fixChecked(file);
    expect(result.refused).toBeUndefined();
    expect(result.applied.map((fix) => fix.ruleId).sort()).toEqual([
      "arm64-candidate",
      "log-retention",
      "memory-default",
    ]);
    expect(insertedLines(text, result.fixed)).toEqual([
      "              Architectures: [arm64]",
      "              MemorySize: 512 # lambda-optimizer --fix: the size lambda-optimizer tune recommended",
      "  ApiLogGroup:",
      "        Type: AWS::Logs::LogGroup",
      "        Properties:",
      "              LogGroupName: !Sub /aws/lambda/${Api}",
      "              RetentionInDays: 30",
    ]);
    const fixed = parseTemplateText(result.fixed, "t.yaml").template as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    expect(fixed.Resources.Api!.Properties.Architectures).toEqual(["arm64"]);
    expect(Object.keys(fixed.Resources)).toEqual(["Api", "ApiLogGroup", "Table"]);
  });

  it("keeps a comment on the line it edits and on the lines around", () => {
    const text = [
      "Resources: # all of them",
      "  Worker: # the worker",
      "    Type: AWS::Lambda::Function # plain CloudFormation",
      "    Properties: # its settings",
      "      Runtime: python3.12 # keep in step with the Dockerfile",
      "      Handler: app.handler",
      "      Architectures: [x86_64] # for now",
      "      Code: {ZipFile: 'def handler(e, c): return 1'} # inline",
      "      # trailing comment about the next resource",
      "  Next: {Type: AWS::SNS::Topic}",
      "",
    ].join("\r\n");
    const file = templateFile(text);
    const { result } = fixChecked(file, {});
    // Inline Python has no binaries: arm64 is safe without a code scan.
    expect(result.suggested).toEqual([]);
    expect(result.fixed.split("\r\n")).toContain("      Architectures: [arm64] # for now");
    expect(result.fixed).toContain(
      "      Code: {ZipFile: 'def handler(e, c): return 1'} # inline\r\n      MemorySize: 512 #",
    );
    expect(result.fixed).toContain(
      "      # trailing comment about the next resource\r\n  Next: {Type: AWS::SNS::Topic}",
    );
    for (const line of text.split("\r\n")) {
      if (!line.includes("Architectures")) expect(result.fixed.split("\r\n")).toContain(line);
    }
    expect(result.fixed.replaceAll("\r\n", "")).not.toContain("\n"); // line endings kept
  });

  it("creates Properties for a function that takes everything from Globals", () => {
    const text = [
      "Transform: AWS::Serverless-2016-10-31",
      "Globals:",
      "   Function:",
      "      Runtime: python3.12",
      "      Handler: app.handler",
      "      CodeUri: src/",
      "Resources:",
      "   Fn:",
      "      Type: AWS::Serverless::Function # all from Globals",
      "",
    ].join("\n");
    const file = templateFile(text);
    const { result } = fixChecked(file);
    expect(result.fixed).toBe(
      `${text.trimEnd()}\n      Properties:\n         Architectures: [arm64]\n         MemorySize: 512 # lambda-optimizer --fix: the size lambda-optimizer tune recommended\n   FnLogGroup:\n      Type: AWS::Logs::LogGroup\n      Properties:\n         LogGroupName: !Sub /aws/lambda/\${Fn}\n         RetentionInDays: 30\n`,
    );
  });

  it("adds to flow-style maps in YAML and to one-line JSON objects", () => {
    const yaml = templateFile(
      "Resources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: nodejs22.x, Code: {ZipFile: x}}}\n",
    );
    const { result } = fixChecked(yaml);
    expect(result.fixed).toContain(
      "Properties: {Runtime: nodejs22.x, Code: {ZipFile: x}, Architectures: [arm64], MemorySize: 512}",
    );
    // Resources itself is a block map: the new log group is a block entry after Fn.
    expect(result.fixed).toBe(
      "Resources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: nodejs22.x, Code: {ZipFile: x}, Architectures: [arm64], MemorySize: 512}}\n  FnLogGroup:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub /aws/lambda/${Fn}\n      RetentionInDays: 30\n",
    );
    const json = templateFile(
      '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs22.x", "Code": {"ZipFile": "x"}}}}}',
      "min.json",
    );
    const fixedJson = fixChecked(json).result.fixed;
    expect(fixedJson.split("\n")).toHaveLength(1);
    expect(JSON.parse(fixedJson).Resources.Fn.Properties).toEqual({
      Runtime: "nodejs22.x",
      Code: { ZipFile: "x" },
      Architectures: ["arm64"],
      MemorySize: 512,
    });
  });
});

describe("a fixed file must read back as the template plus the fixes", () => {
  it("adds before a block scalar that keeps its trailing lines, so its value stays", () => {
    const text = [
      "Resources:",
      "  Fn:",
      "    Type: AWS::Lambda::Function",
      "    Properties:",
      "      Runtime: nodejs22.x",
      "      Code:",
      "        ZipFile: |+",
      "          exports.handler = async () => 1;",
      "",
      "",
      "  Other:",
      "    Type: AWS::SNS::Topic",
      "",
    ].join("\n");
    const file = templateFile(text);
    const { result } = fixChecked(file);
    expect(result.refused).toBeUndefined();
    expect(result.fixed).toContain(
      "      Runtime: nodejs22.x\n      Architectures: [arm64]\n      MemorySize: 512 # lambda-optimizer --fix: the size lambda-optimizer tune recommended\n      Code:\n",
    );
    expect(result.fixed).toContain(
      "          exports.handler = async () => 1;\n\n\n  FnLogGroup:\n    Type: AWS::Logs::LogGroup\n",
    );
  });

  it("refuses a fix whose edit would reach another resource through a YAML alias", () => {
    const text = [
      "Resources:",
      "  First:",
      "    Type: AWS::Lambda::Function",
      "    Properties: &shared",
      "      Runtime: python3.12",
      "      Handler: index.handler",
      "      Code: {ZipFile: 'def handler(e, c): pass'}",
      "  Second:",
      "    Type: AWS::Lambda::Function",
      "    Properties: *shared",
      "",
    ].join("\n");
    const file = templateFile(text);
    const findings = findingsOf(file).filter(
      (finding) => finding.ruleId === "memory-default" && finding.resource === "First",
    );
    const result = fixTemplate(file, findings, text, {});
    expect(result.fixed).toBe(text);
    expect(result.applied).toEqual([]);
    expect(result.refused).toBe(
      "the fixed template would also change Resources.Second.Properties.MemorySize",
    );
    const [outcome] = fixTemplateFiles([file], findings, { cwd: join(file, "..") });
    expect(outcome).toMatchObject({ status: "refused", applied: [] });
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("names what a broken fix would break: a parse error, a wrong value, another value changed", () => {
    const before =
      "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs22.x\n";
    const change = { path: ["Resources", "Fn", "Properties", "MemorySize"], value: 512 };
    expect(
      verifyFix(before, `${before}      MemorySize: 512\n`, "t.yaml", [change]),
    ).toBeUndefined();
    // What the old fixer wrote for a deeper-indented body: the key lands outside its map.
    expect(verifyFix(before, `${before}    MemorySize: 512\n`, "t.yaml", [change])).toBe(
      "the fixed template would read Resources.Fn.Properties.MemorySize as nothing, not 512",
    );
    expect(verifyFix(before, `${before}     MemorySize: 512\n`, "t.yaml", [change])).toMatch(
      /^the fixed template would not parse \(t\.yaml:6:\d+: not valid YAML or JSON/,
    );
    const retyped = before.replace("nodejs22.x", "nodejs20.x");
    expect(verifyFix(before, `${retyped}      MemorySize: 512\n`, "t.yaml", [change])).toBe(
      "the fixed template would also change Resources.Fn.Properties.Runtime",
    );
  });
});

describe("writing a fixed file", () => {
  it("replaces it atomically, keeping its mode and leaving no temporary file", () => {
    const file = templateFile("a: 1\n");
    fs.chmodSync(file, 0o640);
    const snapshot = readSnapshot(file);
    expect(writeFixedFile(file, "a: 2\n", snapshot)).toEqual({ written: true });
    expect(readFileSync(file, "utf8")).toBe("a: 2\n");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(file, ".."))).toEqual(["template.yaml"]);
  });

  it("reports a failed rename per file, removes the temporary file, and the run goes on", () => {
    const dir = folder();
    const files = ["a", "b"].map((name) => {
      const file = join(dir, name, "template.yaml");
      mkdirSync(join(dir, name));
      writeFileSync(
        file,
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs22.x\n      Code: {ZipFile: x}\n",
      );
      return file;
    });
    const failingFs: WriterFs = {
      ...fs,
      renameSync(from, to) {
        if (String(to).includes(`${join(dir, "a")}`)) {
          throw Object.assign(new Error("EROFS: read-only file system"), { code: "EROFS" });
        }
        fs.renameSync(from, to);
      },
    };
    writeTuneRun(dir, { functionName: "Fn", memoryMb: 512 });
    const tunedMemory = new TunedMemoryIndex(dir);
    const findings = auditTemplates(files, { rules: FIXABLE, cwd: dir, tunedMemory }).findings;
    const results = fixTemplateFiles(files, findings, { cwd: dir, fs: failingFs });
    expect(results.map(({ file, status, message }) => ({ file, status, message }))).toEqual([
      { file: "a/template.yaml", status: "write-failed", message: "cannot write it (EROFS)" },
      { file: "b/template.yaml", status: "fixed", message: undefined },
    ]);
    expect(readFileSync(files[0]!, "utf8")).not.toContain("MemorySize");
    expect(readFileSync(files[1]!, "utf8")).toContain("MemorySize: 512");
    expect(readdirSync(join(dir, "a"))).toEqual(["template.yaml"]);
    expect(readdirSync(join(dir, "b"))).toEqual(["template.yaml"]);
  });

  it("leaves a file alone when it changed between the read and the write", () => {
    const file = templateFile("a: 1\n");
    const snapshot = readSnapshot(file);
    // Someone saves the file while the fix is being written.
    const racingFs: WriterFs = {
      ...fs,
      chmodSync(path, mode) {
        fs.chmodSync(path, mode);
        fs.writeFileSync(file, "a: 1 # edited\n");
      },
    };
    expect(writeFixedFile(file, "a: 2\n", snapshot, racingFs)).toEqual({
      written: false,
      reason: "changed-on-disk",
      message: "it changed on disk since the audit read it; run the audit again",
    });
    expect(readFileSync(file, "utf8")).toBe("a: 1 # edited\n");
    expect(readdirSync(join(file, ".."))).toEqual(["template.yaml"]);
  });
});

describe("fixes that could break a deploy are suggested, not applied", () => {
  const fn = (properties: string, extra = "") =>
    `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      MemorySize: 1024\n${properties}${extra}`;
  const cases: Array<[string, string, FixFacts, string]> = [
    [
      "go1.x",
      fn("      Runtime: go1.x\n      Handler: main\n      CodeUri: bin/\n"),
      { codeChecked: new Set(["Fn"]) },
      "go1.x has no arm64 runtime",
    ],
    [
      "a prebuilt zip",
      fn("      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: dist/app.zip\n"),
      { codeChecked: new Set(["Fn"]) },
      "its code is a prebuilt package (dist/app.zip)",
    ],
    [
      "code in S3",
      fn(
        "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: s3://bucket/app.zip\n",
      ),
      {},
      "its code is a prebuilt package (s3://bucket/app.zip)",
    ],
    [
      "code the code audit did not read",
      fn("      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: src/\n"),
      {},
      "the code audit has not checked its code",
    ],
    [
      "a layer of unknown architecture",
      fn(
        "      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: src/\n      Layers:\n        - arn:aws:lambda:us-east-1:123456789012:layer:sharp:3\n",
      ),
      { codeChecked: new Set(["Fn"]) },
      "layers of unknown architecture are attached (arn:aws:lambda:us-east-1:123456789012:layer:sharp:3)",
    ],
  ];
  for (const [what, text, facts, reason] of cases) {
    it(`arm64 for ${what}`, () => {
      const file = templateFile(text);
      const findings = findingsOf(file).filter((finding) => finding.ruleId === "arm64-candidate");
      expect(findings).toHaveLength(1);
      const result = fixTemplate(file, findings, text, facts);
      expect(result.fixed).toBe(text);
      expect(result.applied).toEqual([]);
      expect(result.suggested).toHaveLength(1);
      expect(result.suggested[0]!.reason).toContain(reason);
      expect(result.suggested[0]!.edit).toMatch(
        /^--- a\/template\.yaml\n\+\+\+ b\/template\.yaml\n@@ /,
      );
      expect(
        result.suggested[0]!.edit.split("\n").filter((line) => /^[-+][^-+]/.test(line)),
      ).toEqual(["+      Architectures: [arm64]"]);
      const [outcome] = fixTemplateFiles([file], findings, { cwd: join(file, "..") });
      expect(outcome).toMatchObject({ status: "unchanged", applied: [] });
      expect(readFileSync(file, "utf8")).toBe(text);
    });
  }

  it("applies arm64 when the code was scanned and its layers are known to run on arm64", () => {
    const text = fn(
      "      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: src/\n      Layers: [!Ref Deps]\n",
      "  Deps:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: s3://b/deps.zip\n      CompatibleArchitectures: [arm64]\n",
    );
    const file = templateFile(text);
    const findings = findingsOf(file).filter((finding) => finding.ruleId === "arm64-candidate");
    const result = fixTemplate(file, findings, text, { codeChecked: new Set(["Fn"]) });
    expect(result.suggested).toEqual([]);
    expect(result.applied).toEqual([expect.objectContaining({ ruleId: "arm64-candidate" })]);
    expect(result.fixed).toContain("      Layers: [!Ref Deps]\n      Architectures: [arm64]\n");
  });
});

describe("audit --fix from the command line", () => {
  const immutable: string[] = [];
  afterEach(() => {
    for (const file of immutable.splice(0)) spawnSync("chattr", ["-i", file]);
  });

  it("reports a file it cannot write in one line, fixes the others, and exits 3", () => {
    const cwd = folder();
    const text =
      "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs22.x\n      Code: {ZipFile: x}\n      Architectures: [arm64]\n      LoggingConfig: {LogGroup: shared}\n";
    for (const name of ["a", "b"]) {
      mkdirSync(join(cwd, name));
      writeFileSync(join(cwd, name, "template.yaml"), text);
    }
    const locked = join(cwd, "a", "template.yaml");
    // Root ignores permissions; the immutable attribute stops even root from replacing it.
    const chattr = spawnSync("chattr", ["+i", locked]);
    expect(chattr.status).toBe(0);
    immutable.push(locked);
    writeTuneRun(cwd, { functionName: "Fn", memoryMb: 512 });
    const result = runCli(["audit", ".", "--fix", "--json", "--rules", "memory-default"], {
      cwd,
    });
    expect(result.stderr).toBe(
      "not fixed: a/template.yaml: cannot write it (EPERM); the file is unchanged\nfixed 1 finding in b/template.yaml\n",
    );
    expect(result.status).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.fixes).toEqual([
      {
        file: "a/template.yaml",
        status: "write-failed",
        message: "cannot write it (EPERM)",
        applied: [],
        skipped: [],
        suggested: [],
      },
      {
        file: "b/template.yaml",
        status: "fixed",
        applied: [{ ruleId: "memory-default", resource: "Fn", line: 2 }],
        skipped: [],
        suggested: [],
      },
    ]);
    expect(report.findings.map((finding: Finding) => finding.file)).toEqual(["a/template.yaml"]);
    expect(readFileSync(locked, "utf8")).toBe(text);
    expect(readdirSync(join(cwd, "a"))).toEqual(["template.yaml"]);
  });

  it("applies arm64 when arm64-blocked read the function's code and found no x86-only binary", () => {
    const cwd = folder();
    mkdirSync(join(cwd, "src"));
    writeFileSync(join(cwd, "src", "app.js"), "exports.handler = async () => ({ ok: true });\n");
    const text =
      "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: src/\n      MemorySize: 1024\n";
    writeFileSync(join(cwd, "template.yaml"), text);
    const result = runCli(["audit", "--fix", "--rules", "arm64-candidate,arm64-blocked"], { cwd });
    expect(result.stderr).toBe("fixed 1 finding in template.yaml\n");
    expect(readFileSync(join(cwd, "template.yaml"), "utf8")).toBe(
      `${text}      Architectures: [arm64]\n`,
    );
  });

  it("prints a suggested edit for arm64 when the code was not checked, and leaves the file", () => {
    const cwd = folder();
    const text =
      "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.handler\n      CodeUri: src/\n      MemorySize: 1024\n";
    writeFileSync(join(cwd, "template.yaml"), text);
    const result = runCli(["audit", "--fix", "--no-code", "--rules", "arm64-candidate"], { cwd });
    expect(result.stderr).toContain(
      "suggested, not applied: template.yaml:3 arm64-candidate Fn: the code audit has not checked its code",
    );
    expect(result.stderr).toContain("+      Architectures: [arm64]\n");
    expect(result.stderr).not.toContain("fixed ");
    expect(readFileSync(join(cwd, "template.yaml"), "utf8")).toBe(text);
  });
});
