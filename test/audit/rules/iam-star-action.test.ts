import { describe, expect, it } from "vitest";
import { iamStarAction } from "../../../src/audit/rules/iam-star-action.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

describe("iam-star-action", () => {
  it("reports service:* in a role's inline policy and * in a SAM function's Policies", () => {
    const yaml = `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action:
                  - dynamodb:GetItem
                  - dynamodb:*
                Resource: "*"
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Policies:
        - AWSLambdaBasicExecutionRole
        - Statement:
            Effect: Allow
            Action: "*"
            Resource: "*"
`;
    expect(auditYaml(yaml, iamStarAction)).toMatchObject([
      {
        ruleId: "iam-star-action",
        severity: "warning",
        resource: "Role",
        message: 'Role allows the action "dynamodb:*": grant only the actions it uses.',
        line: lineOf(yaml, "- dynamodb:*"),
      },
      {
        resource: "Fn",
        message: 'Fn allows the action "*": grant only the actions it uses.',
        line: lineOf(yaml, 'Action: "*"'),
      },
    ]);
  });

  it("does not report narrow actions, wildcards inside a name, or a Deny", () => {
    const yaml = `Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [s3:Get*, dynamodb:Query]
            Resource: "*"
          - Effect: Deny
            Action: "*"
            Resource: "*"
`;
    expect(auditYaml(yaml, iamStarAction)).toEqual([]);
  });
});
