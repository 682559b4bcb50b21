/**
 * What calls a deployed function over HTTP, as the Lambda API shows it: its
 * Function URL (GetFunctionUrlConfig) and the services its resource-based
 * policy lets invoke it (GetPolicy: API Gateway, an Application Load
 * Balancer). They are what makes it an API handler for the guide's memory
 * starting point (memory-guidelines.ts) when nothing measured its memory; the
 * event source mappings (aws-functions.ts) are the other clue.
 *
 * Only the function's own (unqualified) URL and policy are read: a URL or a
 * permission on an alias or version is not seen. Both reads are optional: one
 * the caller's role may not make (AccessDenied) or the endpoint does not
 * answer is named in `unread`, with a note, and the run goes on.
 */
import {
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  type GetPolicyCommandOutput,
} from "@aws-sdk/client-lambda";
import type { HttpCallers } from "../aws-observations.js";
import type { LambdaCallOptions, LambdaSender } from "./aws-functions.js";

/** The services whose permission to invoke a function means a caller waiting over HTTP, and how they are named. */
export const HTTP_CALLER_SERVICES: Readonly<Record<string, string>> = {
  "apigateway.amazonaws.com": "API Gateway permission",
  "elasticloadbalancing.amazonaws.com": "load balancer permission",
};

export const FUNCTION_URL_CALLER = "Function URL";

export async function httpCallersOf(
  lambda: LambdaSender,
  functionName: string,
  options: Pick<LambdaCallOptions, "onNote"> = {},
): Promise<HttpCallers> {
  const unread: string[] = [];
  const attempt = async <T>(call: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (isNotFound(error)) return undefined; // no URL, no policy: no such caller
      if (!isRefusedOrUnsupported(error)) throw error;
      const reason = `${call}: ${describe(error)}`;
      unread.push(reason);
      // Without the function's name, so a role refused for every function makes one note, not one each.
      options.onNote?.(
        `${reason}: callers over HTTP (Function URL, API Gateway, load balancer) may be missing; memory-unmeasured's evidence says where`,
      );
      return undefined;
    }
  };
  const [url, policy] = await Promise.all([
    attempt("GetFunctionUrlConfig", () =>
      lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName })),
    ),
    attempt("GetPolicy", () => lambda.send(new GetPolicyCommand({ FunctionName: functionName }))),
  ]);
  const callers = new Set<string>();
  if (url?.FunctionUrl) callers.add(FUNCTION_URL_CALLER);
  for (const caller of policyCallers(policy)) callers.add(caller);
  return { callers: [...callers], unread };
}

/**
 * The HTTP callers an Allow statement of the policy names: a service principal
 * above, or `lambda:InvokeFunctionUrl` (the permission a Function URL needs,
 * which shows it when GetFunctionUrlConfig could not be read).
 */
export function policyCallers(
  policy: Pick<GetPolicyCommandOutput, "Policy"> | undefined,
): string[] {
  if (!policy?.Policy) return [];
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(policy.Policy) as { Statement?: unknown };
  } catch {
    return [];
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const callers: string[] = [];
  for (const statement of statements as PolicyStatement[]) {
    if (statement?.Effect !== "Allow") continue;
    for (const service of servicesOf(statement.Principal)) {
      const caller = HTTP_CALLER_SERVICES[service];
      if (caller) callers.push(caller);
    }
    if (listOf(statement.Action).includes("lambda:InvokeFunctionUrl"))
      callers.push(FUNCTION_URL_CALLER);
  }
  return callers;
}

interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
}

/** A principal written `{"Service": "x"}`, `{"Service": ["x", "y"]}`, or the bare service name. */
function servicesOf(principal: unknown): string[] {
  if (typeof principal === "string") return [principal];
  if (principal && typeof principal === "object")
    return listOf((principal as { Service?: unknown }).Service);
  return [];
}

function listOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: string })?.name === "ResourceNotFoundException";
}

/** Permission refused (AccessDenied, 403), or an endpoint that does not implement the call (404, 5xx). */
function isRefusedOrUnsupported(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (candidate?.name === "AccessDeniedException") return true;
  const status = candidate?.$metadata?.httpStatusCode;
  return status === 403 || status === 404 || (status !== undefined && status >= 500);
}

function describe(error: unknown): string {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = candidate?.$metadata?.httpStatusCode;
  return `${candidate?.name ?? "error"}${status ? ` HTTP ${status}` : ""}`;
}
