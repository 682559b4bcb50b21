/**
 * awslabs/serverless-rules labels its test templates pass or fail for each of
 * its rules (cfn-lint-serverless/tests/templates, and the tflint EOL cases).
 * test/fixtures/serverless-rules-cases/ reproduces every case for a rule we
 * map to one of ours, in our own words (its README names each upstream file).
 * Every fail case must give our rule's finding and every pass case none,
 * except where our scope differs by design: those rows say why, assert what
 * we do instead, and the rule's docs say it too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import { TEMPLATE_RULES } from "../../src/audit/rules/index.js";

const CASES = fileURLToPath(new URL("../fixtures/serverless-rules-cases/", import.meta.url));

interface Case {
  /** Our fixture, in test/fixtures/serverless-rules-cases/. */
  readonly file: string;
  /** serverless-rules' id and the file (or test case) this one reproduces. */
  readonly upstream: string;
  /** Our rule that serverless-rules' rule maps to. */
  readonly rule: string;
  /** What serverless-rules' label says of its rule. */
  readonly label: "fail" | "pass";
  /** Only findings whose message matches count (a rule of ours that covers more than theirs). */
  readonly about?: RegExp;
  /** Set when we decide otherwise on purpose: why. The test then asserts our decision. */
  readonly differsByDesign?: string;
}

const T = "cfn-lint-serverless/tests/templates/";

