/**
 * A deployed SQS queue's attributes that shape how Lambda retries its
 * messages, through the real SQS client: GetQueueUrl (by the name and owner
 * in the queue's ARN), then GetQueueAttributes. A queue that cannot be read
 * (another account's, no permission) is undefined: the caller takes SQS's
 * defaults and says so.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { parseArn } from "../../aws/arn.js";
import { type AwsConnection, clientConfig } from "../../aws/client-config.js";
import { isThrottling } from "../../aws/is-throttling.js";

export interface QueueAttributes {
  readonly visibilityTimeoutSeconds: number | undefined;
  readonly maxReceiveCount: number | undefined;
  readonly retentionSeconds: number | undefined;
  readonly fifo: boolean;
}

export function createSqsClient(connection: AwsConnection): SQSClient {
  return new SQSClient(clientConfig(connection));
}

export async function queueAttributes(
  sqs: Pick<SQSClient, "send">,
  arn: string,
): Promise<QueueAttributes | undefined> {
  const parsed = parseArn(arn);
  if (parsed === undefined) return undefined;
  try {
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({
        QueueName: parsed.resource,
        QueueOwnerAWSAccountId: parsed.accountId,
      }),
    );
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: [
          "VisibilityTimeout",
          "RedrivePolicy",
          "MessageRetentionPeriod",
          "FifoQueue",
        ],
      }),
    );
    const number = (value: string | undefined) =>
      value === undefined || value.trim() === "" || !Number.isFinite(Number(value))
        ? undefined
        : Number(value);
    let maxReceiveCount: number | undefined;
    if (Attributes.RedrivePolicy) {
      try {
        maxReceiveCount = number(String(JSON.parse(Attributes.RedrivePolicy).maxReceiveCount));
      } catch {
        maxReceiveCount = undefined;
      }
    }
    return {
      visibilityTimeoutSeconds: number(Attributes.VisibilityTimeout),
      maxReceiveCount,
      retentionSeconds: number(Attributes.MessageRetentionPeriod),
      fifo: Attributes.FifoQueue === "true",
    };
  } catch (error) {
    if (isThrottling(error)) throw error;
    return undefined;
  }
}
