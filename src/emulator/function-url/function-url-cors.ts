/**
 * A Function URL's Cors config applied as Lambda applies it: a preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) is answered by the URL itself, without invoking the function;
 * other responses to an allowed Origin carry Access-Control-Allow-Origin, -Allow-Credentials and
 * -Expose-Headers, over any the function set. An origin the config does not allow gets no
 * Access-Control-* header at all (the browser then refuses the response).
 *
 * One deliberate difference: Lambda invokes the function for any origin and only withholds the
 * headers; here a browser request from another origin that the config does not allow is refused
 * (403) before the function runs, so a page the user happens to visit cannot set a local function
 * (running with the user's files and credentials) to work. Curl, SDKs and same-origin pages are
 * unaffected.
 */
import type { IncomingMessage } from "node:http";
import type { FunctionUrlCors } from "./function-url-settings.js";

/** The Access-Control-Allow-Origin value for this request's Origin, or undefined when not allowed. */
function allowedOrigin(cors: FunctionUrlCors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes("*")) return cors.AllowCredentials ? origin : "*";
  return origins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase())
    ? origin
    : undefined;
}

export function isPreflight(request: IncomingMessage): boolean {
  return (
    request.method === "OPTIONS" &&
    typeof request.headers.origin === "string" &&
    typeof request.headers["access-control-request-method"] === "string"
  );
}

/** The answer to a preflight: 200, with the Access-Control-* headers when the request is allowed. */
export function preflightHeaders(
  cors: FunctionUrlCors,
  request: IncomingMessage,
): Record<string, string> {
  const origin = allowedOrigin(cors, request.headers.origin);
  const method = String(request.headers["access-control-request-method"]).toUpperCase();
  const methods = (cors.AllowMethods ?? []).map((allowed) => allowed.toUpperCase());
  if (!origin || !(methods.includes("*") || methods.includes(method))) return {};
  const requestedHeaders = request.headers["access-control-request-headers"];
  const allowHeaders = cors.AllowHeaders ?? [];
  const headers: Record<string, string> = {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": methods.includes("*") ? method : methods.join(","),
    vary: "Origin",
  };
  if (allowHeaders.includes("*") && typeof requestedHeaders === "string")
    headers["access-control-allow-headers"] = requestedHeaders;
  else if (allowHeaders.length > 0)
    headers["access-control-allow-headers"] = allowHeaders.join(",");
  if (cors.AllowCredentials) headers["access-control-allow-credentials"] = "true";
  if (cors.MaxAge !== undefined) headers["access-control-max-age"] = String(cors.MaxAge);
  return headers;
}

/** The Access-Control-* headers every other response to this request carries. */
export function responseCorsHeaders(
  cors: FunctionUrlCors | undefined,
  request: IncomingMessage,
): Record<string, string> {
  if (!cors) return {};
  const origin = allowedOrigin(cors, request.headers.origin);
  if (!origin) return {};
  const headers: Record<string, string> = { "access-control-allow-origin": origin, vary: "Origin" };
  if (cors.AllowCredentials) headers["access-control-allow-credentials"] = "true";
  if (cors.ExposeHeaders && cors.ExposeHeaders.length > 0)
    headers["access-control-expose-headers"] = cors.ExposeHeaders.join(",");
  return headers;
}

/**
 * Whether a browser sent this request from a page of another origin that `cors` does not allow:
 * it carries Origin, or Sec-Fetch-Site "cross-site"/"same-site" (an <img>, a form), and that
 * origin is neither the URL's own nor one the config allows.
 */
export function isRefusedCrossOrigin(
  cors: FunctionUrlCors | undefined,
  request: IncomingMessage,
  ownOrigin: string,
): boolean {
  const origin = request.headers.origin;
  const fetchSite = request.headers["sec-fetch-site"];
  const crossSite = fetchSite === "cross-site" || fetchSite === "same-site";
  if (origin === undefined || origin === "null") return crossSite || origin === "null";
  if (origin.toLowerCase() === ownOrigin.toLowerCase()) return false;
  return !cors || allowedOrigin(cors, origin) === undefined;
}
