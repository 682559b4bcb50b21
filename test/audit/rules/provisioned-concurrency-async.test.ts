import { describe, expect, it } from "vitest";
import { provisionedConcurrencyAsync } from "../../../src/audit/rules/provisioned-concurrency-async.js";
import { runRule, summarize } from "./run-rule.js";

const withEvents = (events: string) => `
  Resources:
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live
        ProvisionedConcurrencyConfig:
          ProvisionedConcurrentExecutions: 5
        Events:
${events}
  `;

describe("provisioned-concurrency-async", () => {
  it("reports provisioned concurrency on a queue consumer, at ProvisionedConcurrencyConfig", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      withEvents(
        "          Jobs:\n            Type: SQS\n          Nightly:\n            Type: Schedule",
      ),
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "provisioned-concurrency-async", severity: "warning", line: 6, resource: "Worker" },
    ]);
    expect(findings[0]!.message).toContain("SQS event Jobs");
  });

  it("does not report when an API also invokes the function", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      withEvents(
        "          Jobs:\n            Type: SQS\n          Get:\n            Type: HttpApi",
      ),
    );
    expect(findings).toEqual([]);
  });

  it("reports a CloudFormation alias with provisioned concurrency on an S3-invoked function", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      `
      Resources:
        Thumbnails:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
        Live:
          Type: AWS::Lambda::Alias
          Properties:
            FunctionName: !Ref Thumbnails
            FunctionVersion: "3"
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 2
        S3Invoke:
          Type: AWS::Lambda::Permission
          Properties:
            Action: lambda:InvokeFunction
            FunctionName: !GetAtt Thumbnails.Arn
            Principal: s3.amazonaws.com
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "provisioned-concurrency-async", severity: "warning", line: 11, resource: "Live" },
    ]);
  });

  it("does not report a function with no trigger in the template (it may be invoked directly)", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      `
      Resources:
        Worker:
          Type: AWS::Serverless::Function
          Properties:
            AutoPublishAlias: live
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 5
      `,
    );
    expect(findings).toEqual([]);
  });

  it("reports the batch and stream consumers of a CloudFormation template, naming each source", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      `
      Resources:
        Indexer:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: java21
        Live:
          Type: AWS::Lambda::Alias
          Properties:
            FunctionName: !Ref Indexer
            FunctionVersion: "7"
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 3
        Changes:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            FunctionName: !Ref Indexer
            EventSourceArn: arn:aws:dynamodb:us-east-1:1:table/orders/stream/2026
            StartingPosition: LATEST
        OnEvent:
          Type: AWS::Lambda::Permission
          Properties:
            Action: lambda:InvokeFunction
            FunctionName: !GetAtt Indexer.Arn
            Principal: events.amazonaws.com
        Nightly:
          Type: AWS::Scheduler::Schedule
          Properties:
            ScheduleExpression: rate(1 day)
            FlexibleTimeWindow:
              Mode: "OFF"
            Target:
              Arn: !GetAtt Indexer.Arn
              RoleArn: arn:aws:iam::1:role/scheduler
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "provisioned-concurrency-async", severity: "warning", line: 11, resource: "Live" },
    ]);
    expect(findings[0]!.message).toBe(
      "Indexer has provisioned concurrency (on Live) but is invoked only asynchronously or in batches (events permission OnEvent, event source mapping Changes, Scheduler schedule Nightly): it pays every hour to keep environments warm for callers that do not wait.",
    );
  });

  it("reports a function that only serves a CloudFormation custom resource", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      `
      Resources:
        Seeder:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.13
            AutoPublishAlias: live
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 1
        SeedData:
          Type: Custom::Seed
          Properties:
            ServiceToken: !GetAtt Seeder.Arn
      `,
    );
    expect(findings[0]!.message).toContain(
      "invoked only asynchronously or in batches (custom resource SeedData)",
    );
  });

  it("does not report when a load balancer, a Cognito trigger or an AppSync data source waits for it", () => {
    const withCaller = (caller: string) => `
      Resources:
        Worker:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
        Live:
          Type: AWS::Lambda::Alias
          Properties:
            FunctionName: !Ref Worker
            FunctionVersion: "2"
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 2
        Jobs:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            FunctionName: !Ref Worker
            EventSourceArn: arn:aws:sqs:us-east-1:1:jobs
${caller}
    `;
    // The queue alone: reported.
    expect(runRule(provisionedConcurrencyAsync, withCaller(""))).toHaveLength(1);
    const callers = [
      `
        Targets:
          Type: AWS::ElasticLoadBalancingV2::TargetGroup
          Properties:
            TargetType: lambda
            Targets:
              - Id: !GetAtt Worker.Arn`,
      `
        Users:
          Type: AWS::Cognito::UserPool
          Properties:
            LambdaConfig:
              PostConfirmation: !GetAtt Worker.Arn`,
      `
        Source:
          Type: AWS::AppSync::DataSource
          Properties:
            ApiId: abc
            Name: worker
            Type: AWS_LAMBDA
            LambdaConfig:
              LambdaFunctionArn: !GetAtt Worker.Arn`,
    ];
    for (const caller of callers) {
      expect(runRule(provisionedConcurrencyAsync, withCaller(caller)), caller).toEqual([]);
    }
  });
});
