import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../../src/audit/engine.js";
import { AuditReportSchema } from "../../../src/audit/findings.js";
import { MeasuredInitIndex } from "../../../src/audit/measured-init.js";
import { slowStartSync } from "../../../src/audit/rules/slow-start-sync.js";
import { snapstartCandidate } from "../../../src/audit/rules/snapstart-candidate.js";
import { runCli } from "../../cli/run-cli.js";
import { writeTuneRun } from "../tune-run-file.js";
import { lineOf } from "./audit-yaml.js";
import { runRule, summarize, yaml } from "./run-rule.js";

const apiFunction = (runtime: string, extra = "") => `
  Transform: AWS::Serverless-2016-10-31
  Resources:
    Orders:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: ${runtime}
        Handler: orders.Handler::handleRequest
        Events:
          Get:
            Type: Api
            Properties:
              Path: /orders
              Method: get
${extra}
  `;

const OPTIONS_TAIL =
  "provisioned concurrency, for a strict latency objective (billed every hour it is configured); a fast-starting runtime (Node.js, Python) for this path.";

describe("slow-start-sync", () => {
  it("reports a SAM Java function behind an API, at its Runtime, naming the runtime, the trigger and the options", () => {
    const findings = runRule(slowStartSync, apiFunction("java21"));
    expect(summarize(findings)).toEqual([
      { ruleId: "slow-start-sync", severity: "warning", line: 6, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toBe(
      "Orders runs on java21, a slow-starting runtime, and is invoked synchronously (Api event Get) with neither SnapStart nor provisioned concurrency: callers wait through every cold start (the JVM starting and loading classes, commonly seconds). " +
        `Options: SnapStart (SnapStart: {ApplyOn: PublishedVersions} with AutoPublishAlias; no extra charge on Java); ${OPTIONS_TAIL}`,
    );
  });

  it("reports a CloudFormation .NET function behind an AWS::Lambda::Url, with SnapStart's .NET charges", () => {
    const findings = runRule(
      slowStartSync,
      `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: dotnet8
            Handler: Orders::Orders.Function::Handler
        OrdersUrl:
          Type: AWS::Lambda::Url
          Properties:
            AuthType: AWS_IAM
            TargetFunctionArn: !GetAtt Orders.Arn
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "slow-start-sync", severity: "warning", line: 5, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toBe(
      "Orders runs on dotnet8, a slow-starting runtime, and is invoked synchronously (function URL OrdersUrl) with neither SnapStart nor provisioned concurrency: callers wait through every cold start (the .NET runtime starting and JIT-compiling, commonly seconds). " +
        `Options: SnapStart (SnapStart: {ApplyOn: PublishedVersions} with an AWS::Lambda::Version; billed for snapshot caching and each restore on .NET (docs/pricing.md)); ${OPTIONS_TAIL}`,
    );
  });

  it("on a runtime without SnapStart, says which runtime has it", () => {
    const findings = runRule(
      slowStartSync,
      apiFunction("java8.al2").replace("Type: Api", "Type: HttpApi"),
    );
    expect(findings[0]!.message).toContain("(HttpApi event Get)");
    expect(findings[0]!.message).toContain(
      "Options: SnapStart after moving to java21 (Java 11 and later have SnapStart), since java8.al2 has none; provisioned concurrency",
    );
  });

  it("does not offer SnapStart where an EFS mount rules it out", () => {
    const findings = runRule(
      slowStartSync,
      apiFunction(
        "java17",
        "        FileSystemConfigs:\n          - Arn: arn:aws:elasticfilesystem:us-east-1:1:access-point/fsap-1\n            LocalMountPath: /mnt/data",
      ),
    );
    expect(findings[0]!.message).toContain(
      "Options: SnapStart only without its EFS mount (FileSystemConfigs), which it does not support; provisioned concurrency",
    );
  });

  it("points at the Globals line when the runtime is set there", () => {
    const findings = runRule(
      slowStartSync,
      `
      Transform: AWS::Serverless-2016-10-31
      Globals:
        Function:
          Runtime: java21
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Handler: orders.Handler::handleRequest
            FunctionUrlConfig:
              AuthType: NONE
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "slow-start-sync", severity: "warning", line: 4, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toContain("invoked synchronously (FunctionUrlConfig)");
  });

  it("counts the other callers that wait: a load balancer, Cognito triggers, an AppSync data source", () => {
    const findings = runRule(
      slowStartSync,
      `
      Resources:
        Web:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: java21
        WebTargets:
          Type: AWS::ElasticLoadBalancingV2::TargetGroup
          Properties:
            TargetType: lambda
            Targets:
              - Id: !GetAtt Web.Arn
        SignUp:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: dotnet10
        Users:
          Type: AWS::Cognito::UserPool
          Properties:
            LambdaConfig:
              PreSignUp: !GetAtt SignUp.Arn
              PreTokenGenerationConfig:
                LambdaArn: !GetAtt SignUp.Arn
                LambdaVersion: V2_0
        Resolver:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: java17
        ResolverSource:
          Type: AWS::AppSync::DataSource
          Properties:
            ApiId: abc
            Name: orders
            Type: AWS_LAMBDA
            LambdaConfig:
              LambdaFunctionArn: !GetAtt Resolver.Arn
        Gateway:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: java21
        GatewayInvoke:
          Type: AWS::Lambda::Permission
          Properties:
            Action: lambda:InvokeFunction
            FunctionName: !Ref Gateway
            Principal: elasticloadbalancing.amazonaws.com
      `,
    );
    expect(findings.map((finding) => finding.resource)).toEqual([
      "Web",
      "SignUp",
      "Resolver",
      "Gateway",
    ]);
    const [web, signUp, resolver, gateway] = findings.map((finding) => finding.message);
    expect(web).toContain("invoked synchronously (load balancer target group WebTargets)");
    expect(signUp).toContain(
      "invoked synchronously (Cognito user pool Users trigger PreSignUp, Cognito user pool Users trigger PreTokenGenerationConfig)",
    );
    expect(resolver).toContain("invoked synchronously (AppSync data source ResolverSource)");
    expect(gateway).toContain(
      "invoked synchronously (elasticloadbalancing permission GatewayInvoke)",
    );
  });

  it("counts a SAM Cognito event", () => {
    const findings = runRule(
      slowStartSync,
      apiFunction("java21")
        .replace("Type: Api", "Type: Cognito")
        .replace(/\n\s+Path.*\n\s+Method: get/, ""),
    );
    expect(findings[0]!.message).toContain("invoked synchronously (Cognito event Get)");
  });

  it("does not report a function whose cold starts are already hidden: SnapStart, provisioned concurrency, Managed Instances", () => {
    const snapStart =
      "        AutoPublishAlias: live\n        SnapStart:\n          ApplyOn: PublishedVersions";
    expect(runRule(slowStartSync, apiFunction("java21", snapStart))).toEqual([]);
    const provisioned =
      "        AutoPublishAlias: live\n        ProvisionedConcurrencyConfig:\n          ProvisionedConcurrentExecutions: 2";
    expect(runRule(slowStartSync, apiFunction("java21", provisioned))).toEqual([]);
    const managed =
      "        CapacityProviderConfig:\n          LambdaManagedInstancesCapacityProviderConfig:\n            CapacityProviderArn: arn:aws:lambda:us-east-1:1:capacity-provider:cp";
    expect(runRule(slowStartSync, apiFunction("dotnet8", managed))).toEqual([]);
    // Provisioned concurrency on a CloudFormation alias of the function.
    expect(
      runRule(
        slowStartSync,
        `
        Resources:
          Orders:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: java21
          Live:
            Type: AWS::Lambda::Alias
            Properties:
              FunctionName: !Ref Orders
              FunctionVersion: "4"
              ProvisionedConcurrencyConfig:
                ProvisionedConcurrentExecutions: 1
          OrdersUrl:
            Type: AWS::Lambda::Url
            Properties:
              AuthType: NONE
              TargetFunctionArn: !Ref Live
        `,
      ),
    ).toEqual([]);
  });

  it("does not report fast-starting runtimes, images, or a Java function nobody waits for", () => {
    // dotnet9 exists only as an image base: eol-runtime reports it on a zip function.
    for (const runtime of ["nodejs22.x", "python3.13", "ruby3.4", "provided.al2023", "dotnet9"]) {
      expect(runRule(slowStartSync, apiFunction(runtime)), runtime).toEqual([]);
    }
    expect(runRule(slowStartSync, apiFunction("java21", "        PackageType: Image"))).toEqual([]);
    expect(
      runRule(
        slowStartSync,
        `
        Resources:
          Worker:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: java21
              Events:
                Jobs:
                  Type: SQS
                  Properties:
                    Queue: arn:aws:sqs:us-east-1:1:jobs
          Direct:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: java21
        `,
      ),
    ).toEqual([]);
  });

  it("and snapstart-candidate never reports the same function", () => {
    for (const runtime of ["java21", "dotnet8", "python3.13"]) {
      const slow = runRule(slowStartSync, apiFunction(runtime));
      const snap = runRule(snapstartCandidate, apiFunction(runtime));
      expect(slow.length + snap.length, runtime).toBe(1);
    }
  });
});

describe("slow-start-sync quotes the cold starts a saved tune run measured", () => {
  const TEMPLATE = yaml(`
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Orders:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: java21
          MemorySize: 1024
          Events:
            Get:
              Type: HttpApi
  `);

  function audit(cwd: string, template = TEMPLATE) {
    const file = join(cwd, "template.yaml");
    writeFileSync(file, template);
    const report = auditTemplates([file], {
      rules: [slowStartSync],
      cwd,
      measuredInit: new MeasuredInitIndex(cwd),
    });
    expect(report.errors).toEqual([]);
    return report.findings;
  }

  const project = () => mkdtempSync(join(tmpdir(), "lo-slow-start-"));

  it("at the function's own size, from the latest run that measured any", () => {
    const cwd = project();
    writeTuneRun(cwd, {
      functionName: "Orders",
      memoryMb: 1024,
      kind: "aws",
      createdAt: "2026-11-01T09:00:00.000Z",
      coldStarts: { 1024: [9000] },
    });
    const latest = writeTuneRun(cwd, {
      functionName: "Orders",
      memoryMb: 1024,
      kind: "aws",
      createdAt: "2026-11-30T09:00:00.000Z",
      coldStarts: { 512: [3900, 4100], 1024: [2400, 2340, 2290] },
    });
    // A newer run that saw no cold start says nothing about init: passed over.
    writeTuneRun(cwd, {
      functionName: "Orders",
      memoryMb: 512,
      kind: "aws",
      createdAt: "2026-12-01T09:00:00.000Z",
    });
    const [finding] = audit(cwd);
    expect(finding!.message).toContain(
      `callers wait through every cold start (measured init duration 2,340 ms at p50 over 3 cold starts at its 1024 MB (x86_64); tune run ${latest} on AWS, 2026-11-30). Options:`,
    );
  });

  it("else at the fastest configuration the run measured, said to be not its own", () => {
    const cwd = project();
    const run = writeTuneRun(cwd, {
      functionName: "Orders",
      memoryMb: 2048,
      coldStarts: { 2048: [1800], 3008: [1500, 1700] },
    });
    const [finding] = audit(cwd);
    expect(finding!.message).toContain(
      `(measured init duration 1,600 ms at p50 over 2 cold starts at 3008 MB (x86_64), the fastest configuration the run measured, not its own 1024 MB (x86_64); tune run ${run} on the local emulator, 2026-11-30)`,
    );
  });

  it("without a run that measured cold starts: the generality, no figure", () => {
    const cwd = project();
    writeTuneRun(cwd, { functionName: "Other", memoryMb: 1024, coldStarts: { 1024: [2000] } });
    const [finding] = audit(cwd);
    expect(finding!.message).toContain("(the JVM starting and loading classes, commonly seconds)");
    expect(finding!.message).not.toContain("measured");
  });

  it("judges Ruby, custom runtimes and images only by what a run measured, from 1 s", () => {
    const cwd = project();
    const template = yaml(`
      Transform: AWS::Serverless-2016-10-31
      Globals:
        Function:
          MemorySize: 1024
      Resources:
        Rails:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: ruby3.4
            Events:
              Get:
                Type: HttpApi
        Rust:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: provided.al2023
            Events:
              Get:
                Type: HttpApi
        Model:
          Type: AWS::Serverless::Function
          Properties:
            PackageType: Image
            Events:
              Get:
                Type: HttpApi
        Unmeasured:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: ruby3.4
            Events:
              Get:
                Type: HttpApi
    `);
    const rails = writeTuneRun(cwd, {
      functionName: "Rails",
      memoryMb: 1024,
      kind: "aws",
      coldStarts: { 1024: [1200, 1400] },
    });
    // 180 ms: a custom runtime that starts fast is not reported.
    writeTuneRun(cwd, { functionName: "Rust", memoryMb: 1024, coldStarts: { 1024: [180] } });
    const model = writeTuneRun(cwd, {
      functionName: "Model",
      memoryMb: 1024,
      kind: "aws",
      coldStarts: { 1024: [4800, 5200, 5000] },
    });
    const findings = audit(cwd, template);
    expect(findings.map(({ resource, line }) => ({ resource, line }))).toEqual([
      { resource: "Rails", line: lineOf(template, "Runtime: ruby3.4") },
      { resource: "Model", line: lineOf(template, "PackageType: Image") },
    ]);
    expect(findings[0]!.message).toBe(
      `Rails runs on ruby3.4, whose start-up the template does not tell, and a saved tune run measured slow cold starts (measured init duration 1,300 ms at p50 over 2 cold starts at its 1024 MB (x86_64); tune run ${rails} on AWS, 2026-11-30); it is invoked synchronously (HttpApi event Get) with no provisioned concurrency, and SnapStart is not offered for ruby3.4: callers wait through each cold start. Options: provisioned concurrency, for a strict latency objective (billed every hour it is configured); a fast-starting runtime (Node.js, Python) for this path; less work before the handler (fewer libraries loaded at start).`,
    );
    expect(findings[1]!.message).toContain(
      `Model runs on a container image, whose start-up the template does not tell, and a saved tune run measured slow cold starts (measured init duration 5,000 ms at p50 over 3 cold starts at its 1024 MB (x86_64); tune run ${model} on AWS, 2026-11-30)`,
    );
    expect(findings[1]!.message).toContain(
      "; a smaller image, or a zip package on a managed runtime.",
    );
  });

  it("from the command line: `audit` reads the runs saved in its folder", () => {
    const cwd = project();
    writeFileSync(join(cwd, "template.yaml"), TEMPLATE);
    const run = writeTuneRun(cwd, {
      functionName: "Orders",
      memoryMb: 1024,
      kind: "aws",
      coldStarts: { 1024: [2500, 2100] },
    });
    const result = runCli(["audit", "template.yaml", "--rules", "slow-start-sync", "--json"], {
      cwd,
    });
    expect(result.status, result.stderr).toBe(0);
    const report = AuditReportSchema.parse(JSON.parse(result.stdout));
    expect(report.findings.map(({ ruleId, line }) => ({ ruleId, line }))).toEqual([
      { ruleId: "slow-start-sync", line: 6 },
    ]);
    expect(report.findings[0]!.message).toContain(
      `(measured init duration 2,300 ms at p50 over 2 cold starts at its 1024 MB (x86_64); tune run ${run} on AWS, 2026-11-30)`,
    );
  });
});
