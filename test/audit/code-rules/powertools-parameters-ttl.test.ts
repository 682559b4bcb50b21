import { describe, expect, it } from "vitest";
import { powertoolsParametersTtl } from "../../../src/audit/code-rules/powertools-parameters-ttl.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const rule = powertoolsParametersTtl;
const PY = { runtime: "python3.12", handler: "app.handler" };

const PYTHON_HANDLER = `from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters import get_secret

ssm = parameters.SSMProvider()


def handler(event, context):
    endpoint = parameters.get_parameter("/orders/prod/endpoint")
    password = get_secret("orders/prod/db-password")
    limits = ssm.get("/orders/prod/limits", transform="json")
    return {"endpoint": endpoint, "limits": limits, "ok": bool(password)}
`;

describe("powertools-parameters-ttl: Python", () => {
  it("reports function reads and a provider's get with the default TTL, with the per-environment ceiling", async () => {
    const files = { "app.py": PYTHON_HANDLER };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 'parameters.get_parameter("/orders/prod/endpoint")'),
      at(files, "app.py", 'get_secret("orders/prod/db-password")'),
      at(files, "app.py", 'ssm.get("/orders/prod/limits"'),
    ]);
    expect(findings[0]).toMatchObject({ ruleId: "powertools-parameters-ttl", severity: "info" });
    expect(findings[0]!.message).toBe(
      "parameters.get_parameter(…) reads an SSM parameter through Powertools Parameters with the default 5-second cache: up to 12 calls a minute per execution environment (525.6k a month for one kept warm; 8.76k with max_age=300).",
    );
    expect(findings[1]!.message).toContain("reads a Secrets Manager secret");
    expect(findings[2]!.message).toContain("ssm.get(…) reads SSM parameters");
    expect(findings[0]!.fix).toBe(
      "Pass max_age=300 if the value rarely changes (or set POWERTOOLS_PARAMETERS_MAX_AGE in the function's Environment.Variables).",
    );
  });

  it("with --invocations, states calls a month per environment against max_age=300", async () => {
    const files = { "app.py": PYTHON_HANDLER };
    const findings = await runCodeRule(rule, {
      ...PY,
      files,
      workload: { invocationsPerMonth: 2_000_000 },
    });
    expect(findings[0]!.message).toBe(
      "parameters.get_parameter(…) reads an SSM parameter through Powertools Parameters with the default 5-second cache: up to 12 calls a minute per execution environment; at 2M invocations a month, up to 525.6k calls a month per environment, against 8.76k with max_age=300.",
    );
    // Fewer invocations than the ceiling: never more calls than invocations.
    const quiet = await runCodeRule(rule, {
      ...PY,
      files,
      workload: { invocationsPerMonth: 100_000 },
    });
    expect(quiet[0]!.message).toContain(
      "at 100k invocations a month, up to 100k calls a month per environment, against 8.76k with max_age=300.",
    );
  });

  it("does not report reads with max_age or force_fetch, **kwargs, at init, or memoized", async () => {
    const files = {
      "app.py": `import functools
from aws_lambda_powertools.utilities import parameters

TABLE = parameters.get_parameter("/orders/prod/table")


@functools.lru_cache(maxsize=1)
def feature_flags():
    return parameters.get_app_config(name="flags", environment="prod", application="orders")


def handler(event, context):
    endpoint = parameters.get_parameter("/orders/prod/endpoint", max_age=300)
    latest = parameters.get_parameter("/orders/prod/version", force_fetch=True)
    options = {"max_age": 600}
    secret = parameters.get_secret("orders/prod/key", **options)
    return {"table": TABLE, "endpoint": endpoint, "latest": latest, "flags": feature_flags(), "ok": bool(secret)}
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("does not report when the template sets POWERTOOLS_PARAMETERS_MAX_AGE", async () => {
    const files = { "app.py": PYTHON_HANDLER };
    const properties = {
      Environment: { Variables: { POWERTOOLS_PARAMETERS_MAX_AGE: "300", STAGE: "prod" } },
    };
    expect(await runCodeRule(rule, { ...PY, files, properties })).toEqual([]);
    // Other variables do not stop it.
    const other = { Environment: { Variables: { STAGE: "prod" } } };
    expect(await runCodeRule(rule, { ...PY, files, properties: other })).toHaveLength(3);
  });

  it("reports in a plain folder, where the environment is unknown, naming the variable", async () => {
    const files = { "app.py": PYTHON_HANDLER.replace("def handler", "def lambda_handler") };
    const findings = await runCodeRuleOnFolder(rule, { files });
    expect(findings).toHaveLength(3);
    expect(findings[0]!.fix).toBe(
      "Pass max_age=300 if the value rarely changes (or set POWERTOOLS_PARAMETERS_MAX_AGE in the function's environment).",
    );
  });
});

describe("powertools-parameters-ttl: TypeScript and JavaScript", () => {
  it("reports getParameter, getSecret with options lacking maxAge, and a provider's get", async () => {
    const files = {
      "index.ts": `import { getParameter } from "@aws-lambda-powertools/parameters/ssm";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { AppConfigProvider } from "@aws-lambda-powertools/parameters/appconfig";
import type { APIGatewayProxyEvent } from "aws-lambda";

const appConfig = new AppConfigProvider({ application: "orders", environment: "prod" });

export const handler = async (_event: APIGatewayProxyEvent) => {
  const endpoint = await getParameter("/orders/prod/endpoint");
  const apiKey = await getSecret("orders/prod/api-key", { decrypt: true });
  const flags = await appConfig.get("flags", { transform: "json" });
  return { statusCode: 200, body: JSON.stringify({ endpoint, flags, ok: Boolean(apiKey) }) };
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.ts", 'getParameter("/orders/prod/endpoint")'),
      at(files, "index.ts", 'getSecret("orders/prod/api-key"'),
      at(files, "index.ts", 'appConfig.get("flags"'),
    ]);
    expect(findings[0]!.message).toBe(
      "getParameter(…) reads an SSM parameter through Powertools Parameters with the default 5-second cache: up to 12 calls a minute per execution environment (525.6k a month for one kept warm; 8.76k with maxAge: 300).",
    );
    expect(findings[2]!.message).toContain("appConfig.get(…) reads an AppConfig configuration");
    expect(findings[0]!.fix).toBe(
      "Pass { maxAge: 300 } if the value rarely changes (or set POWERTOOLS_PARAMETERS_MAX_AGE in the function's Environment.Variables).",
    );
  });

  it("does not report maxAge, forceFetch, an options variable, a read at init, or another library's get", async () => {
    const files = {
      "index.mjs": `import { getParameter, SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
const cache = new Map();
const ssm = new SSMProvider();
const table = await getParameter("/orders/prod/table");
const options = { maxAge: 600 };
export const handler = async (event) => {
  const endpoint = await getParameter("/orders/prod/endpoint", { maxAge: 300 });
  const apiKey = await getSecret("orders/prod/api-key", options);
  const limits = await ssm.get("/orders/prod/limits", { maxAge: 300, transform: "json" });
  const version = await getParameter("/orders/prod/version", { forceFetch: true });
  return { table, endpoint, limits, version, seen: cache.get(event.id), ok: Boolean(apiKey) };
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});
