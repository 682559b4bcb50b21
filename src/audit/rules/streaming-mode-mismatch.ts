/**
 * streaming-mode-mismatch: a function served both by a Function URL and by a
 * REST API integration, in two different modes. A handler written to stream
 * (Function URL InvokeMode RESPONSE_STREAM) called through the buffered
 * `/invocations` path loses streaming; a REST integration on the
 * `/response-streaming-invocations` path (InvokeWithResponseStream) expects a
 * streaming handler that the BUFFERED Function URL says this is not.
 */
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { referencesResource } from "../../template/references.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import { functionUrlModes } from "../function-facts.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { openApiOperations, restApis, textOf } from "./service-helpers.js";

const STREAMING_PATH = "/response-streaming-invocations";
const BUFFERED_PATH = "/invocations";

interface Integration {
  readonly owner: string;
  readonly uri: unknown;
  readonly path: TemplatePath;
}

/** REST integrations that name a URI: AWS::ApiGateway::Method and inline OpenAPI definitions. */
function restIntegrations(context: AuditContext): Integration[] {
  const fromMethods = context.resourcesOfType("AWS::ApiGateway::Method").flatMap((method) => {
    const integration = method.properties.Integration;
    return isPlainObject(integration) && integration.Uri !== undefined
      ? [
          {
            owner: method.logicalId,
            uri: integration.Uri,
            path: ["Resources", method.logicalId, "Properties", "Integration", "Uri"],
          },
        ]
      : [];
  });
  const fromDefinitions = restApis(context).flatMap((api) =>
    openApiOperations(api).flatMap(({ operation, templatePath }) => {
      const integration = operation["x-amazon-apigateway-integration"];
      return isPlainObject(integration) && integration.uri !== undefined
        ? [
            {
              owner: api.logicalId,
              uri: integration.uri,
              path: [...templatePath, "x-amazon-apigateway-integration", "uri"],
            },
          ]
        : [];
    }),
  );
  return [...fromMethods, ...fromDefinitions];
}

function targetOf(context: AuditContext, uri: unknown): FunctionResource | undefined {
  return context.functions.find((fn) => referencesResource(uri, fn.logicalId));
}

export const streamingModeMismatch: AuditRule = {
  meta: {
    id: "streaming-mode-mismatch",
    severity: "error",
    title: "Function URL and REST integration disagree on response streaming",
    rationale:
      "A streaming handler invoked through the buffered /invocations path loses streaming (time to first byte is the whole duration, and the 6 MB buffered limit applies); a REST integration on /response-streaming-invocations expects the streaming output format, which a buffered handler does not produce.",
    fix: "Use one mode for the function: a REST integration on /response-streaming-invocations (2021-11-15 API, ResponseTransferMode: STREAM) for a RESPONSE_STREAM function, or /invocations with a BUFFERED Function URL.",
    docs: docsFor("streaming-mode-mismatch"),
  },
  check(context) {
    const modes = functionUrlModes(context);
    const findings: RuleFinding[] = [];
    for (const integration of restIntegrations(context)) {
      const fn = targetOf(context, integration.uri);
      const url = fn ? modes.get(fn.logicalId) : undefined;
      const text = textOf(integration.uri);
      if (!fn || !url || text === undefined) continue;
      if (
        url.mode === "RESPONSE_STREAM" &&
        text.endsWith(BUFFERED_PATH) &&
        !text.endsWith(STREAMING_PATH)
      ) {
        findings.push({
          resource: integration.owner,
          path: integration.path,
          message: `${integration.owner} invokes ${fn.logicalId} on the buffered ${BUFFERED_PATH} path, but its Function URL streams (InvokeMode RESPONSE_STREAM): through this API the response is buffered, not streamed.`,
          fix: `Use arn:aws:apigateway:\${AWS::Region}:lambda:path/2021-11-15/functions/\${${fn.logicalId}.Arn}${STREAMING_PATH} with ResponseTransferMode: STREAM.`,
        });
      } else if (url.mode === "BUFFERED" && text.endsWith(STREAMING_PATH)) {
        findings.push({
          resource: integration.owner,
          path: integration.path,
          message: `${integration.owner} invokes ${fn.logicalId} on ${STREAMING_PATH}, but its Function URL is BUFFERED: a handler that does not stream does not produce the output API Gateway's streaming integration expects.`,
          fix: `Set the Function URL's InvokeMode to RESPONSE_STREAM if the handler streams, or use the ${BUFFERED_PATH} path (2015-03-31 API) if it does not.`,
        });
      }
    }
    return findings;
  },
};
