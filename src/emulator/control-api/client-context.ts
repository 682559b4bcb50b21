/**
 * The X-Amz-Client-Context header of Invoke: base64 of a JSON object, at most
 * 3,583 bytes as sent (Lambda's documented limit). Checked here, before an
 * execution environment sees it, and refused with 400 as Lambda refuses it.
 */
import { LambdaApiError } from "../lambda-error.js";

export const CLIENT_CONTEXT_MAX_BYTES = 3583;

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

const invalidClientContext = (why: string) =>
  new LambdaApiError(
    "InvalidRequestContentException",
    400,
    `Client context must be a valid Base64-encoded JSON object: ${why}`,
  );

/** Throws a 400 that says what is wrong with the header, if anything is. */
export function checkClientContext(header: string): void {
  if (header.length > CLIENT_CONTEXT_MAX_BYTES) {
    throw invalidClientContext(
      `it is ${header.length} bytes; the limit is ${CLIENT_CONTEXT_MAX_BYTES}`,
    );
  }
  if (!BASE64.test(header)) throw invalidClientContext("it is not base64");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(header, "base64"));
  } catch {
    throw invalidClientContext("it does not decode to UTF-8 text");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidClientContext("it does not decode to JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw invalidClientContext("it decodes to JSON that is not an object");
  }
}
