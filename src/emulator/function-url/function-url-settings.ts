/**
 * What a Function URL is configured with, as the Lambda API (Create/UpdateFunctionUrlConfig) and
 * templates (SAM's FunctionUrlConfig, AWS::Lambda::Url) say it: AuthType, InvokeMode and Cors,
 * under AWS's own member names. One zod schema checks both, with Lambda's validation messages.
 */
import { z } from "zod";
import { constrainedMember, requestMember } from "../request-validation.js";

export const AUTH_TYPES = ["NONE", "AWS_IAM"] as const;
export type AuthType = (typeof AUTH_TYPES)[number];
export const INVOKE_MODES = ["BUFFERED", "RESPONSE_STREAM"] as const;
export type InvokeMode = (typeof INVOKE_MODES)[number];

/** Lambda's Cors shape (API_Cors): every member optional. */
export interface FunctionUrlCors {
  readonly AllowCredentials?: boolean;
  readonly AllowHeaders?: readonly string[];
  readonly AllowMethods?: readonly string[];
  readonly AllowOrigins?: readonly string[];
  readonly ExposeHeaders?: readonly string[];
  readonly MaxAge?: number;
}

export interface FunctionUrlSettings {
  readonly authType: AuthType;
  readonly invokeMode: InvokeMode;
  readonly cors?: FunctionUrlCors;
}

const stringList = (member: string, maxItems: number, maxLength: number) =>
  constrainedMember(
    z.array(z.string().max(maxLength)).max(maxItems),
    member,
    `Member must be a list of at most ${maxItems} strings of at most ${maxLength} characters`,
  ).optional();

/** API_Cors's limits: 100 headers and origins, 6 methods of up to 6 characters, MaxAge 0..86400 s. */
export const CorsSchema = requestMember(
  z.looseObject({}),
  () =>
    "Cors must be an object: {AllowCredentials, AllowHeaders, AllowMethods, AllowOrigins, ExposeHeaders, MaxAge}",
).pipe(
  z
    .looseObject({
      AllowCredentials: requestMember(
        z.boolean(),
        () => "Cors.AllowCredentials must be true or false",
      ).optional(),
      AllowHeaders: stringList("cors.allowHeaders", 100, 1024),
      AllowMethods: stringList("cors.allowMethods", 6, 6),
      AllowOrigins: stringList("cors.allowOrigins", 100, 253),
      ExposeHeaders: stringList("cors.exposeHeaders", 100, 1024),
      MaxAge: constrainedMember(
        z.number().int().min(0).max(86_400),
        "cors.maxAge",
        "Member must have value between 0 and 86400",
      ).optional(),
    })
    .transform(
      ({ AllowCredentials, AllowHeaders, AllowMethods, AllowOrigins, ExposeHeaders, MaxAge }) =>
        dropUndefined({
          AllowCredentials,
          AllowHeaders,
          AllowMethods,
          AllowOrigins,
          ExposeHeaders,
          MaxAge,
        }) as FunctionUrlCors,
    ),
);

export const AuthTypeSchema = constrainedMember(
  z.enum(AUTH_TYPES),
  "authType",
  `Member must satisfy enum value set: [${AUTH_TYPES.join(", ")}]`,
);

export const InvokeModeSchema = constrainedMember(
  z.enum(INVOKE_MODES),
  "invokeMode",
  `Member must satisfy enum value set: [${INVOKE_MODES.join(", ")}]`,
);

function dropUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
