/**
 * The Lambda API (REST JSON, 2015-03-31) over the emulator, as
 * @aws-sdk/client-lambda and the AWS CLI call it. Bound to 127.0.0.1 unless
 * told otherwise. Every request passes, before anything runs: the Host and
 * browser checks (browser-guard.ts), then, with an access token (required
 * beyond loopback), its SigV4 signature (token-auth.ts). Without a token,
 * SigV4 headers are accepted and not checked.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PAYLOAD_LIMIT_BYTES } from "../../lambda/limits.js";
import type { Emulator } from "../emulator.js";
import { parseFunctionName } from "../functions/function-registry.js";
import { readBody } from "../http-body.js";
import { sendJson } from "../http-json.js";
import { invalidParameter, LambdaApiError } from "../lambda-error.js";
import { parseJsonBody, parseQuery, parseRequest } from "../request-validation.js";
import { BrowserGuard, type BrowserGuardOptions, isLoopbackHost } from "./browser-guard.js";
import { checkClientContext } from "./client-context.js";
import { newCodeLoadingVariable } from "./code-loading-variables.js";
import { aliasConfiguration, functionConfiguration } from "./function-configuration.js";
import { defineFunctionUrlRoutes } from "./function-url-routes.js";
import { defineInvokeStreamRoutes } from "./invoke-stream-routes.js";
import {
  CreateAliasSchema,
  InvokeHeadersSchema,
  ListAliasesQuerySchema,
  PublishVersionSchema,
  QualifierQuerySchema,
  UpdateAliasSchema,
  UpdateFunctionCodeSchema,
  UpdateFunctionConfigurationSchema,
} from "./request-schemas.js";
import { verifyToken } from "./token-auth.js";

export interface LambdaApiServerOptions extends BrowserGuardOptions {
  /**
   * Require every request to be signed (SigV4) with this as the secret
   * access key, or to carry it as `Authorization: Bearer`. Required to listen
   * on an address other than loopback.
   */
  readonly authToken?: string;
  /**
   * Let UpdateFunctionConfiguration set environment variables that load code
   * (NODE_OPTIONS, LD_PRELOAD, PYTHONPATH...; see code-loading-variables.ts).
   */
  readonly allowCodeEnvironment?: boolean;
}

export type Handler = (context: RequestContext) => Promise<void>;

/**
 * Adds a route: `path` under the API version's prefix (Lambda's APIs carry their release date:
 * 2015-03-31 for most, 2021-10-31 for Function URL configs, 2021-11-15 for
 * InvokeWithResponseStream). Route modules of their own take it.
 */
export type DefineRoute = (
  method: string,
  path: string,
  handler: Handler,
  apiVersion?: string,
) => void;

export interface RequestContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: Buffer;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

/**
 * The largest body read: Invoke's 6 MB payload and some room, so that a
 * payload just over the limit is refused by Invoke's own check (emulator.ts),
 * with Lambda's message for its invocation type. Other bodies are small.
 */
const MAX_BODY_BYTES = PAYLOAD_LIMIT_BYTES.synchronous + 1024 * 1024;

/** What a route's {name} means to Lambda, for validation messages. */
const PARAMETER_NAMES: Record<string, string> = { name: "functionName", alias: "name" };

export class LambdaApiServer {
  private readonly server: Server;
  private readonly routes: Route[] = [];
  private readonly guard: BrowserGuard;

  constructor(
    private readonly emulator: Emulator,
    private readonly options: LambdaApiServerOptions = {},
  ) {
    this.guard = new BrowserGuard(options);
    this.defineRoutes();
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.keepAliveTimeout = 60_000;
  }

  /** Listen and return the endpoint URL, e.g. http://127.0.0.1:9001. */
  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    if (!isLoopbackHost(host) && !this.options.authToken) {
      throw new Error(
        `listening on ${host}, beyond loopback, needs an access token (the authToken option)`,
      );
    }
    this.server.listen(port, host);
    await Promise.race([
      once(this.server, "listening"),
      once(this.server, "error").then(([error]) => {
        throw error;
      }),
    ]);
    const address = this.server.address() as AddressInfo;
    this.guard.bound(address.address, address.port);
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${shownHost}:${address.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    if (this.server.listening) {
      this.server.close();
      await once(this.server, "close");
    }
  }

  private route(method: string, path: string, handler: Handler, apiVersion = "2015-03-31"): void {
    const names: string[] = [];
    const source = path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    this.routes.push({
      method,
      pattern: new RegExp(`^/${apiVersion}${source}/?$`),
      names,
      handler,
    });
  }

