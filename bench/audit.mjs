// Audit: our engine with TEMPLATE_RULES over a generated corpus of SAM and
// CloudFormation templates, beside `cfn-lint` over the same files in one
// invocation in the same run: the baseline. Both are timed end to end as a
// child process (start, load, read, parse, check, print), which is what a
// user or CI waits for; our in-process time (no Node start, no module load)
// is shown too.
//
// The corpus is made here, seeded, so every run audits the same files:
// functions of both flavours with Api/HttpApi/SQS/Kinesis/DynamoDB/S3/
// Schedule/EventBridge events, Globals, REST and HTTP APIs, tables, queues,
// topics, log groups, roles and policies, parameters, conditions, mappings,
// outputs, and the short forms (!Ref, !Sub, !GetAtt, !If, !Join, !Select,
// !FindInMap, !Equals) — from a few dozen lines to over a thousand.
//
// The sources are not part of the library API, so they are bundled from src/
// with esbuild into a temporary folder first.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bundleFromSource, seededRandom } from "./support.mjs";

const FOLDER = join(tmpdir(), "lo-bench-audit");
const TEMPLATES = Number(process.env.AUDIT_BENCH_TEMPLATES ?? 120);
const ROUNDS = Number(process.env.AUDIT_BENCH_ROUNDS ?? 3);

const NOUNS = [
  "Orders",
  "Payments",
  "Invoices",
  "Users",
  "Catalog",
  "Inventory",
  "Shipping",
  "Notifications",
  "Reports",
  "Search",
  "Images",
  "Audit",
  "Billing",
  "Sessions",
  "Carts",
  "Reviews",
];
const VERBS = ["Create", "Get", "List", "Update", "Delete", "Process", "Sync", "Export", "Index"];
const RUNTIMES = [
  "nodejs20.x",
  "nodejs22.x",
  "python3.12",
  "python3.13",
  "java21",
  "provided.al2023",
];

