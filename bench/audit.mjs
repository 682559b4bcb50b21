// Audit: our engine over a generated corpus of SAM and CloudFormation
// templates and their functions' code, beside `cfn-lint` over the same
// templates in one invocation in the same run: the baseline. Each is timed end
// to end as a child process (start, load, read, parse, check), which is what
// a user or CI waits for; our in-process time (no Node start, no module load)
// is shown too. Ours runs twice a round: the template rules alone
// (`auditTemplates`, as before there was code), and the whole audit
// (`auditProject` over the corpus folder: templates, then the code rules over
// every function's handler, its local modules and its package), which is what
// the target is measured on. cfn-lint reads no code, so the whole audit does
// more work than the baseline.
//
// The corpus is made here, seeded, so every run audits the same files:
// functions of both flavours with Api/HttpApi/SQS/Kinesis/DynamoDB/S3/
// Schedule/EventBridge events, Globals, REST and HTTP APIs, tables, queues,
// topics, log groups, roles and policies, parameters, conditions, mappings,
// outputs, and the short forms (!Ref, !Sub, !GetAtt, !If, !Join, !Select,
// !FindInMap, !Equals) — from a few dozen lines to over a thousand. Every SAM
// function of a Node.js or Python template has its code in its CodeUri: an
// ES module, CommonJS or TypeScript handler, or a Python one, importing 1–3
// local modules, written with the patterns the code rules look for (SDK
// clients at module scope or in the handler, SSM reads cached or not, Query
// or Scan, environment reads, Powertools, uuid at init), from about 50 to
// 2,000 lines a function, with a package.json or requirements.txt, and for
// some a node_modules with an x86-64 addon or a vendored x86-64 wheel.
//
// The sources are not part of the library API, so they are bundled from src/
// with esbuild first, into node_modules/.cache (so that the packages kept
// external, which load native or WebAssembly files of their own, resolve).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { bundleFromSource, ROOT, seededRandom } from "./support.mjs";

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
function makeTemplate(random, index, functions = []) {
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
      // What the code generator needs (no draw from `random`, so the templates stay as they were).
      functions.push({ name: name.toLowerCase(), service, runtime, eventKind, snapStart: false });
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
        functions[functions.length - 1].snapStart = true;
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

// ---------------------------------------------------------------------------
// The functions' code. Every SAM function of a nodejs or python template gets
// its folder (CodeUri src/<name>/): a handler and 1–3 local modules (lib/db,
// lib/config, lib/util, lib/validate, lib/http) written the ways real handlers
// are, right and wrong (test/fixtures/code-project shows each pattern once),
// so the code rules fire at a realistic rate. java and provided functions get
// no code (the code rules do not read them; the audit notes that).

const LIBS_EXTRA = ["validate", "http"];
const VERSIONS = { "aws-sdk": "^2.1692.0", pg: "^8.16.0", uuid: "^11.1.0" };
const KEYS = [
  "id",
  "orderId",
  "customerId",
  "sku",
  "status",
  "total",
  "createdAt",
  "region",
  "tags",
];

/** Draws the patterns one function uses; the probabilities are a guess at real code, not a survey. */
function functionTraits(random, fn) {
  const chance = (p) => random() < p;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const polled = ["SQS", "Kinesis", "DynamoDB"].includes(fn.eventKind);
  // Lines of the function's own code: most small, a few with a large generated helper module.
  const large = chance(0.12);
  const target = large
    ? 800 + Math.floor(random() * 1200)
    : 50 + Math.floor(random() * random() * 400);
  return {
    polled,
    target,
    clientInHandler: chance(0.2),
    ssm: pick(["none", "none", "cached", "cached", "uncached", "powertools"]),
    dynamo: pick(["query-projection", "query-projection", "query", "get", "scan"]),
    envInHandler: chance(0.4),
    powertools: chance(0.45),
    idempotency: polled && chance(0.4),
    uniqueAtInit: chance(0.2),
    putMetric: chance(0.1),
    connection: pick(["none", "none", "none", "init", "handler"]),
    sdkV2: chance(0.1),
    extraLib: chance(0.4) ? pick(LIBS_EXTRA) : undefined,
    vendored: chance(0.3),
    devDependencies: chance(0.3),
  };
}

/** Files of one function, relative to its folder: [path, text or bytes]. */
function makeFunctionCode(random, fn) {
  const traits = functionTraits(random, fn);
  if (fn.runtime.startsWith("python")) return pythonFunction(random, fn, traits);
  return nodeFunction(random, fn, traits);
}

const countLines = (text) => text.split("\n").length - 1;

/** A 64-byte ELF header for x86-64 (e_machine 62 at offset 18): what arm64-blocked reads. */
function fakeX86Elf() {
  const bytes = Buffer.alloc(64);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // \x7fELF, 64-bit, little-endian, version 1
  bytes.writeUInt16LE(3, 16); // e_type: shared object
  bytes.writeUInt16LE(62, 18); // e_machine: x86-64
  return bytes;
}

// --- Node.js ---------------------------------------------------------------

function nodeFunction(random, fn, traits) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const flavour = pick(["esm", "esm", "cjs", "ts"]);
  const ts = flavour === "ts";
  const cjs = flavour === "cjs";
  const ext = flavour === "esm" ? ".mjs" : cjs ? ".js" : ".ts";
  const spec = (lib) => (cjs ? `./lib/${lib}` : `./lib/${lib}${ts ? ".js" : ".mjs"}`);
  const imports = (names, from) =>
    cjs
      ? `const { ${names.join(", ")} } = require(${JSON.stringify(from)});`
      : `import { ${names.join(", ")} } from ${JSON.stringify(from)};`;
  const defaultImport = (name, from) =>
    cjs
      ? `const ${name} = require(${JSON.stringify(from)});`
      : `import ${name} from ${JSON.stringify(from)};`;
  const exported = (signature) =>
    cjs
      ? `exports.${signature.split("(")[0]} = async function ${signature}`
      : `export async function ${signature}`;
  const type = (annotation) => (ts ? `: ${annotation}` : "");

  const libs = ["db"];
  if (traits.ssm !== "none") libs.push("config");
  const wantsUtil = traits.target >= 120 || chance(0.5);
  if (wantsUtil && libs.length < 3) libs.push("util");
  if (traits.extraLib && libs.length < 3) libs.push(traits.extraLib);
  const files = [];
  const dependencies = new Set(["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"]);

  // lib/db: the table, read one of four ways.
  const db = [`// Data access for ${fn.service}.`];
  if (traits.sdkV2) {
    dependencies.add("aws-sdk");
    db.push(defaultImport("AWS", "aws-sdk"), "");
    db.push(`const documents = new AWS.DynamoDB.DocumentClient();`);
  } else {
    db.push(
      imports(["DynamoDBClient"], "@aws-sdk/client-dynamodb"),
      imports(
        ["DynamoDBDocumentClient", "GetCommand", "PutCommand", "QueryCommand", "ScanCommand"],
        "@aws-sdk/lib-dynamodb",
      ),
      "",
      "const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));",
    );
  }
  if (traits.connection === "init") {
    dependencies.add("pg");
    db.splice(1, 0, defaultImport("pg", "pg"));
    db.push("const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });");
  }
  db.push("const TABLE_NAME = process.env.TABLE_NAME;", "");
  const v2 = (method, params) => `documents.${method}(${params}).promise()`;
  const v3 = (command, params) => `documents.send(new ${command}(${params}))`;
  const call = (command, method, params) =>
    traits.sdkV2 ? v2(method, params) : v3(command, params);
  db.push(`${exported(`findItems(pk${type("string")})`)} {`);
  if (traits.dynamo === "scan") {
    db.push(
      `  const result = await ${call("ScanCommand", "scan", "{ TableName: TABLE_NAME }")};`,
      "  return (result.Items ?? []).filter((item) => item.pk === pk);",
    );
  } else if (traits.dynamo === "get") {
    db.push(
      `  const result = await ${call("GetCommand", "get", '{ TableName: TABLE_NAME, Key: { pk, sk: "meta" } }')};`,
      "  return result.Item ? [result.Item] : [];",
    );
  } else {
    const projection =
      traits.dynamo === "query-projection" ? ', ProjectionExpression: "pk, sk, total"' : "";
    db.push(
      "  const result = await " +
        call(
          "QueryCommand",
          "query",
          `{\n    TableName: TABLE_NAME,\n    KeyConditionExpression: "pk = :pk",\n    ExpressionAttributeValues: { ":pk": pk }${projection},\n  }`,
        ) +
        ";",
      "  return result.Items ?? [];",
    );
  }
  db.push("}", "", `${exported(`saveItem(item${type("Record<string, unknown>")})`)} {`);
  db.push(`  await ${call("PutCommand", "put", "{ TableName: TABLE_NAME, Item: item }")};`);
  if (traits.connection === "init") {
    db.push('  await pool.query("insert into audit_log (pk) values ($1)", [item.pk]);');
  } else if (traits.connection === "handler") {
    dependencies.add("pg");
    db.splice(1, 0, defaultImport("pg", "pg"));
    db.push(
      "  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });",
      "  await client.connect();",
      '  await client.query("insert into audit_log (pk) values ($1)", [item.pk]);',
      "  await client.end();",
    );
  }
  db.push("  return item;", "}", "");
  files.push([`lib/db${ext}`, db]);

  // lib/config: SSM, cached or not, or through Powertools Parameters (which caches).
  if (libs.includes("config")) {
    const config = [`// Settings for ${fn.service}, from Parameter Store.`];
    if (traits.ssm === "powertools") {
      dependencies.add("@aws-lambda-powertools/parameters");
      config.push(
        imports(["getParameter"], "@aws-lambda-powertools/parameters/ssm"),
        "",
        `${exported("loadConfig()")} {`,
        `  const value = await getParameter("/${fn.service}/config", { maxAge: 300 });`,
        '  return JSON.parse(value ?? "{}");',
        "}",
        "",
      );
    } else {
      dependencies.add("@aws-sdk/client-ssm");
      config.push(
        imports(["GetParameterCommand", "SSMClient"], "@aws-sdk/client-ssm"),
        "",
        "const ssm = new SSMClient({});",
      );
      if (traits.ssm === "cached")
        config.push(`let cached${type("Record<string, unknown> | undefined")};`);
      config.push("", `${exported("loadConfig()")} {`);
      const read = [
        `const output = await ssm.send(new GetParameterCommand({ Name: "/${fn.service}/config", WithDecryption: true }));`,
        'return JSON.parse(output.Parameter?.Value ?? "{}");',
      ];
      if (traits.ssm === "cached") {
        config.push(
          "  if (!cached) {",
          `    ${read[0]}`,
          '    cached = JSON.parse(output.Parameter?.Value ?? "{}");',
          "  }",
          "  return cached;",
        );
      } else {
        config.push(`  ${read[0]}`, `  ${read[1]}`);
      }
      config.push("}", "");
    }
    files.push([`lib/config${ext}`, config]);
  }

  if (libs.includes("validate")) {
    files.push([
      `lib/validate${ext}`,
      [
        "// Request validation.",
        `${cjs ? "exports.validate = function" : "export function"} validate(body${type("unknown")}) {`,
        '  if (typeof body !== "object" || body === null) throw new Error("body must be an object");',
        `  const record = body${ts ? " as Record<string, unknown>" : ""};`,
        ...KEYS.slice(0, 4).map(
          (key) =>
            `  if (record.${key} !== undefined && typeof record.${key} !== "string") throw new Error("${key} must be a string");`,
        ),
        "  return record;",
        "}",
        "",
      ],
    ]);
  }
  if (libs.includes("http")) {
    files.push([
      `lib/http${ext}`,
      [
        "// Responses in the API Gateway proxy shape.",
        `${cjs ? "exports.respond = function" : "export function"} respond(statusCode${type("number")}, body${type("unknown")}) {`,
        "  return {",
        "    statusCode,",
        '    headers: { "content-type": "application/json", "cache-control": "no-store" },',
        "    body: JSON.stringify(body),",
        "  };",
        "}",
        "",
      ],
    ]);
  }

  // The handler.
  const handler = [
    `// ${fn.name}: ${fn.eventKind === "none" ? "invoked directly" : `${fn.eventKind} events`} (generated for the audit benchmark).`,
  ];
  const head = [];
  dependencies.add("@aws-sdk/client-sns");
  head.push(imports(["PublishCommand", "SNSClient"], "@aws-sdk/client-sns"));
  if (traits.putMetric) {
    dependencies.add("@aws-sdk/client-cloudwatch");
    head.push(imports(["CloudWatchClient", "PutMetricDataCommand"], "@aws-sdk/client-cloudwatch"));
  }
  if (traits.powertools) {
    dependencies.add("@aws-lambda-powertools/logger");
    dependencies.add("@aws-lambda-powertools/metrics");
    head.push(imports(["Logger"], "@aws-lambda-powertools/logger"));
    head.push(imports(["Metrics", "MetricUnit"], "@aws-lambda-powertools/metrics"));
  }
  if (traits.idempotency) {
    dependencies.add("@aws-lambda-powertools/idempotency");
    head.push(imports(["makeIdempotent"], "@aws-lambda-powertools/idempotency"));
  }
  if (traits.uniqueAtInit) {
    dependencies.add("uuid");
    head.push(imports([cjs ? "v4: uuidv4" : "v4 as uuidv4"], "uuid"));
  }
  if (ts) head.push('import type { Context } from "aws-lambda";');
  head.push(imports(["findItems", "saveItem"], spec("db")));
  if (libs.includes("config")) head.push(imports(["loadConfig"], spec("config")));
  if (libs.includes("validate")) head.push(imports(["validate"], spec("validate")));
  if (libs.includes("http")) head.push(imports(["respond"], spec("http")));
  // The helpers the handler calls; the module itself is written last, to the size wanted.
  const helperNames = libs.includes("util") ? ["normalizeField0", "normalizeField1"] : [];
  if (helperNames.length > 0) head.push(imports(helperNames, spec("util")));
  handler.push(...head, "");
  if (!traits.envInHandler) {
    handler.push(
      "const TOPIC_ARN = process.env.TOPIC_ARN;",
      `const SERVICE = process.env.SERVICE ?? "${fn.service}";`,
    );
  }
  if (!traits.clientInHandler) handler.push("const sns = new SNSClient({});");
  if (traits.putMetric) handler.push("const cloudwatch = new CloudWatchClient({});");
  if (traits.powertools) {
    handler.push(`const logger = new Logger({ serviceName: "${fn.service}" });`);
    handler.push(`const metrics = new Metrics({ namespace: "${fn.service}" });`);
  }
  if (traits.uniqueAtInit) handler.push("const INSTANCE_ID = uuidv4();");
  handler.push("");
  if (ts) {
    handler.push(
      "interface Incoming {",
      "  pk?: string;",
      "  body?: string;",
      "  Records?: { body?: string; messageId?: string }[];",
      "}",
      "",
    );
  }
  const body = [];
  if (traits.envInHandler) {
    body.push(
      "  const TOPIC_ARN = process.env.TOPIC_ARN;",
      `  const SERVICE = process.env.SERVICE ?? "${fn.service}";`,
    );
  }
  if (traits.clientInHandler) body.push("  const sns = new SNSClient({});");
  if (libs.includes("config")) body.push("  const config = await loadConfig();");
  if (traits.polled) {
    body.push(
      "  const results = [];",
      "  for (const record of event.Records ?? []) {",
      '    const payload = JSON.parse(record.body ?? "{}");',
      ...(libs.includes("validate") ? ["    validate(payload);"] : []),
      "    const items = await findItems(payload.pk ?? record.messageId);",
      ...helperNames.map((helper) => `    payload.${helper} = ${helper}(payload);`),
      "    results.push(await saveItem({ ...payload, seen: items.length }));",
      "  }",
    );
  } else {
    body.push(
      '  const payload = event.body ? JSON.parse(event.body) : { pk: event.pk ?? "default" };',
      ...(libs.includes("validate") ? ["  validate(payload);"] : []),
      "  const items = await findItems(payload.pk);",
      ...helperNames.map((helper) => `  payload.${helper} = ${helper}(payload);`),
      "  const results = [await saveItem({ ...payload, seen: items.length })];",
    );
  }
  if (traits.powertools) {
    body.push(
      '  logger.info("processed", { count: results.length });',
      '  metrics.addMetric("processed", MetricUnit.Count, results.length);',
    );
  } else {
    body.push(
      '  console.log(JSON.stringify({ level: "info", service: SERVICE, count: results.length }));',
    );
  }
  if (traits.putMetric) {
    body.push(
      "  await cloudwatch.send(",
      "    new PutMetricDataCommand({",
      "      Namespace: SERVICE,",
      '      MetricData: [{ MetricName: "Processed", Value: results.length, Unit: "Count" }],',
      "    }),",
      "  );",
    );
  }
  body.push(
    "  await sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: JSON.stringify(results) }));",
  );
  const answer = `{ ok: true, count: results.length${traits.uniqueAtInit ? ", instance: INSTANCE_ID" : ""}${libs.includes("config") ? ", stage: config.stage" : ""} }`;
  body.push(
    libs.includes("http")
      ? `  return respond(200, ${answer});`
      : `  return { statusCode: 200, body: JSON.stringify(${answer}) };`,
  );
  const signature = `async (event${type("Incoming")}, context${type("Context")})`;
  const declaration = cjs ? "exports.handler =" : "export const handler =";
  handler.push(
    `${declaration} ${traits.idempotency ? "makeIdempotent(" : ""}${signature} => {`,
    ...body,
    traits.idempotency ? "});" : "};",
    "",
  );
  files.unshift([`${fn.name}${ext}`, handler]);

  // lib/util: generated helpers, as many as it takes to reach the function's size.
  if (libs.includes("util")) {
    const written = files.reduce((sum, [, lines]) => sum + lines.length, 0);
    const util = ["// Field helpers (generated).", ""];
    let index = 0;
    while (index < 2 || written + util.length < traits.target) {
      util.push(...jsHelper(index, pick(["string", "number", "list"]), ts, cjs), "");
      index++;
    }
    files.push([`lib/util${ext}`, util]);
  }

  const texts = files.map(([path, lines]) => [path, `${lines.join("\n")}\n`]);
  const sourceLines = texts.reduce((sum, [, text]) => sum + countLines(text), 0);
  const sourceFiles = texts.length;

  // package.json (and sometimes what npm installed).
  const manifest = {
    name: fn.name,
    version: "1.0.0",
    private: true,
    ...(flavour === "esm" ? { type: "module" } : {}),
    dependencies: Object.fromEntries(
      [...dependencies]
        .sort()
        .map((name) => [
          name,
          VERSIONS[name] ?? (name.startsWith("@aws-sdk/") ? "^3.1164.0" : "^2.28.0"),
        ]),
    ),
    ...(traits.devDependencies || ts
      ? {
          devDependencies: {
            ...(ts ? { "@types/aws-lambda": "^8.10.147", typescript: "^5.9.3" } : {}),
            vitest: "^4.1.12",
          },
        }
      : {}),
  };
  texts.push(["package.json", `${JSON.stringify(manifest, null, 2)}\n`]);
  if (traits.vendored) {
    const pkg = (name, version, extra = {}) => [
      `node_modules/${name}/package.json`,
      `${JSON.stringify({ name, version, main: "index.js", ...extra }, null, 2)}\n`,
    ];
    texts.push(pkg("uuid", "11.1.0"), ["node_modules/uuid/index.js", "module.exports = {};\n"]);
    if (chance(0.5)) {
      texts.push(pkg("bcrypt", "5.1.1", { gypfile: true }), [
        "node_modules/bcrypt/index.js",
        'module.exports = require("./lib/binding/napi-v3/bcrypt_lib.node");\n',
      ]);
      texts.push(["node_modules/bcrypt/lib/binding/napi-v3/bcrypt_lib.node", fakeX86Elf()]);
    } else {
      texts.push(pkg("sharp", "0.33.5"), ["node_modules/sharp/index.js", "module.exports = {};\n"]);
      texts.push(["node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node", fakeX86Elf()]);
      texts.push(pkg("@img/sharp-linux-x64", "0.33.5", { os: ["linux"], cpu: ["x64"] }));
    }
    if (traits.sdkV2) {
      texts.push(pkg("aws-sdk", "2.1692.0"), [
        "node_modules/aws-sdk/index.js",
        "module.exports = {};\n",
      ]);
    }
  }
  return { files: texts, sourceFiles, sourceLines };
}

