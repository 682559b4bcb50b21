/** The template rules about the services around Lambda: API Gateway, streaming, DynamoDB, event sources, IAM, SQS, SNS, EventBridge, Step Functions, S3. */
import type { AuditRule } from "../rule.js";
import { apiCacheGet } from "./api-cache-get.js";
import { apiHttpOverRest } from "./api-http-over-rest.js";
import { apiNoAccessLogs } from "./api-no-access-logs.js";
import { apiNoThrottling } from "./api-no-throttling.js";
import { apiRequestValidation } from "./api-request-validation.js";
import { dynamodbGsiProjectionAll } from "./dynamodb-gsi-projection-all.js";
import { dynamodbProvisionedNoAutoscaling } from "./dynamodb-provisioned-no-autoscaling.js";
import { esmConfig } from "./esm-config.js";
import { eventbridgeTargetNoDlq } from "./eventbridge-target-no-dlq.js";
import { iamStarAction } from "./iam-star-action.js";
import { s3NoLifecycle } from "./s3-no-lifecycle.js";
import { sfnNoTracing } from "./sfn-no-tracing.js";
import { snsSubscriptionNoRedrive } from "./sns-subscription-no-redrive.js";
import { sqsNoRedrive } from "./sqs-no-redrive.js";
import { streamingModeMismatch } from "./streaming-mode-mismatch.js";

export const SERVICE_RULES: readonly AuditRule[] = [
  apiHttpOverRest,
  apiCacheGet,
  apiRequestValidation,
  apiNoAccessLogs,
  apiNoThrottling,
  streamingModeMismatch,
  dynamodbProvisionedNoAutoscaling,
  dynamodbGsiProjectionAll,
  esmConfig,
  iamStarAction,
  sqsNoRedrive,
  snsSubscriptionNoRedrive,
  eventbridgeTargetNoDlq,
  sfnNoTracing,
  s3NoLifecycle,
];
