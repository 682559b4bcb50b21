/**
 * A function's answer turned into the HTTP response a Function URL sends ("Invoking Lambda
 * function URLs", Response payload format). An object with a statusCode is read as
 * {statusCode, headers, cookies, body, isBase64Encoded}: each cookie becomes a Set-Cookie header
 * and a base64 body is decoded. Any other answer (a JSON string, a number, an object without
 * statusCode, bytes that are not JSON) is the body of a 200 with Content-Type application/json.
 */
import { isPlainObject } from "../../plain-object.js";
import { jsonDocument } from "../request-validation.js";

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** Headers Node.js writes itself: the function's own would contradict the body sent. */
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding", "connection"]);

export function httpAnswer(payload: Buffer): HttpAnswer {
  const document = jsonDocument(payload);
  if (!isPlainObject(document) || !("statusCode" in document)) {
    return {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      cookies: [],
      body: payload,
    };
  }
  const { statusCode, headers, cookies, body, isBase64Encoded } = document;
  const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
  const answerHeaders = httpHeaders(isPlainObject(headers) ? headers : {});
  answerHeaders["content-type"] ??= "application/json";
  return {
    statusCode: validStatus(statusCode) ?? 200,
    headers: answerHeaders,
    cookies: Array.isArray(cookies) ? cookies.map(String) : [],
    body: isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8"),
  };
}

/** A function's headers as HTTP headers: names lower-cased, values as text, framing left to Node.js. */
export function httpHeaders(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (FRAMING_HEADERS.has(lower) || value === undefined || value === null) continue;
    result[lower] = String(value);
  }
  return result;
}

export function validStatus(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599
    ? value
    : undefined;
}
