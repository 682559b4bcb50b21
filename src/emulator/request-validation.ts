/**
 * How the emulator's servers check what a client sends — JSON bodies, query
 * parameters, headers — against zod schemas, and refuse it as Lambda does:
 * 400 InvalidParameterValueException, with Lambda's own wording for a member
 * that breaks a constraint ("1 validation error detected: Value '64' at
 * 'memorySize' failed to satisfy constraint: ...").
 */
import { z } from "zod";
import { isPlainObject } from "../plain-object.js";
import { invalidParameter } from "./lambda-error.js";

/** A value as Lambda quotes it in a validation message. */
function shown(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** Lambda's message for one member that breaks a constraint. */
export function validationMessage(member: string, value: unknown, constraint: string): string {
  return `1 validation error detected: Value '${shown(value)}' at '${member}' failed to satisfy constraint: ${constraint}`;
}

/**
 * A request member that `schema` decides, whose every failure reads as
 * `message(value)`: one sentence about the whole member, never zod's own
 * wording about a part of it.
 */
export function requestMember<Schema extends z.ZodType>(
  schema: Schema,
  message: (value: unknown) => string,
) {
  return z.unknown().transform((value, context): z.output<Schema> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    context.addIssue({ code: "custom", message: message(value), input: value });
    return z.NEVER;
  });
}

/** A member with a Lambda constraint: `member` is its name in Lambda's messages ("memorySize"). */
export function constrainedMember<Schema extends z.ZodType>(
  schema: Schema,
  member: string,
  constraint: string,
) {
  return requestMember(schema, (value) => validationMessage(member, value, constraint));
}

/** An optional string member: "Description must be a string". */
export function stringMember(name: string) {
  return requestMember(z.string(), () => `${name} must be a string`).optional();
}

/** A string member the request must have: "Name is required". */
export function requiredStringMember(name: string) {
  return requestMember(z.string(), (value) =>
    value === undefined ? `${name} is required` : `${name} must be a string`,
  );
}

/** `input` checked against `schema`; the first problem is thrown as InvalidParameterValueException. */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidParameter(parsed.error.issues[0]?.message ?? "The request is not valid");
}

/** A JSON request body (none reads as {}): it must be a JSON object that `schema` accepts. */
export function parseJsonBody<Schema extends z.ZodType>(
  schema: Schema,
  body: Buffer,
): z.output<Schema> {
  const document = body.length === 0 ? {} : jsonDocument(body);
  if (!isPlainObject(document)) throw invalidParameter("The request body is not a JSON object");
  return parseRequest(schema, document);
}

/** Query parameters (the first value of each name) that `schema` accepts. */
export function parseQuery<Schema extends z.ZodType>(
  schema: Schema,
  query: URLSearchParams,
): z.output<Schema> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of query) parameters[name] ??= value;
  return parseRequest(schema, parameters);
}

/** The body parsed as JSON, or undefined when it is not JSON. */
export function jsonDocument(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}
