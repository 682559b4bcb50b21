/**
 * CloudFormation's pseudo parameters (AWS::Region, AWS::AccountId, ...) with
 * the values a local run uses when the caller gives none. The account id is
 * the placeholder AWS documents and SAM CLI uses, so ARNs built from it look
 * real but can never reach a real account.
 */

export const DEFAULT_REGION = "us-east-1";
export const PLACEHOLDER_ACCOUNT_ID = "123456789012";
export const DEFAULT_STACK_NAME = "local";

/** Ref AWS::NoValue: the property it is the value of is removed. */
export const NO_VALUE_REF = "AWS::NoValue";

export interface PseudoParameterValues {
  readonly region?: string;
  readonly accountId?: string;
  readonly stackName?: string;
}

/** The partition and URL suffix follow the region, as they do in AWS. */
function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith("cn-")) return { partition: "aws-cn", urlSuffix: "amazonaws.com.cn" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", urlSuffix: "amazonaws.com" };
  return { partition: "aws", urlSuffix: "amazonaws.com" };
}

/** Every pseudo parameter except AWS::NoValue, which is not a value. */
export function pseudoParameters(values: PseudoParameterValues = {}): Record<string, unknown> {
  const region = values.region ?? DEFAULT_REGION;
  const accountId = values.accountId ?? PLACEHOLDER_ACCOUNT_ID;
  const stackName = values.stackName ?? DEFAULT_STACK_NAME;
  const { partition, urlSuffix } = partitionOf(region);
  return {
    "AWS::Region": region,
    "AWS::AccountId": accountId,
    "AWS::StackName": stackName,
    "AWS::StackId": `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    "AWS::Partition": partition,
    "AWS::URLSuffix": urlSuffix,
    "AWS::NotificationARNs": [],
  };
}
