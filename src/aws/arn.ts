/**
 * Amazon Resource Names, in every partition: `aws`, `aws-cn` (China) and
 * `aws-us-gov` (GovCloud) write the same fields after a different second
 * word, so an ARN is read and written here, never with a pattern that
 * assumes `arn:aws:`.
 */

/** The fields every ARN has: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global services (IAM, S3 buckets). */
  readonly region: string;
  /** 12 digits; empty for S3 buckets, `aws` for AWS managed policies. */
  readonly accountId: string;
  /** Everything after the account, colons included (`function:name:live`, `table/t/stream/...`). */
  readonly resource: string;
}

/** A Lambda function ARN, with the version or alias split off the name. */
export interface FunctionArn {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly functionName: string;
  /** A version number, `$LATEST` or an alias name; absent for the function itself. */
  readonly qualifier?: string;
}

const ARN = /^arn:(aws[a-zA-Z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

/** The limits Lambda's API puts on a function name and a qualifier. */
const FUNCTION_RESOURCE = /^function:([a-zA-Z0-9-_]{1,64})(?::([a-zA-Z0-9-_$]+))?$/;

/** The fields of an ARN, or undefined when the text is not one. */
export function parseArn(text: string): Arn | undefined {
  const match = ARN.exec(text);
  if (!match) return undefined;
  return {
    partition: match[1]!,
    service: match[2]!,
    region: match[3]!,
    accountId: match[4] ?? "",
    resource: match[5]!,
  };
}

/** A Lambda function ARN (qualified or not), or undefined when the text is not one. */
export function parseFunctionArn(text: string): FunctionArn | undefined {
  const arn = parseArn(text);
  if (arn?.service !== "lambda" || !arn.region || !arn.accountId) return undefined;
  const resource = FUNCTION_RESOURCE.exec(arn.resource);
  if (!resource) return undefined;
  const fields = {
    partition: arn.partition,
    region: arn.region,
    accountId: arn.accountId,
    functionName: resource[1]!,
  };
  return resource[2] === undefined ? fields : { ...fields, qualifier: resource[2] };
}

/**
 * The function's name in any form Lambda's FunctionName accepts: a name, `name:qualifier`, a
 * partial ARN `123456789012:function:name[:qualifier]` or a full ARN of any partition. The
 * qualifier (version or alias) is not part of the name.
 */
export function functionNameOf(reference: string): string {
  if (reference.startsWith("arn:")) return parseFunctionArn(reference)?.functionName ?? reference;
  const parts = reference.split(":");
  return parts[1] === "function" && parts[2] !== undefined ? parts[2] : parts[0]!;
}

/** The ARN of a function, or of one of its versions or aliases when a qualifier is given. */
export function formatFunctionArn(arn: FunctionArn): string {
  const base = `arn:${arn.partition}:lambda:${arn.region}:${arn.accountId}:function:${arn.functionName}`;
  return arn.qualifier ? `${base}:${arn.qualifier}` : base;
}

/**
 * The partition a region belongs to: China's regions start `cn-`, GovCloud's
 * `us-gov-`; every other public region is in `aws`.
 */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
