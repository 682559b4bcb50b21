/**
 * What a browser's EventSource makes of a streamed text/event-stream body
 * (the guide: stream model tokens as Server-Sent Events, which browsers read
 * natively). A handler that writes the wrong framing streams bytes that no
 * EventSource shows: raw JSON lines are fields it ignores, and an event with
 * no blank line after it is never dispatched. The body is parsed as the
 * WHATWG algorithm says, by eventsource-parser (the parser the MCP SDK's
 * client uses).
 */
import { createParser } from "eventsource-parser";
import { z } from "zod";

export const ServerSentEventsSchema = z.object({
  /** Events an EventSource dispatches (each with data; `event:` names and `id:`s do not count as more). */
  events: z.number().int().nonnegative(),
  /** Lines whose field is not data, event, id or retry (nor a `:` comment): an EventSource ignores them. */
  ignoredLines: z.number().int().nonnegative(),
  /** The first such line, as written (at most 120 characters); null when none. */
  firstIgnoredLine: z.string().nullable(),
  /** The body ends inside an event with data and no blank line after it: an EventSource drops that event. */
  lastEventUnterminated: z.boolean(),
});
export type ServerSentEvents = z.infer<typeof ServerSentEventsSchema>;

/** A line shown in a report: long JSON lines are cut. */
const SHOWN_LINE_CHARACTERS = 120;

export function checkServerSentEvents(body: string): ServerSentEvents {
  const read = parse(body);
  // Ended by a blank line, a pending event would be dispatched: one more means the body left one pending.
  const ended = parse(`${body}\n\n`);
  const line = read.firstIgnoredLine;
  return {
    events: read.events,
    ignoredLines: read.ignoredLines,
    firstIgnoredLine:
      line === null || line.length <= SHOWN_LINE_CHARACTERS
        ? line
        : `${line.slice(0, SHOWN_LINE_CHARACTERS)}…`,
    lastEventUnterminated: ended.events > read.events,
  };
}

function parse(body: string): Omit<ServerSentEvents, "lastEventUnterminated"> {
  let events = 0;
  let ignoredLines = 0;
  let firstIgnoredLine: string | null = null;
  const parser = createParser({
    onEvent: () => {
      events++;
    },
    onError: (error) => {
      if (error.type !== "unknown-field") return;
      ignoredLines++;
      firstIgnoredLine ??= error.line ?? `${error.field}:${error.value ?? ""}`;
    },
  });
  parser.feed(body);
  return { events, ignoredLines, firstIgnoredLine };
}

/** Whether a Content-Type is the event stream's (`text/event-stream; charset=utf-8` too). */
export function isEventStream(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*text\/event-stream\s*(;|$)/i.test(contentType);
}
