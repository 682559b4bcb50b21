import { describe, expect, it } from "vitest";
import { createEolRuntimeRule } from "../../../src/audit/rules/eol-runtime.js";
import { runRule, summarize } from "./run-rule.js";

const TEMPLATE = `
  Globals:
    Function:
      Runtime: nodejs20.x
  Resources:
    Old:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.8
    Soon:
      Type: AWS::Serverless::Function
    Fine:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
  `;

describe("eol-runtime", () => {
  it("is an error past deprecation and a warning within 180 days, at the Runtime line", () => {
    // nodejs20.x is deprecated on 2026-04-30: 119 days after 2026-01-01.
    const rule = createEolRuntimeRule(() => "2026-01-01");
    const findings = runRule(rule, TEMPLATE);
    expect(summarize(findings)).toEqual([
      { ruleId: "eol-runtime", severity: "warning", line: 3, resource: "Soon" },
      { ruleId: "eol-runtime", severity: "error", line: 8, resource: "Old" },
    ]);
    expect(findings[0]!.message).toContain("in 119 days");
    expect(findings[1]!.message).toContain("deprecated since 2024-10-14");
  });

  it("does not report a runtime more than 180 days from deprecation", () => {
    const rule = createEolRuntimeRule(() => "2025-10-31"); // nodejs20.x: 181 days left
    const findings = runRule(rule, TEMPLATE);
    expect(summarize(findings).map((finding) => finding.resource)).toEqual(["Old"]);
  });

  it("ignores unknown and unresolved runtimes", () => {
    const rule = createEolRuntimeRule(() => "2030-01-01");
    const findings = runRule(
      rule,
      `
      Parameters:
        Runtime: {Type: String}
      Resources:
        Custom:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: !Ref Runtime
        Image:
          Type: AWS::Lambda::Function
          Properties:
            PackageType: Image
      `,
    );
    expect(findings).toEqual([]);
  });
});