function jsHelper(index, shape, ts, cjs) {
  const key = KEYS[index % KEYS.length];
  const head = cjs
    ? `exports.normalizeField${index} = function normalizeField${index}(record) {`
    : `export function normalizeField${index}(record${ts ? ": Record<string, unknown> | null | undefined" : ""})${ts ? ": unknown" : ""} {`;
  const value = `  const value = record.${key}${index} ?? record.${key};`;
  if (shape === "string") {
    return [
      head,
      "  if (record == null) return undefined;",
      value,
      '  if (typeof value === "string") return value.trim().toLowerCase();',
      '  if (typeof value === "number") return String(value);',
      "  return value === undefined ? null : JSON.stringify(value);",
      "}",
    ];
  }
  if (shape === "number") {
    return [
      head,
      "  if (record == null) return 0;",
      value,
      "  const number = Number(value);",
      "  if (!Number.isFinite(number)) return 0;",
      `  return Math.round(number * ${10 ** (index % 4)}) / ${10 ** (index % 4)};`,
      "}",
    ];
  }
  return [
    head,
    "  if (record == null) return [];",
    value,
    "  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];",
    "  return list",
    "    .map((item) => String(item).trim())",
    "    .filter((item) => item.length > 0)",
    `    .slice(0, ${10 + (index % 50)});`,
    "}",
  ];
}

