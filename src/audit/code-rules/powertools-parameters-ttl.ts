/**
 * powertools-parameters-ttl: a handler that reads parameters, secrets or
 * AppConfig through Powertools Parameters with the default cache time to
 * live of 5 seconds — no `max_age`/`maxAge` argument and no
 * POWERTOOLS_PARAMETERS_MAX_AGE in the function's environment. The read is
 * cached, so this is no per-invocation fetch (that is config-in-handler), but
 * every execution environment still calls the service up to every 5 seconds:
 * 12 calls a minute each, for values that mostly change on deploys.
 */

import { formatCount } from "../../format.js";
import { SECONDS_PER_MONTH } from "../../pricing/cost.js";
import type { CallSite, CodeModule } from "../code/code-model.js";
import type { CodeRule } from "../code/code-rule.js";
import { type FunctionCode, handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText } from "./code-patterns.js";

/** Powertools' default cache time to live, in seconds (the guide's "Default TTL: 5 seconds"). */
export const DEFAULT_MAX_AGE_SECONDS = 5;
/** What the fix suggests for values that change on deploys. */
export const SUGGESTED_MAX_AGE_SECONDS = 300;
/** Sets the default time to live of every read of the function. */
export const MAX_AGE_VARIABLE = "POWERTOOLS_PARAMETERS_MAX_AGE";

const PYTHON_MODULE = "aws_lambda_powertools.utilities.parameters";
const NODE_PACKAGE = "@aws-lambda-powertools/parameters";

/** The reading functions, by the name both languages export them under: what they read, in messages. */
const READ_FUNCTIONS = new Map([
  ["get_parameter", "an SSM parameter"],
  ["get_parameters", "SSM parameters by path"],
  ["get_parameters_by_name", "SSM parameters"],
  ["get_secret", "a Secrets Manager secret"],
  ["get_secrets_by_name", "Secrets Manager secrets"],
  ["get_app_config", "an AppConfig configuration"],
  ["getParameter", "an SSM parameter"],
  ["getParameters", "SSM parameters by path"],
  ["getParametersByName", "SSM parameters"],
  ["getSecret", "a Secrets Manager secret"],
  ["getAppConfig", "an AppConfig configuration"],
]);

/** The provider classes, whose `get`/`get_multiple`/`getMultiple` read with the same cache: what they read. */
const PROVIDERS = new Map([
  ["SSMProvider", "SSM parameters"],
  ["SecretsProvider", "a Secrets Manager secret"],
  ["AppConfigProvider", "an AppConfig configuration"],
  ["DynamoDBProvider", "parameters in DynamoDB"],
]);
const PROVIDER_METHODS = new Set([
  "get",
  "get_multiple",
  "getMultiple",
  "get_parameters_by_name",
  "getParametersByName",
]);

const MAX_AGE_KEYS = { javascript: "maxAge", python: "max_age" } as const;
/** Skips the cache on purpose: the time to live does not apply. */
const FORCE_FETCH_KEYS = { javascript: "forceFetch", python: "force_fetch" } as const;

function isPowertools(qualifiedName: string): boolean {
  return qualifiedName.startsWith(`${PYTHON_MODULE}.`) || qualifiedName.startsWith(NODE_PACKAGE);
}

/** What a call reads through Powertools Parameters, or undefined when it is no such read. */
function powertoolsRead(module: CodeModule, call: CallSite): string | undefined {
  const qualified = call.qualifiedName;
  if (isPowertools(qualified))
    return READ_FUNCTIONS.get(qualified.slice(qualified.lastIndexOf(".") + 1));
  // provider.get(...) on a provider made here: `ssm = SSMProvider()`, `new SecretsProvider()`.
  if (!PROVIDER_METHODS.has(call.name) || call.receiver?.path.length !== 0) return undefined;
  const made = module.calls[call.receiver.call]!.qualifiedName;
  if (!isPowertools(made)) return undefined;
  return PROVIDERS.get(made.slice(made.lastIndexOf(".") + 1));
}

/**
 * Whether the read keeps the default time to live: no max_age keyword
 * (Python), no options or options without maxAge (JavaScript). Arguments that
 * cannot be read (`**kwargs`, an options variable) may set it: not assumed.
 */