  private defineRoutes(): void {
    const emulator = this.emulator;
    const registry = emulator.registry;
    const configurationOf = (name: string, qualifier?: string) =>
      functionConfiguration(registry, registry.resolve(name, qualifier).configuration);

    this.route(
      "POST",
      "/functions/{name}/invocations",
      async ({ request, response, params, query, body }) => {
        const headers = parseRequest(InvokeHeadersSchema, request.headers);
        const invocationType = headers["x-amz-invocation-type"];
        const clientContext = headers["x-amz-client-context"];
        if (clientContext !== undefined) checkClientContext(clientContext);
        const { Qualifier: qualifier } = parseQuery(QualifierQuerySchema, query);
        const result = await emulator.invoke(params.name!, {
          payload: body,
          invocationType,
          logType: headers["x-amz-log-type"],
          ...(qualifier ? { qualifier } : {}),
          ...(clientContext ? { clientContext } : {}),
        });
        const answer: Record<string, string> = {
          "Content-Type": "application/json",
          "X-Amz-Executed-Version": result.executedVersion,
          "X-Amzn-RequestId": result.record?.requestId ?? crypto.randomUUID(),
        };
        if (result.functionError) answer["X-Amz-Function-Error"] = result.functionError;
        if (result.logResult) answer["X-Amz-Log-Result"] = result.logResult;
        response.writeHead(result.statusCode, {
          ...answer,
          "Content-Length": result.payload.length,
        });
        response.end(result.payload);
      },
    );

    this.route("GET", "/functions/{name}", async ({ response, params, query }) => {
      const { Qualifier } = parseQuery(QualifierQuerySchema, query);
      const configuration = configurationOf(params.name!, Qualifier);
      sendJson(response, 200, {
        Configuration: configuration,
        Code: {
          RepositoryType: "S3",
          Location: `file://${registry.resolve(params.name!).configuration.definition.codeDir}`,
        },
        Tags: {},
      });
    });

    this.route("GET", "/functions/{name}/configuration", async ({ response, params, query }) => {
      const { Qualifier } = parseQuery(QualifierQuerySchema, query);
      sendJson(response, 200, configurationOf(params.name!, Qualifier));
    });

    this.route("PUT", "/functions/{name}/configuration", async ({ response, params, body }) => {
      const { patch, revisionId } = parseJsonBody(UpdateFunctionConfigurationSchema, body);
      if (patch.environment && !this.options.allowCodeEnvironment) {
        const current = registry.resolve(params.name!).configuration.definition.environment;
        const variable = newCodeLoadingVariable(patch.environment, current);
        if (variable) {
          throw invalidParameter(
            `Environment variable ${variable} makes the runtime load code; the emulator refuses to set it through the API (start it with emulate --allow-code-env to allow, or set it in the template)`,
          );
        }
      }
      const updated = await emulator.updateConfiguration(params.name!, patch, revisionId);
      sendJson(response, 200, functionConfiguration(registry, updated));
    });

    this.route("PUT", "/functions/{name}/code", async ({ response, params, body }) => {
      const input = parseJsonBody(UpdateFunctionCodeSchema, body);
      let updated = await emulator.updateConfiguration(
        params.name!,
        input.Architectures ? { architecture: input.Architectures } : {},
        input.RevisionId,
      );
      if (input.Publish === true) updated = registry.publishVersion(params.name!);
      sendJson(response, 200, functionConfiguration(registry, updated));
    });

    this.route("POST", "/functions/{name}/versions", async ({ response, params, body }) => {
      const {
        Description: description,
        RevisionId: revisionId,
        CodeSha256: codeSha256,
      } = parseJsonBody(PublishVersionSchema, body);
      const published = registry.publishVersion(params.name!, {
        ...(description !== undefined ? { description } : {}),
        ...(revisionId ? { revisionId } : {}),
        ...(codeSha256 ? { codeSha256 } : {}),
      });
      sendJson(response, 201, functionConfiguration(registry, published));
    });

    this.route("GET", "/functions/{name}/versions", async ({ response, params }) => {
      const versions = registry
        .listVersions(params.name!)
        .map((version) => functionConfiguration(registry, version));
      sendJson(response, 200, { Versions: versions });
    });

    this.route("POST", "/functions/{name}/aliases", async ({ response, params, body }) => {
      const {
        Name: name,
        FunctionVersion: functionVersion,
        Description: description,
      } = parseJsonBody(CreateAliasSchema, body);
      const alias = registry.createAlias(params.name!, {
        name,
        functionVersion,
        ...(description !== undefined ? { description } : {}),
      });
      sendJson(response, 201, aliasConfiguration(registry, functionNameOf(params.name!), alias));
    });

    this.route("GET", "/functions/{name}/aliases", async ({ response, params, query }) => {
      const aliases = registry
        .listAliases(params.name!, parseQuery(ListAliasesQuerySchema, query).FunctionVersion)
        .map((alias) => aliasConfiguration(registry, functionNameOf(params.name!), alias));
      sendJson(response, 200, { Aliases: aliases });
    });

    this.route("GET", "/functions/{name}/aliases/{alias}", async ({ response, params }) => {
      sendJson(
        response,
        200,
        aliasConfiguration(
          registry,
          functionNameOf(params.name!),
          registry.getAlias(params.name!, params.alias!),
        ),
      );
    });

    this.route("PUT", "/functions/{name}/aliases/{alias}", async ({ response, params, body }) => {
      const {
        FunctionVersion: functionVersion,
        Description: description,
        RevisionId: revisionId,
      } = parseJsonBody(UpdateAliasSchema, body);
      const alias = registry.updateAlias(params.name!, params.alias!, {
        ...(functionVersion ? { functionVersion } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(revisionId ? { revisionId } : {}),
      });
      sendJson(response, 200, aliasConfiguration(registry, functionNameOf(params.name!), alias));
    });

    this.route("DELETE", "/functions/{name}/aliases/{alias}", async ({ response, params }) => {
      registry.deleteAlias(params.name!, params.alias!);
      response.writeHead(204).end();
    });

    this.route("DELETE", "/functions/{name}", async ({ response, params, query }) => {
      await emulator.deleteFunction(
        params.name!,
        parseQuery(QualifierQuerySchema, query).Qualifier,
      );
      response.writeHead(204).end();
    });

    this.route("GET", "/functions", async ({ response }) => {
      sendJson(response, 200, {
        Functions: registry
          .list()
          .map((configuration) => functionConfiguration(registry, configuration)),
      });
    });

    const define: DefineRoute = (method, path, handler, apiVersion) =>
      this.route(method, path, handler, apiVersion);
    defineInvokeStreamRoutes(define, emulator);
    defineFunctionUrlRoutes(define, emulator);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      // Before the body is read: a refused request runs nothing and costs little.
      this.guard.check(request);
      const url = new URL(request.url ?? "/", "http://localhost");
      const body = await readBody(request, { maxBytes: MAX_BODY_BYTES });
      if (body === undefined) {
        throw new LambdaApiError(
          "RequestTooLargeException",
          413,
          `Request must be smaller than ${PAYLOAD_LIMIT_BYTES.synchronous} bytes for the InvokeFunction operation`,
        );
      }
      if (this.options.authToken) await verifyToken(request, body, this.options.authToken);
      const path = url.pathname;
      const candidates = this.routes.filter((route) => route.pattern.test(path));
      const route = candidates.find((candidate) => candidate.method === request.method);
      if (!route) {
        const status = candidates.length > 0 ? 405 : 404;
        throw new LambdaApiError(
          "UnknownOperationException",
          status,
          `Unknown operation ${request.method} ${path}`,
        );
      }
      const match = route.pattern.exec(path)!;
      const params = Object.fromEntries(
        route.names.map((name, index) => [name, decodePathParameter(name, match[index + 1]!)]),
      );
      await route.handler({ request, response, params, query: url.searchParams, body });
    } catch (error) {
      sendError(response, error);
    }
  }
}

/** A {name} of the path, decoded; a malformed % escape is the caller's error, as in Lambda. */
function decodePathParameter(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new LambdaApiError(
      "ValidationException",
      400,
      `1 validation error detected: Value '${raw}' at '${PARAMETER_NAMES[name] ?? name}' failed to satisfy constraint: Member must be a valid percent-encoded string`,
    );
  }
}

function functionNameOf(nameOrArn: string): string {
  return parseFunctionName(nameOrArn).name;
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const apiError =
    error instanceof LambdaApiError
      ? error
      : new LambdaApiError(
          "ServiceException",
          500,
          `The emulator failed: ${error instanceof Error ? error.message : String(error)}`,
        );
  sendJson(
    response,
    apiError.statusCode,
    {
      Type: apiError.statusCode >= 500 ? "Service" : "User",
      message: apiError.message,
      ...apiError.extra,
    },
    { "X-Amzn-ErrorType": apiError.errorType },
  );
}
