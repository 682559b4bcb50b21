/** Every code rule. Keep ids stable: users suppress and select rules by them. */
import type { CodeRule } from "../code/code-rule.js";
import { configInHandler } from "./config-in-handler.js";
import { dynamodbNoProjection } from "./dynamodb-no-projection.js";
import { dynamodbScan } from "./dynamodb-scan.js";
import { envReadInHandler } from "./env-read-in-handler.js";
import { eventLoggedWhole } from "./event-logged-whole.js";
import { initInHandler } from "./init-in-handler.js";
import { managedInstancesThreadSafety } from "./managed-instances-thread-safety.js";
import { metricsApiInHandler } from "./metrics-api-in-handler.js";
import { PACKAGE_RULES } from "./package-rules.js";
import { parseError } from "./parse-error.js";
import { powertoolsParametersTtl } from "./powertools-parameters-ttl.js";
import { powertoolsSuggest } from "./powertools-suggest.js";
import { s3ReadWhole } from "./s3-read-whole.js";
import { snapstartRestoreHook } from "./snapstart-restore-hook.js";
import { snapstartUniqueness } from "./snapstart-uniqueness.js";
import { streamingCandidate } from "./streaming-candidate.js";

export const CODE_RULES: readonly CodeRule[] = [
  initInHandler,
  configInHandler,
  powertoolsParametersTtl,
  snapstartUniqueness,
  snapstartRestoreHook,
  managedInstancesThreadSafety,
  dynamodbScan,
  dynamodbNoProjection,
  s3ReadWhole,
  metricsApiInHandler,
  envReadInHandler,
  eventLoggedWhole,
  streamingCandidate,
  powertoolsSuggest,
  ...PACKAGE_RULES,
  parseError,
];