// --- Python ----------------------------------------------------------------

function pythonFunction(random, fn, traits) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const libs = ["db"];
  if (traits.ssm !== "none") libs.push("config");
  const wantsUtil = traits.target >= 120 || chance(0.5);
  if (wantsUtil && libs.length < 3) libs.push("util");
  if (traits.extraLib && libs.length < 3) libs.push(traits.extraLib);
  const files = [["lib/__init__.py", ['"""Helpers of the function."""']]];
  const requirements = new Set(["boto3"]);

  const db = [`"""Data access for ${fn.service}."""`, "import os", ""];
  db.push("import boto3", "from boto3.dynamodb.conditions import Key");
  if (traits.connection !== "none") {
    requirements.add("psycopg2-binary");
    db.push("import psycopg2");
  }
  db.push("", 'TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])');
  if (traits.connection === "init")
    db.push('CONNECTION = psycopg2.connect(os.environ["DATABASE_URL"])');
  db.push("", "", "def find_items(pk):");
  if (traits.dynamo === "scan") {
    db.push(
      "    response = TABLE.scan()",
      '    return [item for item in response.get("Items", []) if item.get("pk") == pk]',
    );
  } else if (traits.dynamo === "get") {
    db.push(
      '    response = TABLE.get_item(Key={"pk": pk, "sk": "meta"})',
      '    return [response["Item"]] if "Item" in response else []',
    );
  } else {
    db.push(
      "    response = TABLE.query(",
      '        KeyConditionExpression=Key("pk").eq(pk),',
      ...(traits.dynamo === "query-projection"
        ? ['        ProjectionExpression="pk, sk, total",']
        : []),
      "    )",
      '    return response.get("Items", [])',
    );
  }
  db.push("", "", "def save_item(item):", "    TABLE.put_item(Item=item)");
  if (traits.connection === "init") {
    db.push(
      "    with CONNECTION.cursor() as cursor:",
      '        cursor.execute("insert into audit_log (pk) values (%s)", (item["pk"],))',
    );
  } else if (traits.connection === "handler") {
    db.push(
      '    connection = psycopg2.connect(os.environ["DATABASE_URL"])',
      "    with connection.cursor() as cursor:",
      '        cursor.execute("insert into audit_log (pk) values (%s)", (item["pk"],))',
      "    connection.close()",
    );
  }
  db.push("    return item", "");
  files.push(["lib/db.py", db]);

  if (libs.includes("config")) {
    const config = [`"""Settings for ${fn.service}, from Parameter Store."""`];
    if (traits.ssm === "powertools") {
      requirements.add("aws-lambda-powertools");
      config.push(
        "import json",
        "",
        "from aws_lambda_powertools.utilities import parameters",
        "",
        "",
        "def load_config():",
        `    return json.loads(parameters.get_parameter("/${fn.service}/config", max_age=300) or "{}")`,
        "",
      );
    } else {
      config.push(
        "import functools",
        "import json",
        "",
        "import boto3",
        "",
        'SSM = boto3.client("ssm")',
        "",
        "",
      );
      if (traits.ssm === "cached") config.push("@functools.lru_cache(maxsize=1)");
      config.push(
        "def load_config():",
        `    response = SSM.get_parameter(Name="/${fn.service}/config", WithDecryption=True)`,
        '    return json.loads(response["Parameter"]["Value"])',
        "",
      );
    }
    files.push(["lib/config.py", config]);
  }
  if (libs.includes("validate")) {
    files.push([
      "lib/validate.py",
      [
        '"""Request validation."""',
        "",
        "",
        "def validate(body):",
        "    if not isinstance(body, dict):",
        '        raise ValueError("body must be an object")',
        ...KEYS.slice(0, 4).flatMap((key) => [
          `    if "${key}" in body and not isinstance(body["${key}"], str):`,
          `        raise ValueError("${key} must be a string")`,
        ]),
        "    return body",
        "",
      ],
    ]);
  }
  if (libs.includes("http")) {
    files.push([
      "lib/http.py",
      [
        '"""Responses in the API Gateway proxy shape."""',
        "import json",
        "",
        "",
        "def respond(status_code, body):",
        "    return {",
        '        "statusCode": status_code,',
        '        "headers": {"content-type": "application/json", "cache-control": "no-store"},',
        '        "body": json.dumps(body, default=str),',
        "    }",
        "",
      ],
    ]);
  }

  const handler = [
    `"""${fn.name}: ${fn.eventKind === "none" ? "invoked directly" : `${fn.eventKind} events`} (generated for the audit benchmark)."""`,
    "import json",
    "import os",
  ];
  if (traits.uniqueAtInit) handler.push("import uuid");
  handler.push("", "import boto3");
  if (traits.powertools) {
    requirements.add("aws-lambda-powertools");
    handler.push("from aws_lambda_powertools import Logger, Metrics");
    handler.push("from aws_lambda_powertools.metrics import MetricUnit");
  }
  if (traits.idempotency) {
    requirements.add("aws-lambda-powertools");
    handler.push(
      "from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent",
    );
  }
  handler.push("");
  const fromLib = libs.filter((lib) => lib !== "util");
  handler.push(`from lib import ${fromLib.join(", ")}`);
  const helperNames = libs.includes("util") ? ["normalize_field_0", "normalize_field_1"] : [];
  if (helperNames.length > 0) handler.push(`from lib.util import ${helperNames.join(", ")}`);
  handler.push("");
  if (!traits.envInHandler) {
    handler.push(
      'TOPIC_ARN = os.environ["TOPIC_ARN"]',
      `SERVICE = os.environ.get("SERVICE", "${fn.service}")`,
    );
  }
  if (!traits.clientInHandler) handler.push('SNS = boto3.client("sns")');
  if (traits.putMetric) handler.push('CLOUDWATCH = boto3.client("cloudwatch")');
  if (traits.powertools) handler.push("logger = Logger()", "metrics = Metrics()");
  if (traits.idempotency) {
    handler.push('persistence = DynamoDBPersistenceLayer(table_name=os.environ["TABLE_NAME"])');
  }
  if (traits.uniqueAtInit) handler.push("INSTANCE_ID = str(uuid.uuid4())");
  handler.push("", "");
  if (traits.idempotency) handler.push("@idempotent(persistence_store=persistence)");
  handler.push("def handler(event, context):");
  if (traits.envInHandler) {
    handler.push(
      '    topic_arn = os.environ["TOPIC_ARN"]',
      `    service = os.environ.get("SERVICE", "${fn.service}")`,
    );
  } else {
    handler.push("    topic_arn = TOPIC_ARN", "    service = SERVICE");
  }
  handler.push(traits.clientInHandler ? '    sns = boto3.client("sns")' : "    sns = SNS");
  if (libs.includes("config")) handler.push("    settings = config.load_config()");
  const steps = (indent) => [
    ...(libs.includes("validate") ? [`${indent}validate.validate(payload)`] : []),
    `${indent}items = db.find_items(payload.get("pk", "default"))`,
    ...helperNames.map((helper) => `${indent}payload["${helper}"] = ${helper}(payload)`),
    `${indent}results.append(db.save_item({**payload, "seen": len(items)}))`,
  ];
  handler.push("    results = []");
  if (traits.polled) {
    handler.push(
      '    for record in event.get("Records", []):',
      '        payload = json.loads(record.get("body") or "{}")',
      ...steps("        "),
    );
  } else {
    handler.push('    payload = json.loads(event.get("body") or "{}")', ...steps("    "));
  }
  if (traits.powertools) {
    handler.push(
      '    logger.info("processed", extra={"count": len(results)})',
      '    metrics.add_metric(name="processed", unit=MetricUnit.Count, value=len(results))',
    );
  } else {
    handler.push(
      '    print(json.dumps({"level": "info", "service": service, "count": len(results)}))',
    );
  }
  if (traits.putMetric) {
    handler.push(
      "    CLOUDWATCH.put_metric_data(",
      "        Namespace=service,",
      '        MetricData=[{"MetricName": "Processed", "Value": len(results), "Unit": "Count"}],',
      "    )",
    );
  }
  handler.push("    sns.publish(TopicArn=topic_arn, Message=json.dumps(results, default=str))");
  const answer = `{"ok": True, "count": len(results)${traits.uniqueAtInit ? ', "instance": INSTANCE_ID' : ""}${libs.includes("config") ? ', "stage": settings.get("stage")' : ""}}`;
  handler.push(
    libs.includes("http")
      ? `    return http.respond(200, ${answer})`
      : `    return {"statusCode": 200, "body": json.dumps(${answer})}`,
    "",
  );
  files.unshift([`${fn.name}.py`, handler]);

  if (libs.includes("util")) {
    const written = files.reduce((sum, [, lines]) => sum + lines.length, 0);
    const util = ['"""Field helpers (generated)."""', "import json", "", ""];
    let index = 0;
    while (index < 2 || written + util.length < traits.target) {
      util.push(...pythonHelper(index, pick(["string", "number", "list"])), "", "");
      index++;
    }
    files.push(["lib/util.py", util]);
  }

  const texts = files.map(([path, lines]) => [path, `${lines.join("\n")}\n`]);
  const sourceLines = texts.reduce((sum, [, text]) => sum + countLines(text), 0);
  const sourceFiles = texts.length;
  texts.push(["requirements.txt", `${[...requirements].sort().join("\n")}\n`]);
  if (traits.vendored) {
    // What `pip install -t .` leaves: the package and its wheel's metadata, here built for x86-64 only.
    const python = fn.runtime.replace("python", "").replace(".", "");
    texts.push(
      ["psycopg2/__init__.py", '"""psycopg2 (vendored by pip)."""\n'],
      [`psycopg2/_psycopg.cpython-${python}-x86_64-linux-gnu.so`, fakeX86Elf()],
      [
        "psycopg2_binary-2.9.10.dist-info/WHEEL",
        `Wheel-Version: 1.0\nGenerator: bdist_wheel (0.44.0)\nRoot-Is-Purelib: false\nTag: cp${python}-cp${python}-manylinux_2_17_x86_64.manylinux2014_x86_64\n`,
      ],
      ["psycopg2_binary-2.9.10.dist-info/top_level.txt", "psycopg2\n"],
      [
        "psycopg2_binary-2.9.10.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: psycopg2-binary\nVersion: 2.9.10\n",
      ],
    );
  }
  return { files: texts, sourceFiles, sourceLines };
}

