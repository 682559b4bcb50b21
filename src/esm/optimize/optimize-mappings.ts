/**
 * `esm optimize` as a library call: check and default the options, read the
 * mappings (a template's, or a deployed function's), the traffic (given, or
 * CloudWatch's) and the function's speed, then search each mapping's settings
 * with the simulator. Rendering is the caller's.
 */
import { fieldName, type OptionName } from "../../options.js";
import type { EsmOptimizeOptionsInput } from "./optimize-options.js";
import type { EsmOptimizeResult } from "./optimize-result.js";

export interface EsmOptimizeIo {
  readonly stdin?: NodeJS.ReadableStream;
  /** The end of the CloudWatch window (default now). */
  readonly now?: Date;
  /** Progress for long work (CloudWatch reads, each mapping's search), one line each. */
  readonly onProgress?: (message: string) => void;
}

/** Throws a UsageError for a mistake in the options or the files they name, naming the option as `nameOf` does. */
export async function optimizeEventSourceMappings(
  _input: EsmOptimizeOptionsInput,
  _nameOf: OptionName = fieldName,
  _io: EsmOptimizeIo = {},
): Promise<EsmOptimizeResult> {
  throw new Error("optimizeEventSourceMappings: not built yet (issue 16, optimizer helper)");
}
