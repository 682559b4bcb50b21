/**
 * `plan --logs FILE...`: REPORT lines turned into per-minute traffic. STUB:
 * the planning-sources helper replaces this body.
 */
import type { Readable } from "node:stream";
import type { ObservedTraffic } from "../traffic-profile.js";

export interface ProfileFromLogsOptions {
  /** Only this function's lines (else the one function the logs hold; several is an error). */
  readonly functionName?: string | undefined;
  /** Where "-" reads from. */
  readonly stdin?: Readable | undefined;
}

export async function profileFromLogFiles(
  files: readonly string[],
  options: ProfileFromLogsOptions = {},
): Promise<ObservedTraffic> {
  throw new Error(
    `reading ${files.length} log files into a profile is not built yet (${String(options.functionName)})`,
  );
}