function usesDefaultMaxAge(fn: FunctionCode, call: CallSite): boolean {
  const setsNeither = (keys: readonly string[]) =>
    !keys.includes(MAX_AGE_KEYS[fn.language]) && !keys.includes(FORCE_FETCH_KEYS[fn.language]);
  if (fn.language === "python") {
    return call.argumentKeys !== undefined && setsNeither(call.argumentKeys);
  }
  // Every reader takes its options second: getParameter(name, { maxAge }), provider.get(name, { maxAge }).
  if (call.argumentCount < 2) return true;
  const options = call.objectArgumentKeys?.[1];
  return options !== undefined && options !== null && setsNeither(options);
}

/** Calls an environment makes in a month when it reads at most once per `maxAge` seconds, and at most once per invocation. */
function callsPerMonth(maxAgeSeconds: number, invocationsPerMonth: number | undefined): number {
  const ceiling = Math.floor(SECONDS_PER_MONTH / maxAgeSeconds);
  return invocationsPerMonth === undefined ? ceiling : Math.min(ceiling, invocationsPerMonth);
}

/** The call rate the default implies, against the suggested time to live: per month from --invocations when given. */
function callRate(fn: FunctionCode): string {
  const invocations = fn.config.workload?.invocationsPerMonth;
  const atDefault = formatCount(callsPerMonth(DEFAULT_MAX_AGE_SECONDS, invocations));
  const atSuggested = formatCount(callsPerMonth(SUGGESTED_MAX_AGE_SECONDS, invocations));
  const suggested = `${MAX_AGE_KEYS[fn.language]}${fn.language === "python" ? "=" : ": "}${SUGGESTED_MAX_AGE_SECONDS}`;
  const perMinute = 60 / DEFAULT_MAX_AGE_SECONDS;
  if (invocations === undefined) {
    return `up to ${perMinute} calls a minute per execution environment (${atDefault} a month for one kept warm; ${atSuggested} with ${suggested}).`;
  }
  return `up to ${perMinute} calls a minute per execution environment; at ${formatCount(invocations)} invocations a month, up to ${atDefault} calls a month per environment, against ${atSuggested} with ${suggested}.`;
}

export const powertoolsParametersTtl: CodeRule = {
  meta: {
    id: "powertools-parameters-ttl",
    severity: "info",
    title: "Powertools Parameters read with the default 5-second cache",
    rationale:
      "Powertools Parameters caches each value for 5 seconds by default, so every execution environment calls SSM, Secrets Manager or AppConfig again up to 12 times a minute: latency on those requests, API charges (Secrets Manager, AppConfig) and throughput quota (SSM) for values that mostly change on deploys.",
    fix: `Pass max_age=${SUGGESTED_MAX_AGE_SECONDS} (Python) or { maxAge: ${SUGGESTED_MAX_AGE_SECONDS} } (TypeScript) for values that rarely change, or set ${MAX_AGE_VARIABLE} in the function's environment.`,
    docs: docsFor("powertools-parameters-ttl"),
  },
  check(fn) {
    // The variable sets every read's default; a template that builds Variables with an intrinsic may set it.
    const variables = fn.config.environmentVariables;
    if (variables?.includes(MAX_AGE_VARIABLE) || (fn.template !== undefined && !variables)) {
      return [];
    }
    return handlerCalls(fn).flatMap(({ module, item: call }) => {
      // Kept once per environment (a module-level value, lru_cache): the time to live does not apply.
      if (call.cached) return [];
      const reads = powertoolsRead(module, call);
      if (reads === undefined || !usesDefaultMaxAge(fn, call)) return [];
      const option =
        fn.language === "python"
          ? `max_age=${SUGGESTED_MAX_AGE_SECONDS}`
          : `{ maxAge: ${SUGGESTED_MAX_AGE_SECONDS} }`;
      return [
        {
          file: module.file,
          position: call.position,
          message: `${callText(call)} reads ${reads} through Powertools Parameters with the default ${DEFAULT_MAX_AGE_SECONDS}-second cache: ${callRate(fn)}`,
          fix: `Pass ${option} if the value rarely changes (or set ${MAX_AGE_VARIABLE}${fn.template ? " in the function's Environment.Variables" : " in the function's environment"}).`,
        },
      ];
    });
  },
};
