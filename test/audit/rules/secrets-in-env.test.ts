import { describe, expect, it } from "vitest";
import { secretsInEnv } from "../../../src/audit/rules/secrets-in-env.js";
import { runRule } from "./run-rule.js";

const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("secrets-in-env", () => {
  it("reports literal secrets at their variable's line and never repeats the value", () => {
    const findings = runRule(
      secretsInEnv,
      `
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Environment:
              Variables:
                DB_PASSWORD: hunter2-but-longer
                STRIPE_API_KEY: !Sub sk_live_abcdefghijklmnop
                UPSTREAM: ${AWS_SECRET}
                TABLE: orders
      `,
    );
    expect(findings).toMatchObject([
      {
        ruleId: "secrets-in-env",
        severity: "error",
        line: 7,
        resource: "Orders",
        message:
          "Orders sets environment variable DB_PASSWORD to a literal value (its name says it is a secret) written in the template.",
      },
      {
        ruleId: "secrets-in-env",
        severity: "error",
        line: 8,
        resource: "Orders",
        message:
          "Orders sets environment variable STRIPE_API_KEY to what looks like a credential written in the template.",
      },
      {
        ruleId: "secrets-in-env",
        severity: "error",
        line: 9,
        resource: "Orders",
        message:
          "Orders sets environment variable UPSTREAM to what looks like a random token or key written in the template.",
      },
    ]);
    const text = JSON.stringify(findings);
    for (const secret of ["hunter2", "sk_live_abc", AWS_SECRET]) expect(text).not.toContain(secret);
  });

  it("finds a secret set in Globals, at the Globals line", () => {
    const findings = runRule(
      secretsInEnv,
      `
      Globals:
        Function:
          Environment:
            Variables:
              GITHUB_TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345
      Resources:
        Orders:
          Type: AWS::Serverless::Function
      `,
    );
    expect(findings).toMatchObject([
      {
        ruleId: "secrets-in-env",
        severity: "error",
        line: 5,
        resource: "Orders",
        message:
          "Orders sets environment variable GITHUB_TOKEN to what looks like a credential written in the template.",
      },
    ]);
  });

  it("accepts references to secrets under secret-looking names", () => {
    const findings = runRule(
      secretsInEnv,
      `
      Parameters:
        DbPassword:
          Type: String
          NoEcho: true
          Default: not-a-real-one
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            Environment:
              Variables:
                DB_PASSWORD: !Ref DbPassword
                API_KEY: "{{resolve:secretsmanager:prod/api:SecretString:key}}"
                TOKEN_SECRET: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/token-AbCdEf
                DB_PASSWORD_PARAMETER: /prod/db/password
                SECRET_ARN: !Ref ApiSecret
                AUTH_TOKEN: !Sub "{{resolve:ssm-secure:/\${AWS::StackName}/token}}"
                REQUEST_ID_HEADER: x-request-id
                TABLE_NAME: Prod-OrdersTable-1ABCDEFGHIJKLMNOPQRSTUVWXYZ234
                TOKEN_CACHE_ENABLED: "true"
      `,
    );
    expect(findings).toEqual([]);
  });

  it("does not take the Parameters and Secrets extension's settings, or a port or timeout setting, for secrets", () => {
    const findings = runRule(
      secretsInEnv,
      `
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Environment:
              Variables:
                PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: "2773"
                PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE: "1000"
                PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: info
                SECRETS_MANAGER_TTL: "300"
                SSM_PARAMETER_STORE_TIMEOUT_MILLIS: "1000"
                SECRET_CACHE_SECONDS: 60
                SECRET_STORE_PORT: "8200"
                DB_PASSWORD: still-a-secret
                ADMIN_PASSWORD: "1234"
      `,
    );
    // Only the real secrets, at their lines (the settings are lines 7 to 13): a short number
    // under a secret's name is still a secret; only the name says a value is a setting.
    expect(findings).toMatchObject([
      {
        ruleId: "secrets-in-env",
        severity: "error",
        line: 14,
        resource: "Orders",
        message:
          "Orders sets environment variable DB_PASSWORD to a literal value (its name says it is a secret) written in the template.",
      },
      {
        ruleId: "secrets-in-env",
        severity: "error",
        line: 15,
        resource: "Orders",
        message:
          "Orders sets environment variable ADMIN_PASSWORD to a literal value (its name says it is a secret) written in the template.",
      },
    ]);
  });
});
