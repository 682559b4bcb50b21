/**
 * The JSON the AWS CLI prints for `aws logs filter-log-events`
 * (`{"events":[{"logGroupName"?,"logStreamName","timestamp","message",...}],"searchedLogStreams":[...]}`)
 * and `aws logs get-log-events` (`{"events":[...],"nextForwardToken":...}`).
 * A week of a busy function is gigabytes, so the document is parsed as a
 * stream (stream-json) and only one event is ever held at a time.
 */

import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import type { ObservationSink } from "../observations.js";
import { readLogLine, resolveFunctionName } from "./log-lines.js";

/**
 * The response's top-level keys. A Lambda JSON log record also starts with
 * `{`, so the first key tells a CLI response from a log line: the CLI prints
 * the service's keys, and none of these is a key of a log record.
 */
const RESPONSE_KEYS = [
  "events",
  "searchedLogStreams",
  "nextToken",
  "nextForwardToken",
  "nextBackwardToken",
];
const FIRST_KEY = /^\s*\{\s*"([^"\\]*)"\s*:/;

/** True when the start of a file is a filter-log-events or get-log-events response. */
export function looksLikeLogEventsDocument(head: string): boolean {
  const firstKey = FIRST_KEY.exec(head.replace(/^\uFEFF/, ""))?.[1];
  return firstKey !== undefined && RESPONSE_KEYS.includes(firstKey);
}

export interface LogEventsOptions {
  /** `--function`: wins over the events' log groups. */
  readonly functionName?: string | undefined;
  /** The file the document came from: names the function when nothing else does. */
  readonly fileName: string;
}

/** Events read before the document broke off (a truncated or malformed file). */
export class LogEventsDocumentError extends Error {
  constructor(
    message: string,
    readonly eventsRead: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LogEventsDocumentError";
  }
}

/** Feed every event's message to the sink; resolves with the number of events read. */
export async function readLogEventsDocument(
  source: Readable,
  sink: ObservationSink,
  options: LogEventsOptions,
): Promise<number> {
  let events = 0;
  const functionNames = new Map<string, string>();
  const nameFor = (logGroupName: string | undefined): string => {
    const key = logGroupName ?? "";
    let name = functionNames.get(key);
    if (name === undefined) {
      name = resolveFunctionName({
        explicit: options.functionName,
        logGroupName,
        fileName: options.fileName,
      });
      functionNames.set(key, name);
    }
    return name;
  };
  try {
    await pipeline(
      source,
      parser.asStream(),
      pick.asStream({ filter: "events" }),
      streamArray.asStream(),
      async (items: AsyncIterable<{ value: unknown }>) => {
        for await (const { value } of items) {
          events += 1;
          const event = asLogEvent(value);
          if (!event) {
            sink.skipped(1);
            continue;
          }
          readLogLine(event.message, nameFor(event.logGroupName), sink, event.timestamp);
        }
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LogEventsDocumentError(
      `the JSON document ends early or is malformed: ${reason}`,
      events,
      {
        cause: error,
      },
    );
  }
  return events;
}

interface LogEvent {
  readonly message: string;
  readonly logGroupName?: string;
  /** Epoch milliseconds, as the Logs API gives every event. */
  readonly timestamp?: number;
}

function asLogEvent(value: unknown): LogEvent | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { message, logGroupName, timestamp } = value as Record<string, unknown>;
  if (typeof message !== "string") return undefined;
  return {
    message,
    ...(typeof logGroupName === "string" ? { logGroupName } : {}),
    ...(typeof timestamp === "number" ? { timestamp } : {}),
  };
}