/** One template's text, YAML with short forms or (sometimes) JSON-shaped CloudFormation. */
function makeTemplate(random, index) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const service = `${pick(NOUNS)}${index}`;
  const sam = chance(0.8);
  const lines = [];
  const push = (...more) => lines.push(...more);
  push('AWSTemplateFormatVersion: "2010-09-09"');
  if (sam) push("Transform: AWS::Serverless-2016-10-31");
  push(
    `Description: >-`,
    `  ${service} service: API, workers and storage (generated for the audit benchmark).`,
    "",
  );
  push(
    "Parameters:",
    "  Stage:",
    "    Type: String",
    "    Default: dev",
    "    AllowedValues: [dev, staging, prod]",
    "  LogLevel:",
    "    Type: String",
    "    Default: INFO",
    "",
    "Conditions:",
    "  IsProd: !Equals [!Ref Stage, prod]",
    "",
    "Mappings:",
    "  StageConfig:",
    "    dev: { Memory: 256, Retention: 7 }",
    "    staging: { Memory: 512, Retention: 14 }",
    "    prod: { Memory: 1024, Retention: 90 }",
    "",
  );
  const runtime = pick(RUNTIMES);
  const globalArm = sam && chance(0.3);
  const snapStartRuntime = /^(java|python3\.1[2-9])/.test(runtime);
  if (sam) {
    push("Globals:", "  Function:", `    Runtime: ${runtime}`, "    Handler: index.handler");
    if (chance(0.5)) push(`    Timeout: ${pick([3, 10, 30, 60, 900])}`);
    if (chance(0.4)) push(`    MemorySize: ${pick([128, 256, 512, 1024])}`);
    if (globalArm) push("    Architectures: [arm64]");
    if (chance(0.5)) push("    Tracing: Active");
    push(
      "    Environment:",
      "      Variables:",
      "        STAGE: !Ref Stage",
      "        LOG_LEVEL: !Ref LogLevel",
    );
    if (chance(0.5)) push("  Api:", "    TracingEnabled: true");
    push("");
  }
  push("Resources:");
  const tables = Array.from(
    { length: 1 + Math.floor(random() * 3) },
    (_, n) => `${service}Table${n}`,
  );
  const queues = Array.from({ length: Math.floor(random() * 3) }, (_, n) => `${service}Queue${n}`);
  for (const table of tables) {
    const provisioned = chance(0.3);
    push(
      `  ${table}:`,
      "    Type: AWS::DynamoDB::Table",
      "    Properties:",
      `      TableName: !Sub "\${AWS::StackName}-${table.toLowerCase()}"`,
      `      BillingMode: ${provisioned ? "PROVISIONED" : "PAY_PER_REQUEST"}`,
      "      AttributeDefinitions:",
      "        - AttributeName: pk",
      "          AttributeType: S",
      "        - AttributeName: sk",
      "          AttributeType: S",
      "        - AttributeName: gsi1pk",
      "          AttributeType: S",
      "      KeySchema:",
      "        - AttributeName: pk",
      "          KeyType: HASH",
      "        - AttributeName: sk",
      "          KeyType: RANGE",
    );
    if (provisioned) {
      push(
        "      ProvisionedThroughput:",
        "        ReadCapacityUnits: 5",
        "        WriteCapacityUnits: 5",
      );
    }
    push(
      "      GlobalSecondaryIndexes:",
      "        - IndexName: gsi1",
      "          KeySchema:",
      "            - AttributeName: gsi1pk",
      "              KeyType: HASH",
      "          Projection:",
      `            ProjectionType: ${pick(["ALL", "KEYS_ONLY", "INCLUDE"])}`,
    );
    if (provisioned) {
      push(
        "          ProvisionedThroughput:",
        "            ReadCapacityUnits: 5",
        "            WriteCapacityUnits: 5",
      );
    }
    push(
      "      StreamSpecification:",
      "        StreamViewType: NEW_AND_OLD_IMAGES",
      "      PointInTimeRecoverySpecification:",
      "        PointInTimeRecoveryEnabled: !If [IsProd, true, false]",
      "",
    );
  }
  for (const queue of queues) {
    push(
      `  ${queue}:`,
      "    Type: AWS::SQS::Queue",
      "    Properties:",
      `      VisibilityTimeout: ${pick([30, 60, 180, 900])}`,
      "      MessageRetentionPeriod: 1209600",
    );
    if (chance(0.6)) {
      push(
        "      RedrivePolicy:",
        `        deadLetterTargetArn: !GetAtt ${queue}Dlq.Arn`,
        "        maxReceiveCount: 5",
      );
    }
    push("", `  ${queue}Dlq:`, "    Type: AWS::SQS::Queue", "");
  }
  const topic = `${service}Topic`;
  push(
    `  ${topic}:`,
    "    Type: AWS::SNS::Topic",
    "    Properties:",
    `      TopicName: !Sub "\${AWS::StackName}-events"`,
    "",
  );
  const restApi = sam && chance(0.5);
  if (restApi) {
    push(
      `  ${service}Api:`,
      "    Type: AWS::Serverless::Api",
      "    Properties:",
      "      StageName: !Ref Stage",
      "      TracingEnabled: true",
      "      MethodSettings:",
      "        - ResourcePath: /*",
      '          HttpMethod: "*"',
      "          ThrottlingBurstLimit: 100",
      "          ThrottlingRateLimit: 50",
      "",
    );
  }
  const functionCount = 1 + Math.floor(random() * random() * 24);
  for (let n = 0; n < functionCount; n++) {
    const name = `${pick(VERBS)}${service}Fn${n}`;
    let eventKind = pick([
      "Api",
      "HttpApi",
      "SQS",
      "Schedule",
      "S3",
      "DynamoDB",
      "EventBridgeRule",
      "Kinesis",
      "none",
    ]);
    if (eventKind === "SQS" && queues.length === 0) eventKind = "Schedule";
    const table = pick(tables);
    push(
      "  # " +
        `${name}: ${eventKind === "none" ? "invoked directly" : `triggered by ${eventKind}`}.`,
    );
    if (sam) {
      push(`  ${name}:`, "    Type: AWS::Serverless::Function", "    Properties:");
      push(
        `      CodeUri: src/${name.toLowerCase()}/`,
        `      Handler: ${name.toLowerCase()}.handler`,
      );
      if (chance(0.5)) push(`      MemorySize: !FindInMap [StageConfig, !Ref Stage, Memory]`);
      if (chance(0.5)) push(`      Timeout: ${pick([5, 15, 29, 30, 120, 900])}`);
      if (!globalArm && chance(0.3))
        push("      Architectures:", `        - ${pick(["x86_64", "arm64"])}`);
      if (snapStartRuntime && chance(0.4)) {
        push(
          "      AutoPublishAlias: live",
          "      SnapStart:",
          "        ApplyOn: PublishedVersions",
        );
      }
      if (chance(0.2)) push("      ReservedConcurrentExecutions: 10");
      push(
        "      Environment:",
        "        Variables:",
        `          TABLE_NAME: !Ref ${table}`,
        `          TOPIC_ARN: !Ref ${topic}`,
        `          SERVICE: ${service.toLowerCase()}`,
        "      Policies:",
        "        - DynamoDBCrudPolicy:",
        `            TableName: !Ref ${table}`,
        "        - SNSPublishMessagePolicy:",
        `            TopicName: !GetAtt ${topic}.TopicName`,
      );
      if (chance(0.15)) {
        push(
          "        - Statement:",
          "            - Effect: Allow",
          '              Action: "s3:*"',
          '              Resource: "*"',
        );
      }
      if (eventKind !== "none") {
        push(
          "      Events:",
          `        ${eventKind}Event:`,
          `          Type: ${eventKind}`,
          "          Properties:",
        );
        if (eventKind === "Api") {
          push(
            `            Path: /${service.toLowerCase()}/${name.toLowerCase()}/{id}`,
            `            Method: ${pick(["get", "post", "put"])}`,
          );
          if (restApi) push(`            RestApiId: !Ref ${service}Api`);
        } else if (eventKind === "HttpApi") {
          push(
            `            Path: /${service.toLowerCase()}/${name.toLowerCase()}`,
            "            Method: GET",
          );
        } else if (eventKind === "SQS") {
          push(
            `            Queue: !GetAtt ${pick(queues)}.Arn`,
            `            BatchSize: ${pick([1, 10, 50, 100])}`,
          );
          if (chance(0.5)) push("            MaximumBatchingWindowInSeconds: 5");
          if (chance(0.5))
            push("            FunctionResponseTypes:", "              - ReportBatchItemFailures");
        } else if (eventKind === "DynamoDB" || eventKind === "Kinesis") {
          push(
            eventKind === "DynamoDB"
              ? `            Stream: !GetAtt ${table}.StreamArn`
              : `            Stream: !Sub "arn:\${AWS::Partition}:kinesis:\${AWS::Region}:\${AWS::AccountId}:stream/${service}"`,
            "            StartingPosition: LATEST",
            `            BatchSize: ${pick([10, 100, 500])}`,
            `            ParallelizationFactor: ${pick([1, 2, 10])}`,
          );
        } else if (eventKind === "Schedule") {
          push(
            `            Schedule: ${pick(["rate(5 minutes)", "rate(1 hour)", "cron(0 3 * * ? *)"])}`,
          );
        } else if (eventKind === "S3") {
          push("            Bucket: !Ref UploadsBucket", "            Events: s3:ObjectCreated:*");
        } else {
          push(
            "            Pattern:",
            "              source:",
            `                - ${service.toLowerCase()}.orders`,
          );
        }
      }
    } else {
      push(
        `  ${name}:`,
        "    Type: AWS::Lambda::Function",
        "    Properties:",
        `      FunctionName: !Sub "\${AWS::StackName}-${name}"`,
        `      Runtime: ${runtime}`,
        "      Handler: index.handler",
        "      Code:",
        '        S3Bucket: !Sub "artifacts-${AWS::AccountId}-${AWS::Region}"',
        `        S3Key: ${name.toLowerCase()}.zip`,
        `      Role: !GetAtt ${name}Role.Arn`,
        `      Timeout: ${pick([3, 30, 900])}`,
        "      TracingConfig:",
        `        Mode: ${pick(["Active", "PassThrough"])}`,
        "      Environment:",
        "        Variables:",
        `          TABLE_NAME: !Ref ${table}`,
        "",
        `  ${name}Role:`,
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument:",
        '        Version: "2012-10-17"',
        "        Statement:",
        "          - Effect: Allow",
        "            Principal: { Service: lambda.amazonaws.com }",
        "            Action: sts:AssumeRole",
        "      ManagedPolicyArns:",
        "        - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "      Policies:",
        "        - PolicyName: data",
        "          PolicyDocument:",
        '            Version: "2012-10-17"',
        "            Statement:",
        "              - Effect: Allow",
        "                Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]",
        `                Resource: !GetAtt ${table}.Arn`,
      );
      if (queues.length > 0 && chance(0.5)) {
        push(
          "",
          `  ${name}Mapping:`,
          "    Type: AWS::Lambda::EventSourceMapping",
          "    Properties:",
          `      FunctionName: !Ref ${name}`,
          `      EventSourceArn: !GetAtt ${pick(queues)}.Arn`,
          `      BatchSize: ${pick([5, 10, 100])}`,
        );
      }
    }
    if (chance(0.4)) {
      push(
        "",
        `  ${name}LogGroup:`,
        "    Type: AWS::Logs::LogGroup",
        "    Properties:",
        `      LogGroupName: !Sub /aws/lambda/\${${name}}`,
        `      RetentionInDays: !FindInMap [StageConfig, !Ref Stage, Retention]`,
      );
    }
    push("");
  }
  if (sam) {
    push(
      "  UploadsBucket:",
      "    Type: AWS::S3::Bucket",
      "    Properties:",
      '      BucketName: !Join ["-", [!Ref "AWS::StackName", uploads, !Select [0, !Split ["-", !Ref "AWS::Region"]]]]',
      "",
    );
  }
  push(
    "Outputs:",
    "  TopicArn:",
    `    Value: !Ref ${topic}`,
    "    Export:",
    `      Name: !Sub "\${AWS::StackName}-TopicArn"`,
  );
  for (const table of tables) push(`  ${table}Name:`, `    Value: !Ref ${table}`);
  return `${lines.join("\n")}\n`;
}

