/**
 * A typical event given inline (`payload`) or in a file (`payloadFile`):
 * read once, checked to be JSON, and labelled with where it came from, in the
 * caller's own names (`--payload-file events/sqs.json` on the command line,
 * `payloadFile events/sqs.json` for a library caller).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "./errors.js";
import { fieldName, type OptionName } from "./options.js";

export interface EventPayloadOptions {
  readonly payload?: string | undefined;
  readonly payloadFile?: string | undefined;
}

export interface EventPayload {
  /** The JSON text as given (`{}` when neither option is). */
  readonly text: string;
  /** Where it came from: "--payload", or "--payload-file events/sqs.json". */
  readonly source: string;
}

/** The payload given; a payloadFile is read relative to `folder` (default: the current one). */
export function readEventPayload(
  options: EventPayloadOptions,
  nameOf: OptionName = fieldName,
  folder = ".",
): EventPayload {
  const inline = nameOf(["payload"]);
  const fromFile = nameOf(["payloadFile"]);
  if (options.payload !== undefined && options.payloadFile !== undefined) {
    throw new UsageError(`give ${inline} or ${fromFile}, not both`);
  }
  let text = "{}";
  let source = inline;
  if (options.payload !== undefined) text = options.payload;
  if (options.payloadFile !== undefined) {
    source = `${fromFile} ${options.payloadFile}`;
    try {
      text = readFileSync(resolve(folder, options.payloadFile), "utf8");
    } catch (error) {
      throw new UsageError(
        `${source}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  return { text, source };
}
