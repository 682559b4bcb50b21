import { describe, expect, it } from "vitest";
import { snapstartIncompatible } from "../../../src/audit/rules/snapstart-incompatible.js";
import { runRule, summarize } from "./run-rule.js";

describe("snapstart-incompatible", () => {
  it("reports each incompatible setting at its own line", () => {
    const findings = runRule(
      snapstartIncompatible,
      `
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
            AutoPublishAlias: live
            SnapStart:
              ApplyOn: PublishedVersions
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 2
            FileSystemConfigs:
              - Arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-1
                LocalMountPath: /mnt/data
            EphemeralStorage:
              Size: 1024
      `,
    );
    expect(summarize(findings).map((finding) => finding.line)).toEqual([5, 9, 11, 15]);
    expect(findings.every((finding) => finding.resource === "Orders")).toBe(true);
    expect(findings.map((finding) => finding.message).join("\n")).toMatch(
      /nodejs22\.x[\s\S]*provisioned concurrency[\s\S]*EFS[\s\S]*1024 MB/,
    );
  });

  it("reports provisioned concurrency on a CloudFormation alias, and a container image", () => {
    const findings = runRule(
      snapstartIncompatible,
      `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            PackageType: Image
            SnapStart:
              ApplyOn: PublishedVersions
        Live:
          Type: AWS::Lambda::Alias
          Properties:
            FunctionName: !Ref Orders
            FunctionVersion: "1"
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 1
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "snapstart-incompatible", severity: "error", line: 5, resource: "Orders" },
      { ruleId: "snapstart-incompatible", severity: "error", line: 13, resource: "Live" },
    ]);
  });

  it("accepts SnapStart on python3.12 with 512 MB of ephemeral storage", () => {
    const findings = runRule(
      snapstartIncompatible,
      `
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.12
            AutoPublishAlias: live
            SnapStart:
              ApplyOn: PublishedVersions
            EphemeralStorage:
              Size: 512
      `,
    );
    expect(findings).toEqual([]);
  });

  it("does not look at functions without SnapStart", () => {
    const findings = runRule(
      snapstartIncompatible,
      `
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 2
      `,
    );
    expect(findings).toEqual([]);
  });
});