function generateCorpus() {
  rmSync(FOLDER, { recursive: true, force: true });
  const random = seededRandom(7);
  const files = [];
  for (let index = 0; index < TEMPLATES; index++) {
    const directory = join(FOLDER, "corpus", `app-${String(index).padStart(3, "0")}`);
    mkdirSync(directory, { recursive: true });
    const file = join(directory, "template.yaml");
    writeFileSync(file, makeTemplate(random, index));
    files.push(file);
  }
  return files;
}

async function bundle() {
  const outfile = join(FOLDER, "audit.mjs");
  await bundleFromSource(
    'export { auditTemplates } from "./src/audit/engine.ts";\nexport { TEMPLATE_RULES } from "./src/audit/rules/index.ts";\n',
    outfile,
  );
  // The child: audit every file given, report timings and counts (the CLI's work, minus printing).
  const child = join(FOLDER, "audit-child.mjs");
  writeFileSync(
    child,
    `import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { auditTemplates, TEMPLATE_RULES } from ${JSON.stringify(outfile)};
const files = readFileSync(process.argv[2], "utf8").split("\\n").filter(Boolean);
const started = performance.now();
const report = auditTemplates(files, { rules: TEMPLATE_RULES });
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, findings: report.findings.length, errors: report.errors.length, templates: report.summary.templates, rules: TEMPLATE_RULES.length }));
`,
  );
  return child;
}

