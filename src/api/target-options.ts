/**
 * The function a tune runs against, as a library or MCP caller gives it. One
 * of three keys says which:
 *
 * - `{ handler: "src/app.mjs:handler" }`: a handler file, run on a fresh
 *   embedded emulator on this machine;
 * - `{ template: "template.yaml", function: "Orders" }`: a SAM or
 *   CloudFormation template's function on the embedded emulator (`function`,
 *   its logical id or FunctionName, may be left out when it has only one);
 * - `{ functionName: "orders" }` or `{ functionName: "arn:aws:lambda:..." }`:
 *   a deployed function, tuned through the Lambda API of AWS (or of
 *   `endpointUrl`: `lambda-optimizer emulate`, LocalStack).
 *
 * Beside it, `region` (a local run prices with it; a deployed function's
 * defaults to its ARN's, then AWS_REGION), and the options of one kind only:
 * `profile` and `endpointUrl` for a deployed function; `sandbox`, `awsAccess`
 * and `env` for a local one. Giving an option to the wrong kind is a mistake,
 * not something silently ignored.
 */
import { z } from "zod";
import { formatFunctionArn, parseFunctionArn } from "../aws/arn.js";
import { environmentRegion } from "../aws/environment-region.js";
import {
  type FunctionAwsAccess,
  FunctionAwsAccessSchema,
  NO_AWS_ACCESS,
} from "../emulator/function-aws-access.js";
import {
  type EnvironmentOverrides,
  EnvironmentOverridesSchema,
} from "../emulator/functions/environment-overrides.js";
import type { LocalFunctionSource } from "../emulator/functions/local-function.js";
import { ForcedMechanismSchema } from "../emulator/sandbox/mechanism-choice.js";
import type { ForcedMechanism } from "../emulator/sandbox/types.js";

/** The region a local run prices with when none is given. */
export const LOCAL_REGION = "us-east-1";

const text = (allowed: string) =>
  z.string({ error: `expected ${allowed}` }).min(1, `expected ${allowed}`);

const TargetFields = z.strictObject({
  /** A handler file and its export, run on the embedded emulator: "src/app.mjs:handler". */
  handler: text("a handler file and export such as app.mjs:handler").optional(),
  /** A SAM or CloudFormation template whose function runs on the embedded emulator. */
  template: text("a SAM or CloudFormation template file").optional(),
  /** With `template`: the function's logical id or FunctionName (optional when it has only one). */
  function: text("a function's logical id or FunctionName").optional(),
  /** A deployed function: its name, or its ARN in any partition (a version or alias in it is left out). */
  functionName: text("a deployed function's name or ARN").optional(),
  /** A deployed function's region (default: its ARN's, then AWS_REGION); a local run's prices (default us-east-1). */
  region: text("an AWS region such as eu-west-1").optional(),
  /** A deployed function: the profile from your AWS config and credentials files. */
  profile: text("a profile name from your AWS config files").optional(),
  /** A deployed function: another Lambda API than AWS's (`lambda-optimizer emulate`, LocalStack). */
  endpointUrl: z
    .url({
      protocol: /^https?$/,
      error: "expected an http:// or https:// URL such as http://127.0.0.1:9001",
    })
    .optional(),
  /** A local function: how CPU and memory are limited (default: cgroup where this process may create one). */
  sandbox: ForcedMechanismSchema.optional(),
  /** A local function: which AWS it may reach (default: none, with no credentials). */
  awsAccess: FunctionAwsAccessSchema.optional(),
  /** A local function: environment variables set over its own (values known once deployed, settings to try). */
  env: EnvironmentOverridesSchema.optional(),
});

type TargetFields = z.output<typeof TargetFields>;

/** The target, checked: a local function (handler or template) or a deployed one. */
export type TargetOptions = LocalTargetOptions | AwsTargetOptions;

