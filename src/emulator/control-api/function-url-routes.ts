/**
 * Function URL configs (2021-10-31): Create/Get/Update/DeleteFunctionUrlConfig and
 * ListFunctionUrlConfigs with the AWS SDK's shapes. The URLs themselves are served by
 * function-url/ (one HTTP server each on 127.0.0.1; its address is the FunctionUrl).
 */
import { z } from "zod";
import type { Emulator } from "../emulator.js";
import {
  AuthTypeSchema,
  CorsSchema,
  InvokeModeSchema,
} from "../function-url/function-url-settings.js";
import type { FunctionUrlConfig } from "../function-url/function-urls.js";
import { sendJson } from "../http-json.js";
import { constrainedMember, parseJsonBody, parseQuery } from "../request-validation.js";
import type { DefineRoute } from "./lambda-api-server.js";
import { QualifierQuerySchema } from "./request-schemas.js";

const API_VERSION = "2021-10-31";

/** CreateFunctionUrlConfig's body: AuthType required; InvokeMode BUFFERED unless given. */
const CreateFunctionUrlConfigSchema = z.looseObject({
  AuthType: AuthTypeSchema,
  InvokeMode: InvokeModeSchema.optional(),
  Cors: CorsSchema.optional(),
});

/** UpdateFunctionUrlConfig's body: what is given replaces; what is left out stays. */
const UpdateFunctionUrlConfigSchema = z.looseObject({
  AuthType: AuthTypeSchema.optional(),
  InvokeMode: InvokeModeSchema.optional(),
  Cors: CorsSchema.optional(),
});

/** ?Marker=&MaxItems= of ListFunctionUrlConfigs (MaxItems 1..50, as Lambda's). */
const ListFunctionUrlConfigsQuerySchema = z.looseObject({
  Marker: z.string().optional(),
  MaxItems: constrainedMember(
    z.coerce.number().int().min(1).max(50),
    "maxItems",
    "Member must have value between 1 and 50",
  ).optional(),
});

export function defineFunctionUrlRoutes(route: DefineRoute, emulator: Emulator): void {
  const urls = emulator.functionUrls;

  route(
    "POST",
    "/functions/{name}/url",
    async ({ response, params, query, body }) => {
      const { Qualifier } = parseQuery(QualifierQuerySchema, query);
      const input = parseJsonBody(CreateFunctionUrlConfigSchema, body);
      const config = await urls.create(params.name!, Qualifier, {
        authType: input.AuthType,
        invokeMode: input.InvokeMode ?? "BUFFERED",
        ...(input.Cors ? { cors: input.Cors } : {}),
      });
      const { LastModifiedTime: _, ...created } = functionUrlConfig(config);
      sendJson(response, 201, created);
    },
    API_VERSION,
  );

  route(
    "GET",
    "/functions/{name}/url",
    async ({ response, params, query }) => {
      const { Qualifier } = parseQuery(QualifierQuerySchema, query);
      sendJson(response, 200, functionUrlConfig(urls.get(params.name!, Qualifier)));
    },
    API_VERSION,
  );

  route(
    "PUT",
    "/functions/{name}/url",
    async ({ response, params, query, body }) => {
      const { Qualifier } = parseQuery(QualifierQuerySchema, query);
      const input = parseJsonBody(UpdateFunctionUrlConfigSchema, body);
      const config = urls.update(params.name!, Qualifier, {
        ...(input.AuthType ? { authType: input.AuthType } : {}),
        ...(input.InvokeMode ? { invokeMode: input.InvokeMode } : {}),
        ...(input.Cors ? { cors: input.Cors } : {}),
      });
      sendJson(response, 200, functionUrlConfig(config));
    },
    API_VERSION,
  );

  route(
    "DELETE",
    "/functions/{name}/url",
    async ({ response, params, query }) => {
      const { Qualifier } = parseQuery(QualifierQuerySchema, query);
      await urls.delete(params.name!, Qualifier);
      response.writeHead(204).end();
    },
    API_VERSION,
  );

  route(
    "GET",
    "/functions/{name}/urls",
    async ({ response, params, query }) => {
      const { Marker, MaxItems } = parseQuery(ListFunctionUrlConfigsQuerySchema, query);
      const all = urls.list(params.name!);
      const start = Marker === undefined ? 0 : Math.max(0, Number.parseInt(Marker, 10) || 0);
      const end = start + (MaxItems ?? 50);
      sendJson(response, 200, {
        FunctionUrlConfigs: all.slice(start, end).map(functionUrlConfig),
        ...(end < all.length ? { NextMarker: String(end) } : {}),
      });
    },
    API_VERSION,
  );
}

/** A config in the SDK's FunctionUrlConfig / GetFunctionUrlConfigResponse shape. */
function functionUrlConfig(config: FunctionUrlConfig) {
  return {
    FunctionUrl: config.url,
    FunctionArn: config.functionArn,
    AuthType: config.settings.authType,
    ...(config.settings.cors ? { Cors: config.settings.cors } : {}),
    CreationTime: config.creationTime,
    LastModifiedTime: config.lastModifiedTime,
    InvokeMode: config.settings.invokeMode,
  };
}