function timed(command, args) {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (run.error) throw run.error;
  return { ms, run };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function auditBench() {
  mkdirSync(FOLDER, { recursive: true });
  const files = generateCorpus();
  const child = await bundle();
  const list = join(FOLDER, "files.txt");
  writeFileSync(list, files.join("\n"));
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const lines = files.reduce(
    (sum, file) => sum + readFileSync(file, "utf8").split("\n").length - 1,
    0,
  );

  const ours = [];
  const cfnLint = [];
  let cfnLintFindings = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // cfn-lint exits non-zero when it finds something: only a crash (no output, status > 32) is a failure.
    const lint = timed("cfn-lint", ["--format", "parseable", "--", ...files]);
    if (lint.run.status === null || (lint.run.status > 31 && lint.run.stdout === "")) {
      throw new Error(`cfn-lint failed: ${lint.run.stderr.slice(0, 500)}`);
    }
    cfnLint.push(lint.ms);
    cfnLintFindings = lint.run.stdout.split("\n").filter(Boolean).length;
    const own = timed(process.execPath, [child, list]);
    if (own.run.status !== 0) throw new Error(`audit child failed: ${own.run.stderr}`);
    ours.push({ wall: own.ms, ...JSON.parse(own.run.stdout) });
  }
  const last = ours[ours.length - 1];
  const result = {
    templates: files.length,
    bytes,
    lines,
    largestLines: Math.max(
      ...files.map((file) => readFileSync(file, "utf8").split("\n").length - 1),
    ),
    rules: last.rules,
    findings: last.findings,
    errors: last.errors,
    cfnLintFindings,
    cfnLintMs: median(cfnLint),
    oursWallMs: median(ours.map((run) => run.wall)),
    oursInProcessMs: median(ours.map((run) => run.ms)),
    rounds: ROUNDS,
  };
  if (!process.env.AUDIT_BENCH_KEEP) rmSync(FOLDER, { recursive: true, force: true });
  return result;
}