const TABLE: readonly Case[] = [
  // ES1001 EventSourceMapping Failure Destination -> esm-config (its on-failure case)
  {
    file: "esm-stream-without-on-failure.fail.yaml",
    upstream: `ES1001 ${T}es1001-missing.fail.yaml`,
    rule: "esm-config",
    label: "fail",
    about: /OnFailure/,
  },
  {
    file: "esm-stream-with-on-failure.pass.yaml",
    upstream: `ES1001 ${T}es1001.pass.yaml`,
    rule: "esm-config",
    label: "pass",
    about: /OnFailure/,
  },
  // ES1005 Lambda Default Memory Size -> memory-default
  {
    file: "function-memory-set.pass.yaml",
    upstream: `ES1005 ${T}es1005.pass.yaml`,
    rule: "memory-default",
    label: "pass",
  },
  // ES1007 Async Lambda No Failure Destination -> async-no-failure-destination
  {
    file: "async-sources-without-destination.fail.yaml",
    upstream: `ES1007 ${T}es1007.fail.yaml`,
    rule: "async-no-failure-destination",
    label: "fail",
  },
  {
    file: "async-sources-with-destination-in-globals.pass.yaml",
    upstream: `ES1007 ${T}es1007.pass.yaml`,
    rule: "async-no-failure-destination",
    label: "pass",
  },
  // ES2000 API Gateway Logging -> api-no-access-logs
  {
    file: "http-api-access-logs-empty.fail.yaml",
    upstream: `ES2000 ${T}es2000-http-empty.fail.yaml`,
    rule: "api-no-access-logs",
    label: "fail",
  },
  {
    file: "http-api-access-logs-missing.fail.yaml",
    upstream: `ES2000 ${T}es2000-http-missing.fail.yaml`,
    rule: "api-no-access-logs",
    label: "fail",
  },
  {
    file: "rest-api-access-logs-empty.fail.yaml",
    upstream: `ES2000 ${T}es2000-rest-empty.fail.yaml`,
    rule: "api-no-access-logs",
    label: "fail",
  },
  {
    file: "rest-api-access-logs-missing.fail.yaml",
    upstream: `ES2000 ${T}es2000-rest-missing.fail.yaml`,
    rule: "api-no-access-logs",
    label: "fail",
  },
  // ES2003 API Gateway Default Throttling -> api-no-throttling
  {
    file: "http-api-throttling-missing.fail.yaml",
    upstream: `ES2003 ${T}es2003-http-missing.fail.yaml`,
    rule: "api-no-throttling",
    label: "fail",
  },
  {
    file: "http-api-throttling-empty-default-route.fail.yaml",
    upstream: `ES2003 ${T}es2003-http-nothrottle.fail.yaml`,
    rule: "api-no-throttling",
    label: "fail",
  },
  {
    file: "http-api-throttling-on-default-route.pass.yaml",
    upstream: `ES2003 ${T}es2003-http.pass.yaml`,
    rule: "api-no-throttling",
    label: "pass",
  },
  {
    file: "rest-api-throttling-missing.fail.yaml",
    upstream: `ES2003 ${T}es2003-rest-missing.fail.yaml`,
    rule: "api-no-throttling",
    label: "fail",
  },
  {
    file: "rest-api-throttling-one-method-only.fail.yaml",
    upstream: `ES2003 ${T}es2003-rest-nodefault.fail.yaml`,
    rule: "api-no-throttling",
    label: "fail",
  },
  {
    file: "rest-api-throttling-default-without-limits.fail.yaml",
    upstream: `ES2003 ${T}es2003-rest-nothrottle.fail.yaml`,
    rule: "api-no-throttling",
    label: "fail",
  },
  {
    file: "rest-api-throttling-on-default-method.pass.yaml",
    upstream: `ES2003 ${T}es2003-rest.pass.yaml`,
    rule: "api-no-throttling",
    label: "pass",
  },
  // ES4000 EventBridge Rule No DLQ -> eventbridge-target-no-dlq
  {
    file: "eventbridge-targets-without-dlq.fail.yaml",
    upstream: `ES4000 ${T}es4000-missing.fail.yaml`,
    rule: "eventbridge-target-no-dlq",
    label: "fail",
  },
  {
    file: "eventbridge-one-target-without-dlq.fail.yaml",
    upstream: `ES4000 ${T}es4000-partial.fail.yaml`,
    rule: "eventbridge-target-no-dlq",
    label: "fail",
  },
  {
    file: "eventbridge-targets-with-dlq.pass.yaml",
    upstream: `ES4000 ${T}es4000.pass.yaml`,
    rule: "eventbridge-target-no-dlq",
    label: "pass",
  },
  // ES6000 SQS Queue No Redrive Policy -> sqs-no-redrive
  {
    file: "sqs-queue-without-redrive.fail.yaml",
    upstream: `ES6000 ${T}es6000.fail.yaml`,
    rule: "sqs-no-redrive",
    label: "fail",
  },
  {
    file: "sqs-queue-with-redrive.pass.yaml",
    upstream: `ES6000 ${T}es6000.pass.yaml`,
    rule: "sqs-no-redrive",
    label: "pass",
  },
  {
    file: "sqs-queue-dlq-by-sub.pass.yaml",
    upstream: `ES6000 ${T}es6000-multiple.pass.yaml`,
    rule: "sqs-no-redrive",
    label: "pass",
  },
  // ES7000 SNS Subscription No Redrive Policy -> sns-subscription-no-redrive
  {
    file: "sns-subscription-without-redrive.fail.yaml",
    upstream: `ES7000 ${T}es7000.fail.yaml`,
    rule: "sns-subscription-no-redrive",
    label: "fail",
  },
  {
    file: "sns-subscription-with-redrive.pass.yaml",
    upstream: `ES7000 ${T}es7000.pass.yaml`,
    rule: "sns-subscription-no-redrive",
    label: "pass",
  },
  // WS1000 Lambda Tracing -> tracing-disabled
  {
    file: "function-tracing-missing.fail.yaml",
    upstream: `WS1000 ${T}ws1000-missing.fail.yaml`,
    rule: "tracing-disabled",
    label: "fail",
  },
  {
    file: "function-tracing-passthrough.fail.yaml",
    upstream: `WS1000 ${T}ws1000-passthrough.fail.yaml`,
    rule: "tracing-disabled",
    label: "fail",
  },
  {
    file: "function-tracing-active.pass.yaml",
    upstream: `WS1000 ${T}ws1000.pass.yaml`,
    rule: "tracing-disabled",
    label: "pass",
  },
  // WS1002 Lambda Permission Multiple Principals -> lambda-permission-multiple-principals
  {
    file: "permissions-from-sam-events.fail.yaml",
    upstream: `WS1002 ${T}ws1002-permissions.fail.yaml`,
    rule: "lambda-permission-multiple-principals",
    label: "fail",
  },
  {
    file: "permissions-two-principals.fail.yaml",
    upstream: `WS1002 ${T}ws1002-sam.fail.yaml`,
    rule: "lambda-permission-multiple-principals",
    label: "fail",
  },
  {
    file: "permission-principal-by-sub.pass.yaml",
    upstream: `WS1002 ${T}ws1002-sub-principal.pass.yaml`,
    rule: "lambda-permission-multiple-principals",
    label: "pass",
  },
  {
    file: "permissions-one-principal.pass.yaml",
    upstream: `WS1002 ${T}ws1002.pass.yaml`,
    rule: "lambda-permission-multiple-principals",
    label: "pass",
  },
  // WS1003 Lambda Star Permissions -> iam-star-action
  {
    file: "policy-action-star.fail.yaml",
    upstream: `WS1003 ${T}ws1003-fullstar.fail.yaml`,
    rule: "iam-star-action",
    label: "fail",
  },
  {
    file: "policy-service-star.fail.yaml",
    upstream: `WS1003 ${T}ws1003.fail.yaml`,
    rule: "iam-star-action",
    label: "fail",
  },
  {
    file: "policy-action-prefix-star.pass.yaml",
    upstream: `WS1003 ${T}ws1003-substar.pass.yaml`,
    rule: "iam-star-action",
    label: "pass",
  },
  {
    file: "permissions-from-sam-events-no-policy.fail.yaml",
    upstream: `WS1003 ${T}ws1003-permissions.fail.yaml`,
    rule: "iam-star-action",
    label: "fail",
    differsByDesign:
      "the template holds no IAM statement at all (no Policies, no role): the function's role is SAM's, with AWS managed policies only, so there is no Allow on * to report; the upstream label matches the WS1002 case of the same shape",
  },
  {
    file: "policies-scoped-and-non-lambda-role-star.pass.yaml",
    upstream: `WS1003 ${T}ws1003.pass.yaml`,
    rule: "iam-star-action",
    label: "pass",
    differsByDesign:
      "we report an Allow on service:* in any role of the template, not only roles Lambda assumes: the EC2 role's s3:* is reported, the Lambda policies are not",
  },
  // WS1004 Lambda Log Retention -> log-retention
  {
    file: "log-group-name-literal.pass.yaml",
    upstream: `WS1004 ${T}ws1004-hardcoded.pass.yaml`,
    rule: "log-retention",
    label: "pass",
  },
  {
    file: "log-group-name-join.pass.yaml",
    upstream: `WS1004 ${T}ws1004-join.pass.yaml`,
    rule: "log-retention",
    label: "pass",
  },
  {
    file: "log-group-missing.fail.yaml",
    upstream: `WS1004 ${T}ws1004-missing.fail.yaml`,
    rule: "log-retention",
    label: "fail",
  },
  {
    file: "log-group-without-retention.fail.yaml",
    upstream: `WS1004 ${T}ws1004-noretention.fail.yaml`,
    rule: "log-retention",
    label: "fail",
  },
  {
    file: "log-group-sub-variable-literal.pass.yaml",
    upstream: `WS1004 ${T}ws1004-sub-vars-hardcoded.pass.yaml`,
    rule: "log-retention",
    label: "pass",
  },
  {
    file: "log-group-sub-variable-ref.pass.yaml",
    upstream: `WS1004 ${T}ws1004-sub-vars.pass.yaml`,
    rule: "log-retention",
    label: "pass",
  },
  {
    file: "log-group-sub.pass.yaml",
    upstream: `WS1004 ${T}ws1004-sub.pass.yaml`,
    rule: "log-retention",
    label: "pass",
  },
  {
    file: "log-group-sub-with-code-signing.pass.yaml",
    upstream: `WS1004 ${T}ws1004.pass.yaml`,
    rule: "log-retention",
    label: "pass",
  },
  // WS5000 Step Functions Tracing -> sfn-no-tracing
  {
    file: "state-machine-tracing-disabled.fail.yaml",
    upstream: `WS5000 ${T}ws5000-false.fail.yaml`,
    rule: "sfn-no-tracing",
    label: "fail",
  },
  {
    file: "state-machine-tracing-missing.fail.yaml",
    upstream: `WS5000 ${T}ws5000-missing.fail.yaml`,
    rule: "sfn-no-tracing",
    label: "fail",
  },
  {
    file: "state-machine-tracing-enabled.pass.yaml",
    upstream: `WS5000 ${T}ws5000.pass.yaml`,
    rule: "sfn-no-tracing",
    label: "pass",
  },
  // Lambda EOL Runtime (cfn-lint E2531; the labelled cases are tflint's) -> eol-runtime
  ...["dotnetcore2.1", "python2.7", "ruby2.5", "nodejs10.x"].map(
    (runtime): Case => ({
      file: `runtime-${runtime}.fail.yaml`,
      upstream: `EOL tflint-ruleset-aws-serverless/rules/aws_lambda_function_eol_runtime_test.go "EOL ${runtime}"`,
      rule: "eol-runtime",
      label: "fail",
    }),
  ),
  {
    file: "runtime-python3.8.pass.yaml",
    upstream: `EOL tflint-ruleset-aws-serverless/rules/aws_lambda_function_eol_runtime_test.go "not EOL"`,
    rule: "eol-runtime",
    label: "pass",
    differsByDesign:
      "python3.8 was supported when the case was written; Lambda deprecated it on 2024-10-14, so it is reported now",
  },
];