function pythonHelper(index, shape) {
  const key = KEYS[index % KEYS.length];
  const head = [
    `def normalize_field_${index}(record):`,
    "    if record is None:",
    "        return None",
    `    value = record.get("${key}${index}", record.get("${key}"))`,
  ];
  if (shape === "string") {
    return [
      ...head,
      "    if isinstance(value, str):",
      "        return value.strip().lower()",
      "    if isinstance(value, (int, float)):",
      "        return str(value)",
      "    return json.dumps(value) if value is not None else None",
    ];
  }
  if (shape === "number") {
    return [
      ...head,
      "    try:",
      "        number = float(value)",
      "    except (TypeError, ValueError):",
      "        return 0",
      `    return round(number, ${index % 4})`,
    ];
  }
  return [
    ...head,
    "    items = value if isinstance(value, list) else ([] if value is None else [value])",
    `    return [str(item).strip() for item in items if str(item).strip()][:${10 + (index % 50)}]`,
  ];
}

function generateCorpus() {
  rmSync(FOLDER, { recursive: true, force: true });
  const random = seededRandom(7);
  // The code has a generator of its own, so the templates are the same with or without it.
  const codeRandom = seededRandom(11);
  const files = [];
  const code = { functions: 0, node: 0, python: 0, sourceFiles: 0, sourceLines: 0, largest: 0 };
  code.packageFiles = 0;
  for (let index = 0; index < TEMPLATES; index++) {
    const directory = join(FOLDER, "corpus", `app-${String(index).padStart(3, "0")}`);
    mkdirSync(directory, { recursive: true });
    const file = join(directory, "template.yaml");
    const functions = [];
    writeFileSync(file, makeTemplate(random, index, functions));
    files.push(file);
    for (const fn of functions) {
      if (!/^(nodejs|python)/.test(fn.runtime)) continue; // java, provided: no code rules
      const made = makeFunctionCode(codeRandom, fn);
      for (const [path, contents] of made.files) {
        const target = join(directory, "src", fn.name, path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, contents);
      }
      code.functions++;
      code[fn.runtime.startsWith("python") ? "python" : "node"]++;
      code.sourceFiles += made.sourceFiles;
      code.sourceLines += made.sourceLines;
      code.packageFiles += made.files.length - made.sourceFiles;
      code.largest = Math.max(code.largest, made.sourceLines);
    }
  }
  return { files, code };
}