export interface LocalTargetOptions {
  readonly kind: "local";
  readonly source: LocalFunctionSource;
  readonly region: string;
  readonly sandbox?: ForcedMechanism;
  readonly awsAccess: FunctionAwsAccess;
  readonly env: EnvironmentOverrides;
}

export interface AwsTargetOptions {
  readonly kind: "aws";
  /** The name, or the function's unqualified ARN: a version or alias cannot change, so the function itself is tuned. */
  readonly functionName: string;
  readonly region: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

const ARN_FORM = "arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]";

export const TargetOptionsSchema = TargetFields.superRefine((target, context) => {
  const problem = (message: string) => context.addIssue({ code: "custom", message });
  const kinds = (["handler", "template", "functionName"] as const).filter(
    (key) => target[key] !== undefined,
  );
  if (kinds.length === 0)
    return problem(
      "give the function to tune: {target.handler}, {target.template} or {target.functionName}",
    );
  if (target.template !== undefined && target.functionName !== undefined)
    return problem(
      "{target.template} runs on the embedded emulator: leave out {target.functionName}",
    );
  if (kinds.length > 1)
    return problem(`give {target.${kinds[0]}} or {target.${kinds[1]}}, not both`);
  if (target.function !== undefined && target.template === undefined)
    return problem("{target.function} names a function in {target.template}: give the template");

  if (target.functionName === undefined) {
    if (target.endpointUrl !== undefined)
      return problem(
        "{target.endpointUrl} goes with {target.functionName} (a deployed function); for the function's own AWS calls on the emulator: {target.awsAccess.endpointUrl}",
      );
    if (target.profile !== undefined)
      return problem("{target.profile} goes with {target.functionName} (a deployed function)");
    return;
  }
  const localOnly = localOnlyOptionGiven(target);
  if (localOnly)
    return problem(
      `{target.${localOnly}} is for functions on the embedded emulator: a deployed function keeps its own configuration`,
    );
  const arn = parseFunctionArn(target.functionName);
  if (target.functionName.startsWith("arn:") && !arn)
    return problem(`${target.functionName} is not a Lambda function ARN (${ARN_FORM})`);
  if (deployedRegion(target) === undefined)
    return problem("{target.region} is needed: the target is not an ARN and AWS_REGION is not set");
}).transform((target): TargetOptions => {
  if (target.functionName !== undefined) {
    const arn = parseFunctionArn(target.functionName);
    return {
      kind: "aws",
      functionName: arn ? formatFunctionArn({ ...arn, qualifier: undefined }) : target.functionName,
      region: deployedRegion(target) as string,
      ...(target.profile !== undefined ? { profile: target.profile } : {}),
      ...(target.endpointUrl !== undefined ? { endpointUrl: target.endpointUrl } : {}),
    };
  }
  return {
    kind: "local",
    source:
      target.handler !== undefined
        ? { handler: target.handler }
        : {
            template: target.template as string,
            ...(target.function !== undefined ? { function: target.function } : {}),
          },
    region: target.region ?? LOCAL_REGION,
    ...(target.sandbox !== undefined ? { sandbox: target.sandbox } : {}),
    awsAccess: target.awsAccess ?? NO_AWS_ACCESS,
    env: target.env ?? {},
  };
});

export type TargetOptionsInput = z.input<typeof TargetOptionsSchema>;

/** The first option given that only a local function has (a deployed one keeps its own configuration). */
function localOnlyOptionGiven(target: TargetFields): string | undefined {
  if (target.awsAccess?.endpointUrl !== undefined) return "awsAccess.endpointUrl";
  if (target.awsAccess?.passCredentials === true) return "awsAccess.passCredentials";
  if (target.env !== undefined) return "env";
  if (target.sandbox !== undefined) return "sandbox";
  return undefined;
}

/** The option's, else the ARN's, else the environment's (as the AWS SDK would find it). */
function deployedRegion(target: TargetFields): string | undefined {
  const arn = target.functionName === undefined ? undefined : parseFunctionArn(target.functionName);
  return target.region ?? arn?.region ?? environmentRegion();
}
