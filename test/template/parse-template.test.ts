// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation's Fn::Sub syntax.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { parseTemplate, parseTemplateText } from "../../src/template/parse-template.js";
import { TemplateError } from "../../src/template/template-error.js";

const FIXTURES = "test/fixtures/templates";

/** Follow keys into a plain value, as a test reads it. */
function at(value: unknown, ...path: string[]): Record<string, unknown> {
  let current = value;
  for (const key of path) current = (current as Record<string, unknown>)[key];
  return current as Record<string, unknown>;
}

describe("parseTemplate: short forms", () => {
  const { template } = parseTemplate(`${FIXTURES}/short-forms.yaml`);
  const properties = at(template, "Resources", "Fn", "Properties");

  it.each([
    ["Role", { "Fn::GetAtt": ["Role", "Arn"] }],
    ["NestedAttribute", { "Fn::GetAtt": ["Db", "Endpoint.Address"] }],
    ["ListAttribute", { "Fn::GetAtt": ["Role", "Arn"] }],
    ["Name", { "Fn::Sub": "${Env}-fn" }],
    ["NameWithMap", { "Fn::Sub": ["${Prefix}-${AWS::Region}", { Prefix: { Ref: "Env" } }] }],
    ["Joined", { "Fn::Join": [",", ["a", "b"]] }],
    ["Selected", { "Fn::Select": [1, ["x", "y", "z"]] }],
    ["Split", { "Fn::Split": [",", "a,b"] }],
    ["Chosen", { "Fn::If": ["IsProd", "big", "small"] }],
    ["Mapped", { "Fn::FindInMap": ["Sizes", { Ref: "Env" }, "Memory"] }],
    ["Imported", { "Fn::ImportValue": "shared-vpc-id" }],
    ["Encoded", { "Fn::Base64": "hello" }],
    ["Cidrs", { "Fn::Cidr": ["10.0.0.0/16", 4, 8] }],
    ["Zones", { "Fn::GetAZs": "" }],
    [
      "Transformed",
      {
        "Fn::Transform": {
          Name: "AWS::Include",
          Parameters: { Location: "s3://bucket/snippet.yaml" },
        },
      },
    ],
  ])("expands %s", (property, longForm) => {
    expect(properties[property]).toEqual(longForm);
  });

  it("expands the condition functions", () => {
    expect(template.Conditions).toEqual({
      IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
      IsNotProd: { "Fn::Not": [{ Condition: "IsProd" }] },
      Both: { "Fn::And": [{ Condition: "IsProd" }, { Condition: "IsNotProd" }] },
      Either: { "Fn::Or": [{ Condition: "IsProd" }, { Condition: "IsNotProd" }] },
    });
  });
});

describe("parseTemplate: positions", () => {
  const parsed = parseTemplate(`${FIXTURES}/short-forms.yaml`);
  const fn = ["Resources", "Fn", "Properties"];

  it("finds a map entry at its key", () => {
    expect(parsed.positionOf(["Resources", "Fn"])).toEqual({ line: 17, column: 3 });
    expect(parsed.positionOf([...fn, "Role"])).toEqual({ line: 20, column: 7 });
  });

  it("finds nodes inside collection short forms, through their long form", () => {
    expect(parsed.positionOf([...fn, "NameWithMap", "Fn::Sub", 0])).toEqual({
      line: 25,
      column: 11,
    });
    expect(parsed.positionOf([...fn, "NameWithMap", "Fn::Sub", 1, "Prefix"])).toEqual({
      line: 26,
      column: 11,
    });
  });

  it("puts everything inside a scalar short form on its line", () => {
    expect(parsed.positionOf([...fn, "Role", "Fn::GetAtt", 1])).toEqual({ line: 20, column: 7 });
    expect(parsed.positionOf([...fn, "Role", "Fn::GetAtt", 5])).toBeUndefined();
  });

  it("returns undefined for a missing path, and the nearest node on request", () => {
    expect(parsed.positionOf([...fn, "Timeout"])).toBeUndefined();
    expect(parsed.nearestPositionOf([...fn, "Timeout"])).toEqual({ line: 19, column: 5 });
    expect(parsed.locationOf([...fn, "Timeout"])).toEqual({
      file: `${FIXTURES}/short-forms.yaml`,
      line: 19,
      column: 5,
    });
  });

  it("keeps positions in JSON templates", () => {
    const json = parseTemplate(`${FIXTURES}/cloudformation.json`);
    expect(json.positionOf(["Resources", "TooBigFunction", "Properties", "MemorySize"])).toEqual({
      line: 55,
      column: 9,
    });
    expect(at(json.template, "Resources", "PackagedFunction", "Properties", "Role")).toEqual({
      "Fn::GetAtt": ["Role", "Arn"],
    });
  });
});

