/**
 * `plan --profile FILE`: a traffic profile as CSV or JSON lines. STUB: the
 * planning-sources helper replaces this body.
 */
import { UsageError } from "../../errors.js";
import type { ObservedTraffic } from "../traffic-profile.js";

/** A profile file that cannot be used; the message names the file, the line and what is wrong (exit 2). */
export class ProfileFileError extends UsageError {
  override readonly name: string = "ProfileFileError";
}

export async function readProfileFile(file: string): Promise<ObservedTraffic> {
  throw new ProfileFileError(`${file}: reading profiles is not built yet`);
}
