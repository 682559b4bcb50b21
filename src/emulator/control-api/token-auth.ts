/**
 * The emulator's access token, for when it listens beyond loopback. A client
 * proves it holds the token by signing with AWS Signature Version 4 with the
 * token as its secret access key (any access key id): the AWS CLI, the SDKs
 * and curl --aws-sigv4 do that unchanged, and the token never crosses the
 * network. `Authorization: Bearer <token>` is accepted too, for scripts.
 *
 * Verification re-signs the request as received with @smithy/signature-v4
 * (the signer the SDK itself uses) and compares in constant time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";
import { LambdaApiError } from "../lambda-error.js";

/** AWS refuses a signature dated more than 15 minutes from its own clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;

/** A token a user can type: 32 random bytes, base64url. */
export function generateAuthToken(): string {
  return randomBytes(32).toString("base64url");
}

const unrecognized = () =>
  new LambdaApiError(
    "UnrecognizedClientException",
    403,
    "The security token included in the request is invalid. This emulator requires requests signed with its access token as the secret access key (or Authorization: Bearer <token>).",
  );
const badSignature = (why: string) =>
  new LambdaApiError(
    "InvalidSignatureException",
    403,
    `The request signature we calculated does not match the signature you provided: ${why}. Sign with the emulator's access token as the secret access key.`,
  );

/** Throws 403 unless the request carries a valid SigV4 signature made with `token`, or the token itself. */
export async function verifyToken(
  request: IncomingMessage,
  body: Buffer,
  token: string,
  now = new Date(),
): Promise<void> {
  const authorization = request.headers.authorization ?? "";
  if (authorization.startsWith("Bearer ")) {
    if (!sameSecret(authorization.slice("Bearer ".length).trim(), token)) throw unrecognized();
    return;
  }
  const match = SIGV4.exec(authorization.trim());
  if (!match) throw unrecognized();
  const [, accessKeyId, , region, service, signedHeaderList, signature] = match;
  const amzDate = header(request, "x-amz-date");
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!signingDate) throw badSignature("X-Amz-Date is missing or malformed");
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw badSignature(`X-Amz-Date ${amzDate} is more than 15 minutes from the emulator's clock`);
  }
  const declaredHash = header(request, "x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash !== sha256Hex(body)) {
    throw badSignature("X-Amz-Content-SHA256 is not the hash of the body");
  }
  const signedHeaders = signedHeaderList!.split(";");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(request, name);
    if (value === undefined) throw badSignature(`signed header ${name} is missing`);
    headers[name] = value;
  }
  const url = request.url ?? "/";
  const queryStart = url.indexOf("?");
  const signer = new SignatureV4({
    service: service!,
    region: region!,
    credentials: { accessKeyId: accessKeyId!, secretAccessKey: token },
    sha256: NodeSha256,
    // Sign exactly the headers the client signed: add no X-Amz-Content-SHA256 of our own.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method ?? "GET",
      protocol: "http:",
      hostname: headers.host ?? "",
      path: queryStart < 0 ? url : url.slice(0, queryStart),
      query: queryStart < 0 ? {} : queryOf(url.slice(queryStart + 1)),
      headers,
      body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = SIGV4.exec(String(signed.headers.authorization ?? ""))?.[6];
  if (!expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature!))) {
    throw badSignature("the signature is not made with the emulator's access token");
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Equal secrets, compared in time that does not depend on where they differ. */
function sameSecret(presented: string, token: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

function sha256Hex(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

/** 20240131T235959Z, as in X-Amz-Date. */
function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
}

function queryOf(text: string): Record<string, string | string[]> {
  try {
    return parseQuery(text);
  } catch {
    throw badSignature("the query string has a malformed % escape");
  }
}

/** The query as the signer wants it: decoded names and values ('+' is not a space in SigV4). */
function parseQuery(text: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const name = decodeURIComponent(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? "" : decodeURIComponent(pair.slice(equals + 1));
    const previous = query[name];
    query[name] =
      previous === undefined
        ? value
        : Array.isArray(previous)
          ? [...previous, value]
          : [previous, value];
  }
  return query;
}

/** The hash the signer needs, over node:crypto: SHA-256, or HMAC-SHA-256 when given a key. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash("sha256")
        : createHmac("sha256", typeof secret === "string" ? secret : toBuffer(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data)
    ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    : Buffer.from(data);
}