describe("parseTemplate: errors", () => {
  it("names the file and line of a YAML syntax error", () => {
    const file = `${FIXTURES}/malformed.template`;
    expect(() => parseTemplate(file)).toThrow(TemplateError);
    try {
      parseTemplate(file);
    } catch (error) {
      const templateError = error as TemplateError;
      expect(templateError).toBeInstanceOf(UsageError);
      expect(templateError.file).toBe(file);
      expect(templateError.line).toBe(7);
      expect(templateError.message).toMatch(
        /^test\/fixtures\/templates\/malformed\.template:7:\d+: not valid YAML or JSON: /,
      );
      expect(templateError.message).not.toContain("\n");
    }
  });

  it("names a missing file", () => {
    expect(() => parseTemplate(`${FIXTURES}/nope.yaml`)).toThrow(
      "test/fixtures/templates/nope.yaml: cannot read the template (no such file)",
    );
  });

  it("refuses a folder, a list and an empty file", () => {
    expect(() => parseTemplate(FIXTURES)).toThrow(/it is a folder/);
    expect(() => parseTemplate(`${FIXTURES}/not-a-mapping.yaml`)).toThrow(
      /not-a-mapping\.yaml:1:1: not a template: expected a mapping/,
    );
    const folder = mkdtempSync(join(tmpdir(), "template-test-"));
    writeFileSync(join(folder, "empty.yaml"), "# nothing\n");
    expect(() => parseTemplate(join(folder, "empty.yaml"))).toThrow(/the template is empty/);
  });

  it("refuses a second YAML document", () => {
    expect(() => parseTemplateText("Resources: {}\n---\nResources: {}\n", "two.yaml")).toThrow(
      /^two\.yaml:\d+:\d+: not valid YAML or JSON/,
    );
  });

  it("reads JSON indented with tabs, which YAML would refuse in block style", () => {
    const parsed = parseTemplateText(
      '{\n\t"Resources": {\n\t\t"A": {"Type": "X"}\n\t}\n}\n',
      "t.json",
    );
    expect(parsed.template).toEqual({ Resources: { A: { Type: "X" } } });
    expect(parsed.positionOf(["Resources", "A", "Type"])).toEqual({ line: 3, column: 9 });
  });

  it("refuses an alias bomb with a TemplateError, not the yaml library's ReferenceError", () => {
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 10; level++) {
      levels.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(", ")}]`,
      );
    }
    const text = `${levels.join("\n")}\nResources:\n  A: *a9\n`;
    expect(() => parseTemplateText(text, "bomb.yaml")).toThrow(TemplateError);
    expect(() => parseTemplateText(text, "bomb.yaml")).toThrow(
      /^bomb\.yaml: its aliases \(\*name\) expand to too many nodes: .*"alias bomb"/,
    );
  });

  it("still reads a template that uses a few aliases", () => {
    const parsed = parseTemplateText(
      "Env: &env {A: 1}\nResources:\n  X: {Type: T, Properties: *env}\n",
      "a.yaml",
    );
    expect(at(parsed.template, "Resources", "X", "Properties")).toEqual({ A: 1 });
  });

  it("refuses flow collections nested a hundred thousand deep as too deep, in one line", () => {
    const depth = 100_000;
    const text = `{"Resources": {"A": ${"[".repeat(depth)}${"]".repeat(depth)}}}`;
    expect(() => parseTemplateText(text, "deep.json")).toThrow(
      /^deep\.json:1:\d+: nested too deeply to read/,
    );
  });

  it("warns about tags CloudFormation does not know", () => {
    const parsed = parseTemplateText("Resources:\n  A: !Reff Thing\n", "typo.yaml");
    expect(parsed.warnings).toEqual(["typo.yaml:2:6: Unresolved tag: !Reff"]);
  });
});