export function auditBenchMarkdown(result) {
  const ratio = result.cfnLintMs / result.oursWallMs;
  const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const rows = [
    "| measure | value |",
    "|---|---:|",
    `| corpus: generated SAM and CloudFormation templates | ${result.templates} files, ${result.lines.toLocaleString("en-US")} lines (largest ${result.largestLines.toLocaleString("en-US")}), ${(result.bytes / 1024).toFixed(0)} KB |`,
    `| \`cfn-lint\`, all files in one invocation (baseline) | ${seconds(result.cfnLintMs)} (${result.cfnLintFindings.toLocaleString("en-US")} findings) |`,
    `| ours, TEMPLATE_RULES (${result.rules} rules), child process end to end | ${seconds(result.oursWallMs)} (${result.findings.toLocaleString("en-US")} findings, ${result.errors} errors) |`,
    `| ours, in process (parse, resolve, check) | ${seconds(result.oursInProcessMs)} (${(result.oursInProcessMs / result.templates).toFixed(1)} ms a template) |`,
  ];
  const verdict = ratio >= 10 ? "**pass**" : "**fail**";
  return `${rows.join("\n")}\n\nMedian of ${result.rounds} runs each, run alternately. cfn-lint takes ${ratio.toFixed(1)}× our end-to-end time (target at least 10×): ${verdict}. The two do different work — cfn-lint validates every property against the resource specification; we check cost and performance rules — so this says whether the audit fits where cfn-lint already runs, not which is the better linter.`;
}