/** Where the bundles go: under the repository, so their imports of the external packages resolve. */
const BUNDLES = join(ROOT, "node_modules", ".cache", "lo-bench-audit");

async function bundle() {
  mkdirSync(BUNDLES, { recursive: true });
  const outfile = join(BUNDLES, "audit.mjs");
  // oxc-parser loads a native binding and web-tree-sitter its .wasm next to itself;
  // tree-sitter-python's .wasm is found with createRequire from the bundle. None can be inlined.
  await bundleFromSource(
    [
      'export { auditTemplates } from "./src/audit/engine.ts";',
      'export { auditProject, findAuditTargets } from "./src/audit/audit-project.ts";',
      'export { TEMPLATE_RULES } from "./src/audit/rules/index.ts";',
      'export { CODE_RULES } from "./src/audit/code-rules/index.ts";',
      'export { PACKAGE_RULES } from "./src/audit/code-rules/package-rules.ts";',
      "",
    ].join("\n"),
    outfile,
    { external: ["oxc-parser", "web-tree-sitter", "tree-sitter-python"] },
  );
  // The template-only child: audit every file given, report timings and counts (the CLI's work, minus printing).
  const templatesChild = join(BUNDLES, "audit-templates-child.mjs");
  writeFileSync(
    templatesChild,
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
  // The whole audit, as \`lambda-optimizer audit <folder>\` runs it: find the templates,
  // their template rules, then the code rules over each function's code.
  const projectChild = join(BUNDLES, "audit-project-child.mjs");
  writeFileSync(
    projectChild,
    `import { performance } from "node:perf_hooks";
import { auditProject, findAuditTargets, TEMPLATE_RULES, CODE_RULES, PACKAGE_RULES } from ${JSON.stringify(outfile)};
const folder = process.argv[2];
const started = performance.now();
const report = await auditProject(findAuditTargets([folder]), { templateRules: TEMPLATE_RULES, codeRules: CODE_RULES, cwd: folder });
const ms = performance.now() - started;
const family = new Map([
  ...TEMPLATE_RULES.map((rule) => [rule.meta.id, "template"]),
  ...CODE_RULES.map((rule) => [rule.meta.id, "code"]),
  ...PACKAGE_RULES.map((rule) => [rule.meta.id, "package"]),
]);
const byFamily = { template: 0, code: 0, package: 0 };
const byRule = {};
for (const finding of report.findings) {
  const kind = family.get(finding.ruleId) ?? "other";
  byFamily[kind] = (byFamily[kind] ?? 0) + 1;
  byRule[finding.ruleId] ??= { family: kind, count: 0 };
  byRule[finding.ruleId].count++;
}
process.stdout.write(JSON.stringify({
  ms,
  findings: report.findings.length,
  errors: report.errors.length,
  notes: report.notes.length,
  templates: report.summary.templates,
  functions: report.summary.functions,
  templateRules: TEMPLATE_RULES.length,
  codeRules: CODE_RULES.length,
  byFamily,
  byRule,
}));
`,
  );
  return { templatesChild, projectChild };
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
  const { files, code } = generateCorpus();
  const { templatesChild, projectChild } = await bundle();
  const list = join(FOLDER, "files.txt");
  writeFileSync(list, files.join("\n"));
  const corpus = join(FOLDER, "corpus");
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const lines = files.reduce(
    (sum, file) => sum + readFileSync(file, "utf8").split("\n").length - 1,
    0,
  );

  const templatesOnly = [];
  const whole = [];
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
    const own = timed(process.execPath, [templatesChild, list]);
    if (own.run.status !== 0) throw new Error(`audit child failed: ${own.run.stderr}`);
    templatesOnly.push({ wall: own.ms, ...JSON.parse(own.run.stdout) });
    const all = timed(process.execPath, [projectChild, corpus]);
    if (all.run.status !== 0) throw new Error(`project audit child failed: ${all.run.stderr}`);
    whole.push({ wall: all.ms, ...JSON.parse(all.run.stdout) });
    process.stderr.write(
      `  round ${round + 1}: cfn-lint ${(lint.ms / 1000).toFixed(2)} s, templates ${(own.ms / 1000).toFixed(2)} s, templates + code ${(all.ms / 1000).toFixed(2)} s\n`,
    );
  }
  const last = templatesOnly[templatesOnly.length - 1];
  const lastWhole = whole[whole.length - 1];
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
    oursWallMs: median(templatesOnly.map((run) => run.wall)),
    oursInProcessMs: median(templatesOnly.map((run) => run.ms)),
    code,
    whole: {
      templateRules: lastWhole.templateRules,
      codeRules: lastWhole.codeRules,
      functions: lastWhole.functions,
      findings: lastWhole.findings,
      errors: lastWhole.errors,
      notes: lastWhole.notes,
      byFamily: lastWhole.byFamily,
      byRule: lastWhole.byRule,
      wallMs: median(whole.map((run) => run.wall)),
      inProcessMs: median(whole.map((run) => run.ms)),
    },
    runs: cfnLint.map((ms, round) => ({
      cfnLintMs: ms,
      templatesMs: templatesOnly[round].wall,
      wholeMs: whole[round].wall,
    })),
    rounds: ROUNDS,
  };
  if (!process.env.AUDIT_BENCH_KEEP) {
    rmSync(FOLDER, { recursive: true, force: true });
    rmSync(BUNDLES, { recursive: true, force: true });
  }
  return result;
}

