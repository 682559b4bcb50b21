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

/** serverless-rules' "Lambda Deprecated Runtime" cases, on a day after all four were deprecated. */
describe("eol-runtime on long-deprecated runtimes (serverless-rules' cases)", () => {
  const rule = createEolRuntimeRule(() => "2026-12-02");
  const template = (runtime: string) => `
  Resources:
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: ${runtime}
  `;

  it.each([
    [
      "python2.7",
      "2021-07-15",
      "creating functions is blocked from 2021-07-15, updating them from 2022-05-30",
    ],
    [
      "nodejs10.x",
      "2021-07-30",
      "creating functions is blocked from 2021-07-30, updating them from 2022-02-14",
    ],
    [
      "dotnetcore3.1",
      "2023-04-03",
      "creating functions is blocked from 2023-04-03, updating them from 2023-05-03",
    ],
    [
      "go1.x",
      "2024-01-08",
      "creating functions is blocked from 2024-02-08, updating them from 2025-11-01",
    ],
  ])("%s: an error naming its deprecation date (%s)", (runtime, date, blocks) => {
    const findings = runRule(rule, template(runtime));
    expect(summarize(findings)).toEqual([
      { ruleId: "eol-runtime", severity: "error", line: 5, resource: "Fn" },
    ]);
    expect(findings[0]!.message).toBe(
      `Fn runs on ${runtime}, deprecated since ${date} (${blocks}): it gets no more security patches.`,
    );
  });

  it("says nothing of a current runtime", () => {
    expect(runRule(rule, template("python3.13"))).toEqual([]);
    expect(runRule(rule, template("nodejs24.x"))).toEqual([]);
  });

  it("calls a container-only runtime on a zip function what it is", () => {
    const findings = runRule(rule, template("dotnet9"));
    expect(summarize(findings)).toEqual([
      { ruleId: "eol-runtime", severity: "error", line: 5, resource: "Fn" },
    ]);
    expect(findings[0]!.message).toBe(
      "Fn runs on dotnet9, which Lambda offers only as a container base image (deprecated since 2026-11-10), not as a zip runtime: deploy it as an image or move to a zip runtime such as dotnet10.",
    );
  });

  it("leaves an image function alone even when it names a Runtime", () => {
    const findings = runRule(
      rule,
      `
      Resources:
        Img:
          Type: AWS::Lambda::Function
          Properties:
            PackageType: Image
            Runtime: python2.7
      `,
    );
    expect(findings).toEqual([]);
  });
});
