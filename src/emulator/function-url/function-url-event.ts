/**
 * The event a Function URL hands its function: an HTTP request as payload format 2.0
 * ("Invoking Lambda function URLs", Request payload format). Headers are lower-cased, and a
 * header sent more than once is one comma-joined value; the Cookie header becomes `cookies`
 * (one entry per cookie) and leaves `headers`; query parameters sent more than once are
 * comma-joined too. `queryStringParameters`, `cookies` and `body` are left out when the request
 * has none. A body is text when its Content-Type says so, base64 (isBase64Encoded) otherwise.
 */
import type { IncomingMessage } from "node:http";

export interface FunctionUrlRequest {
  readonly request: IncomingMessage;
  readonly body: Buffer;
  /** The URL's id: the `<url-id>` of https://<url-id>.lambda-url.<region>.on.aws. */
  readonly urlId: string;
  /** "anonymous" for AuthType NONE, as Lambda sends it; the caller's account for AWS_IAM. */
  readonly accountId: string;
  readonly requestId: string;
  readonly receivedAt: Date;
}

export function functionUrlEvent(input: FunctionUrlRequest): Record<string, unknown> {
  const { request, body } = input;
  const target = request.url ?? "/";
  const queryStart = target.indexOf("?");
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart < 0 ? "" : target.slice(queryStart + 1);
  const sourceIp = request.socket.remoteAddress ?? "127.0.0.1";
  const headers = joinedHeaders(request.rawHeaders);
  const cookieHeader = headers.cookie;
  delete headers.cookie;
  // What Lambda's front end adds before the function sees the request.
  headers["x-forwarded-for"] ??= sourceIp;
  headers["x-forwarded-proto"] ??= "http";
  headers["x-forwarded-port"] ??= String(request.socket.localPort ?? "");
  const queryStringParameters = joinedQuery(rawQueryString);
  const event: Record<string, unknown> = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(cookieHeader ? { cookies: splitCookies(cookieHeader) } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: input.accountId,
      apiId: input.urlId,
      domainName: headers.host ?? `${input.urlId}.lambda-url.local`,
      domainPrefix: input.urlId,
      http: {
        method: request.method ?? "GET",
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: input.requestId,
      routeKey: "$default",
      stage: "$default",
      time: clfTime(input.receivedAt),
      timeEpoch: input.receivedAt.getTime(),
    },
    isBase64Encoded: false,
  };
  if (body.length > 0) {
    const text = isTextContent(headers["content-type"]);
    event.body = text ? body.toString("utf8") : body.toString("base64");
    event.isBase64Encoded = !text;
  }
  return event;
}

/** Header names lower-cased; a name sent several times becomes one comma-joined value. */
function joinedHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    const value = rawHeaders[index + 1]!;
    // Cookie headers join as cookies do ("; "), to be split back into one entry per cookie.
    headers[name] =
      headers[name] === undefined
        ? value
        : `${headers[name]}${name === "cookie" ? "; " : ","}${value}`;
  }
  return headers;
}

function joinedQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === "") return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = parameters[name] === undefined ? value : `${parameters[name]},${value}`;
  }
  return parameters;
}

function splitCookies(header: string): string[] {
  return header
    .split(";")
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie.length > 0);
}

/** Content types whose bodies reach the function as text rather than base64. */
export function isTextContent(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return (
    type === "" ||
    type.startsWith("text/") ||
    /^application\/(json|javascript|xml|x-www-form-urlencoded|graphql|yaml)$/.test(type) ||
    type.endsWith("+json") ||
    type.endsWith("+xml")
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The request time as Lambda writes it: 03/Dec/2026:09:05:33 +0000. */
function clfTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
