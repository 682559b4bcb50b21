/**
 * secrets-in-env: a secret written into a template's environment variables
 * is stored in plain text in the template, in CloudFormation, in the
 * function's configuration and in every copy of them.
 */

import { isPlainObject } from "../../plain-object.js";
import { intrinsicName } from "../../template/intrinsics.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { propertyAt } from "../function-facts.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

/** Names that say the value is a secret. */
const SECRET_NAME =
  /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|AUTH_?KEY|CREDENTIALS?)/i;

/** ...unless the name says the value only points at one, or describes it. */
const REFERENCE_NAME =
  /(_|^)(ARN|NAME|ID|PARAM|PARAMETER|PATH|TABLE|URL|URI|ENDPOINT|HEADER|TTL|EXPIRY|EXPIRES|LENGTH|SIZE|TYPE|REGION|ENABLED|KEY_ID|SECRET_ID|FILE|LOCATION|PORT|TIMEOUT|MILLIS|MS|SECONDS|COUNT)$/i;

/**
 * The settings of AWS's Parameters and Secrets Lambda Extension: they configure
 * the cache that keeps secrets out of the environment, and hold none.
 */
const EXTENSION_SETTING =
  /^(PARAMETERS_SECRETS_EXTENSION_\w+|SECRETS_MANAGER_(TTL|TIMEOUT_MILLIS)|SSM_PARAMETER_STORE_(TTL|TIMEOUT_MILLIS))$/;

/** Values that refer to a secret rather than hold one. */
const REFERENCE_VALUE = [
  /^\{\{resolve:/, // dynamic reference
  /^arn:aws[\w-]*:(secretsmanager|ssm|kms):/,
  /^\/[\w.\-/]+$/, // an SSM parameter name
  /^(true|false|yes|no|on|off|none|null|)$/i,
];

/** Values that are secrets whatever the variable's name. */
const SECRET_VALUE = [
  /^(AKIA|ASIA)[A-Z0-9]{16}$/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^(ghp_|gho_|ghu_|ghs_|github_pat_|glpat-|xox[abprs]-|sk_live_|rk_live_|sk-[A-Za-z0-9_-]{20,}|AIza[\w-]{35})/,
  /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/, // a JWT
];

export const secretsInEnv: AuditRule = {
  meta: {
    id: "secrets-in-env",
    severity: "error",
    title: "Secret written in environment variables",
    rationale:
      "A literal secret in Environment.Variables is stored in plain text in the template, its repository, the CloudFormation stack and the function's configuration, readable by anyone with lambda:GetFunctionConfiguration.",
    fix: "Store the secret in Secrets Manager or SSM Parameter Store and pass its name or ARN (or a {{resolve:...}} dynamic reference); read it at run time, e.g. with the Parameters and Secrets Lambda Extension or Powertools, which also caches it.",
    docs: docsFor("secrets-in-env"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      const variables = propertyAt(fn.properties, ["Environment", "Variables"]);
      if (!isPlainObject(variables)) return [];
      return Object.keys(variables).flatMap((name): RuleFinding[] => {
        const path = context.propertyPath(fn.logicalId, ["Environment", "Variables", name]);
        const literal = literalText(rawValueAt(context.parsed.template, path));
        if (literal === undefined) return [];
        const reason = secretReason(name, literal);
        if (reason === undefined) return [];
        // The value itself is never repeated: findings end up in logs and CI output.
        return [
          {
            resource: fn.logicalId,
            path,
            message: `${fn.logicalId} sets environment variable ${name} to ${reason} written in the template.`,
            fix: `Move ${name}'s value to Secrets Manager or SSM Parameter Store, rotate it (it has been committed), and pass its ARN or a {{resolve:...}} reference instead.`,
          },
        ];
      });
    });
  },
};

/** Why a literal value is a secret, or undefined. */
function secretReason(name: string, value: string): string | undefined {
  if (SECRET_VALUE.some((pattern) => pattern.test(value))) {
    return "what looks like a credential";
  }
  if (looksRandom(value)) return "what looks like a random token or key";
  if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name) && !EXTENSION_SETTING.test(name)) {
    if (REFERENCE_VALUE.some((pattern) => pattern.test(value))) return undefined;
    return "a literal value (its name says it is a secret)";
  }
  return undefined;
}

/**
 * A long run of letters of both cases and digits with high entropy, as an AWS
 * secret access key or a generated API key is; CloudFormation's generated
 * names (Stack-Table-1ABC2DEF3) have no lowercase in their random part.
 */
function looksRandom(value: string): boolean {
  return value
    .split(/[-_.]/)
    .some(
      (part) =>
        part.length >= 32 &&
        /^[A-Za-z0-9+/=]+$/.test(part) &&
        /[A-Z]/.test(part) &&
        /[a-z]/.test(part) &&
        /[0-9]/.test(part) &&
        entropyBitsPerChar(part) >= 4,
    );
}

function entropyBitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** The value as written in the source (before resolution: a !Ref to a parameter stays a reference). */
function rawValueAt(template: unknown, path: TemplatePath): unknown {
  let current = template;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === "number") current = current[step];
    else if (isPlainObject(current)) current = current[String(step)];
    else return undefined;
  }
  return current;
}

/** The text of a literal: a string, or a Fn::Sub that substitutes nothing. */
function literalText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (intrinsicName(value) === "Fn::Sub") {
    const sub = (value as Record<string, unknown>)["Fn::Sub"];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === "string" && !/\$\{(?!!)/.test(text)) return text;
  }
  return undefined;
}
