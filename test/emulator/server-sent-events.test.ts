import { describe, expect, it } from "vitest";
import { checkServerSentEvents, isEventStream } from "../../src/emulator/server-sent-events.js";

describe("checkServerSentEvents: what a browser's EventSource makes of a body", () => {
  it("counts the events of the guide's framing, a comment and a named event among them", () => {
    const body =
      ': keep-alive\n\ndata: {"token":"Hi "}\n\nevent: usage\nid: 2\ndata: {"tokens":3}\n\ndata: [DONE]\n\n';
    expect(checkServerSentEvents(body)).toEqual({
      events: 3,
      ignoredLines: 0,
      firstIgnoredLine: null,
      lastEventUnterminated: false,
    });
  });

  it("reports raw JSON lines, which it ignores, and a last event with no blank line after it", () => {
    const body = '{"token":"Hi "}\n{"token":"there"}\ndata: [DONE]\n';
    expect(checkServerSentEvents(body)).toEqual({
      events: 0,
      ignoredLines: 2,
      firstIgnoredLine: '{"token":"Hi "}',
      lastEventUnterminated: true,
    });
  });

  it("takes CRLF line ends, and cuts a long ignored line to 120 characters", () => {
    expect(checkServerSentEvents("data: a\r\n\r\ndata: b\r\n\r\n").events).toBe(2);
    const long = `{"text":"${"x".repeat(200)}"}`;
    expect(checkServerSentEvents(`${long}\n\n`).firstIgnoredLine).toBe(`${long.slice(0, 120)}…`);
  });

  it("knows the event stream's Content-Type, parameters and case aside", () => {
    expect(isEventStream("text/event-stream")).toBe(true);
    expect(isEventStream("Text/Event-Stream; charset=utf-8")).toBe(true);
    expect(isEventStream("text/event-streams")).toBe(false);
    expect(isEventStream("application/json")).toBe(false);
    expect(isEventStream(undefined)).toBe(false);
  });
});