function findingsOf(testCase: Case) {
  const rule = TEMPLATE_RULES.find((candidate) => candidate.meta.id === testCase.rule);
  if (!rule) throw new Error(`no rule ${testCase.rule}`);
  const report = auditTemplates([join(CASES, testCase.file)], { rules: [rule] });
  expect(report.errors).toEqual([]);
  return report.findings.filter(
    (finding) => !testCase.about || testCase.about.test(finding.message),
  );
}

describe("serverless-rules' labelled cases, reproduced", () => {
  it.each(TABLE.map((testCase) => [testCase.file, testCase] as const))("%s", (_, testCase) => {
    const reported = findingsOf(testCase).length > 0;
    const expected = testCase.label === "fail";
    // A case where we differ by design is asserted the other way round: the difference is kept on purpose.
    expect(reported, `${testCase.upstream}: ${testCase.differsByDesign ?? "agrees"}`).toBe(
      testCase.differsByDesign ? !expected : expected,
    );
  });

  it("covers every fixture, and every labelled case of a mapped rule once", () => {
    const fixtures = readdirSync(CASES).filter((name) => name.endsWith(".yaml"));
    expect(TABLE.map((testCase) => testCase.file).sort()).toEqual(fixtures.sort());
    const upstream = TABLE.map((testCase) => testCase.upstream);
    expect(new Set(upstream).size).toBe(upstream.length);
    // 47 cfn-lint templates of mapped rules, and tflint's 5 EOL cases.
    expect(upstream.filter((name) => name.includes(T))).toHaveLength(47);
    expect(upstream.filter((name) => name.startsWith("EOL "))).toHaveLength(5);
  });

  it("differs only where our docs say so", () => {
    for (const testCase of TABLE.filter((candidate) => candidate.differsByDesign)) {
      const docs = readFileSync(
        fileURLToPath(new URL(`../../docs/rules/${testCase.rule}.md`, import.meta.url)),
        "utf8",
      );
      // The upstream file is named in the rule's docs, beside the reason.
      expect(docs, `docs/rules/${testCase.rule}.md`).toContain(
        basename(testCase.upstream.split(" ")[1]!),
      );
    }
  });
});
