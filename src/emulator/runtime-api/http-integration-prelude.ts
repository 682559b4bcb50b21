/**
 * A streamed response meant for HTTP (a Function URL, an API Gateway
 * streaming integration) starts with a metadata prelude: the handler's
 * `awslambda.HttpResponseStream.from(stream, { statusCode, headers, cookies })`
 * writes that object as JSON, then eight null bytes, and the runtime sends the
 * stream with the Content-Type below. Lambda's front end reads the prelude for
 * the status line and headers and streams the rest as the body.
 *
 * PreludeSplitter takes the stream's chunks as they come (the prelude may be
 * split over several, or share one with the body) and hands out the metadata
 * once, then the body bytes, without buffering the body.
 */

/** The Content-Type a runtime gives a stream that starts with a prelude. */
export const HTTP_INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

/** The eight null bytes that end the prelude. */
const DELIMITER = Buffer.alloc(8);

/** The prelude's fields, as Function URLs read them (anything else in it is ignored). */
export interface HttpPrelude {
  readonly statusCode?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
}

export type PreludePiece =
  | { readonly kind: "prelude"; readonly prelude: HttpPrelude }
  | { readonly kind: "body"; readonly bytes: Buffer };

/** The most prelude bytes held while looking for its end: a prelude is a few headers, not a body. */
const MAX_PRELUDE_BYTES = 64 * 1024;

export class PreludeSplitter {
  private held: Buffer = Buffer.alloc(0);
  private done = false;

  /** The prelude (once, when complete) and body bytes in `chunk`. */
  push(chunk: Buffer): PreludePiece[] {
    if (this.done) return chunk.length > 0 ? [{ kind: "body", bytes: chunk }] : [];
    this.held = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const end = this.held.indexOf(DELIMITER);
    if (end < 0) {
      if (this.held.length > MAX_PRELUDE_BYTES) return this.giveUp();
      return [];
    }
    const pieces: PreludePiece[] = [
      { kind: "prelude", prelude: parsePrelude(this.held.subarray(0, end)) },
    ];
    const rest = this.held.subarray(end + DELIMITER.length);
    this.held = Buffer.alloc(0);
    this.done = true;
    if (rest.length > 0) pieces.push({ kind: "body", bytes: rest });
    return pieces;
  }

  /**
   * The stream ended. A prelude never closed is taken as no prelude: its bytes are the body,
   * under default metadata (AWS does not document this case).
   */
  end(): PreludePiece[] {
    if (this.done) return [];
    return this.giveUp();
  }

  private giveUp(): PreludePiece[] {
    this.done = true;
    const held = this.held;
    this.held = Buffer.alloc(0);
    const pieces: PreludePiece[] = [{ kind: "prelude", prelude: {} }];
    if (held.length > 0) pieces.push({ kind: "body", bytes: held });
    return pieces;
  }
}

function parsePrelude(bytes: Buffer): HttpPrelude {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  const { statusCode, headers, cookies } = parsed as Record<string, unknown>;
  const prelude: {
    statusCode?: number;
    headers?: Record<string, string>;
    cookies?: string[];
  } = {};
  if (typeof statusCode === "number" && Number.isInteger(statusCode))
    prelude.statusCode = statusCode;
  if (headers !== null && typeof headers === "object" && !Array.isArray(headers))
    prelude.headers = Object.fromEntries(
      Object.entries(headers as Record<string, unknown>).map(([name, value]) => [
        name,
        String(value),
      ]),
    );
  if (Array.isArray(cookies)) prelude.cookies = cookies.map(String);
  return prelude;
}