export function auditBenchMarkdown(result) {
  const ratio = result.cfnLintMs / result.whole.wallMs;
  const templateRatio = result.cfnLintMs / result.oursWallMs;
  const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const count = (n) => n.toLocaleString("en-US");
  const { code, whole } = result;
  const rows = [
    "| measure | value |",
    "|---|---:|",
    `| corpus: generated SAM and CloudFormation templates | ${result.templates} files, ${count(result.lines)} lines (largest ${count(result.largestLines)}), ${(result.bytes / 1024).toFixed(0)} KB |`,
    `| corpus: the functions' code (Node.js: .mjs, .js, .ts; Python) | ${count(code.functions)} functions (${count(code.node)} Node.js, ${count(code.python)} Python), ${count(code.sourceFiles)} source files, ${count(code.sourceLines)} lines (largest function ${count(code.largest)}); ${count(code.packageFiles)} package files (package.json, requirements.txt, node_modules, dist-info) |`,
    `| \`cfn-lint\`, all templates in one invocation (baseline; reads no code) | ${seconds(result.cfnLintMs)} (${count(result.cfnLintFindings)} findings) |`,
    `| ours, templates only: TEMPLATE_RULES (${result.rules} rules), child process end to end | ${seconds(result.oursWallMs)} (${count(result.findings)} findings, ${result.errors} errors) |`,
    `| ours, templates only, in process (parse, resolve, check) | ${seconds(result.oursInProcessMs)} (${(result.oursInProcessMs / result.templates).toFixed(1)} ms a template) |`,
    `| ours, templates + code: \`auditProject\` (${whole.templateRules} template + ${whole.codeRules} code rules), child process end to end | ${seconds(whole.wallMs)} (${count(whole.findings)} findings: ${count(whole.byFamily.template)} template, ${count(whole.byFamily.code)} code, ${count(whole.byFamily.package)} package; ${whole.errors} errors, ${count(whole.notes)} notes) |`,
    `| ours, templates + code, in process (find, templates, parse and check ${count(whole.functions)} functions' code) | ${seconds(whole.inProcessMs)} |`,
  ];
  const verdict = ratio >= 10 ? "**pass**" : "**fail**";
  const byRule = (kinds) =>
    Object.entries(whole.byRule)
      .filter(([, rule]) => kinds.includes(rule.family))
      .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
      .map(([id, rule]) => `${id} ${count(rule.count)}`)
      .join(", ");
  const each = result.runs
    .map(
      (run) =>
        `${(run.cfnLintMs / run.wholeMs).toFixed(1)}× (cfn-lint ${seconds(run.cfnLintMs)}, templates ${seconds(run.templatesMs)}, templates + code ${seconds(run.wholeMs)})`,
    )
    .join("; ");
  return `${rows.join("\n")}\n\nMedian of ${result.rounds} runs each, run alternately. cfn-lint takes ${ratio.toFixed(1)}× our end-to-end time for the whole audit, templates and code (target at least 10×): ${verdict}; ${templateRatio.toFixed(1)}× our templates-only time. Every run, as ratio (cfn-lint / templates + code): ${each}.\n\nFindings of the whole audit by rule. Code: ${byRule(["code", "other"])}. Package: ${byRule(["package"])}. Template: ${byRule(["template"])}.\n\nThe comparison is not like for like, and says whether the audit fits where cfn-lint already runs, not which is the better linter: cfn-lint validates every template property against the resource specification and reads no code at all; we check cost and performance rules, over the templates and then over every function's code (parse each handler and the local modules it imports, follow the calls from the handler, scan the deployment folder).`;
}
