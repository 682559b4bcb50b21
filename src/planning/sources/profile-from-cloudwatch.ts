/**
 * `plan FUNCTION --aws`: CloudWatch's per-minute Invocations,
 * ConcurrentExecutions and Duration, and the function's configuration. STUB:
 * the planning-sources helper replaces this body.
 */

import type { LambdaSender } from "../../metrics/sources/aws-functions.js";
import type { CloudWatchSender } from "../../metrics/sources/cloudwatch-metrics.js";
import type { ObservedTraffic } from "../traffic-profile.js";

export interface ProfileFromCloudWatchOptions {
  readonly days: number;
  /** The end of the window (default: now). */
  readonly now?: Date;
  readonly onProgress?: (message: string) => void;
}

export async function profileFromCloudWatch(
  clients: { readonly cloudwatch: CloudWatchSender; readonly lambda: LambdaSender },
  functionName: string,
  options: ProfileFromCloudWatchOptions,
): Promise<ObservedTraffic> {
  void clients;
  throw new Error(`reading ${functionName} over ${options.days} days is not built yet`);
}
