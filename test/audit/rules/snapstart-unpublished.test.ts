import { describe, expect, it } from "vitest";
import { snapstartUnpublished } from "../../../src/audit/rules/snapstart-unpublished.js";
import { runRule } from "./run-rule.js";

describe("snapstart-unpublished", () => {
  it("reports a SAM function with SnapStart and no AutoPublishAlias, at ApplyOn", () => {
    const findings = runRule(
      snapstartUnpublished,
      `
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: java21
            SnapStart:
              ApplyOn: PublishedVersions
      `,
    );
    expect(findings).toMatchObject([
      {
        ruleId: "snapstart-unpublished",
        severity: "error",
        line: 7,
        resource: "Orders",
        message:
          "Orders turns SnapStart on but no version of it is published (no AutoPublishAlias): invocations of $LATEST get no snapshot.",
      },
    ]);
    expect(findings[0]!.fix).toContain("AutoPublishAlias");
  });

  it("accepts AutoPublishAlias, including from Globals", () => {
    const findings = runRule(
      snapstartUnpublished,
      `
      Globals:
        Function:
          AutoPublishAlias: live
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: java21
            SnapStart:
              ApplyOn: PublishedVersions
      `,
    );
    expect(findings).toEqual([]);
  });

  it("reports a CloudFormation function without a Version, and accepts one with it", () => {
    const base = `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: python3.13
            SnapStart:
              ApplyOn: PublishedVersions
      `;
    expect(runRule(snapstartUnpublished, base)).toMatchObject([
      {
        ruleId: "snapstart-unpublished",
        severity: "error",
        line: 7,
        resource: "Orders",
        message:
          "Orders turns SnapStart on but no version of it is published (no AWS::Lambda::Version): invocations of $LATEST get no snapshot.",
      },
    ]);
    const versioned = `${base}
        OrdersVersion:
          Type: AWS::Lambda::Version
          Properties:
            FunctionName: !Ref Orders
      `;
    expect(runRule(snapstartUnpublished, versioned)).toEqual([]);
  });

  it("ignores SnapStart set to None", () => {
    const findings = runRule(
      snapstartUnpublished,
      `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: java21
            SnapStart:
              ApplyOn: None
      `,
    );
    expect(findings).toEqual([]);
  });
});
