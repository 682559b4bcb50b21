/**
 * Templates that PyYAML (SAM CLI, cfn-lint's loader) reads but the YAML spec
 * refuses: repeated keys and loosely indented flow collections. Each is read
 * here to the values PyYAML gives, checked against PyYAML itself.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../src/template/parse-template.js";

/** PyYAML's safe loader, with CloudFormation's short forms as their long forms (!Ref → Ref, !Sub → Fn::Sub). */
const PYYAML = `
import json, sys, yaml
class Loader(yaml.SafeLoader): pass
def short_form(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode): value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode): value = loader.construct_sequence(node, deep=True)
    else: value = loader.construct_mapping(node, deep=True)
    return {name: value}
Loader.add_multi_constructor("!", short_form)
print(json.dumps(yaml.load(open(sys.argv[1]), Loader=Loader)))
`;

function write(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "lo-pyyaml-")), "template.yaml");
  writeFileSync(path, text);
  return path;
}

function pyyaml(path: string): unknown {
  return JSON.parse(
    execFileSync("python3", ["-c", PYYAML, path], { encoding: "utf8", stdio: "pipe" }),
  );
}

const DUPLICATES = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  "Outputs:",
  "  Old:",
  "    Value: first",
  "Resources:",
  "  Fn:",
  "    Type: AWS::Serverless::Function",
  "    Properties:",
  "      Handler: old.handler",
  "  Fn:",
  "    Type: AWS::Serverless::Function",
  "    Properties:",
  "      MemorySize: 128",
  "      Handler: app.handler",
  "      MemorySize: 1024",
  "      Environment:",
  "        Variables:",
  "          TABLE: !Ref Table",
  "Outputs:",
  "  Name:",
  "    Value: !Sub '${Fn}-out'",
  "",
].join("\n");

const LOOSE_FLOW = [
  "Resources:",
  "  Fn:",
  "    Type: AWS::Serverless::Function",
  "    Properties:",
  "      Handler: app.handler",
  "      Policies: [",
  '    "AWSLambdaBasicExecutionRole",',
  '  "AmazonS3ReadOnlyAccess"',
  "      ]",
  "      Environment:",
  '        Variables: { A: "1",',
  "      B: !Ref Bucket,",
  "   C: plain }",
  "      Tags: {",
  "  Team: core",
  "}",
  "      Layers:",
  "        - [ a,",
  "       b ]",
  "      Timeout: 30",
  "",
].join("\n");

describe("templates PyYAML reads and the YAML spec refuses", () => {
  it("repeated keys: the last one wins, in Resources, in Properties and at the top level, as in PyYAML", () => {
    const path = write(DUPLICATES);
    const parsed = parseTemplate(path);
    expect(parsed.template.Resources).toEqual({
      Fn: {
        Type: "AWS::Serverless::Function",
        Properties: {
          MemorySize: 1024,
          Handler: "app.handler",
          Environment: { Variables: { TABLE: { Ref: "Table" } } },
        },
      },
    });
    expect(parsed.template.Outputs).toEqual({ Name: { Value: { "Fn::Sub": "${Fn}-out" } } });
    expect(parsed.template).toEqual(pyyaml(path));
  });

  it("lists each repeated key with every occurrence's line, and positions point at the last", () => {
    const parsed = parseTemplate(write(DUPLICATES));
    const lines = (path: readonly (string | number)[]) =>
      parsed.duplicateKeys
        .find((duplicate) => duplicate.path.join(".") === path.join("."))
        ?.positions.map((position) => position.line);
    expect(parsed.duplicateKeys).toHaveLength(3);
    expect(lines(["Outputs"])).toEqual([2, 19]);
    expect(lines(["Resources", "Fn"])).toEqual([6, 10]);
    expect(lines(["Resources", "Fn", "Properties", "MemorySize"])).toEqual([13, 15]);
    expect(parsed.positionOf(["Resources", "Fn", "Properties", "MemorySize"])?.line).toBe(15);
    expect(parsed.positionOf(["Resources", "Fn", "Properties", "Handler"])?.line).toBe(14);
  });

  it("loosely indented flow sequences and mappings: read to PyYAML's values, lines unchanged", () => {
    const path = write(LOOSE_FLOW);
    const parsed = parseTemplate(path);
    const properties = (parsed.template.Resources as Record<string, Record<string, unknown>>).Fn!
      .Properties as Record<string, unknown>;
    expect(properties.Policies).toEqual(["AWSLambdaBasicExecutionRole", "AmazonS3ReadOnlyAccess"]);
    expect(properties.Environment).toEqual({
      Variables: { A: "1", B: { Ref: "Bucket" }, C: "plain" },
    });
    expect(properties.Tags).toEqual({ Team: "core" });
    expect(properties.Layers).toEqual([["a", "b"]]);
    expect(properties.Timeout).toBe(30);
    expect(parsed.template).toEqual(pyyaml(path));
    expect(parsed.positionOf(["Resources", "Fn", "Properties", "Timeout"])?.line).toBe(20);
    expect(parsed.duplicateKeys).toEqual([]);
  });

  it("still refuses what PyYAML refuses too: a flow sequence never closed", () => {
    const path = write("Resources:\n  Fn:\n    Properties:\n      Policies: [\n  a,\n  b\n");
    expect(() => pyyaml(path)).toThrow();
    expect(() => parseTemplate(path)).toThrow(/not valid YAML or JSON/);
  });
});
