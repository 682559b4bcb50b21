import { describe, expect, it } from "vitest";
import { formatRuntimeDone, parseRuntimeDone } from "../../src/lambda/runtime-done.js";

describe("platform.runtimeDone", () => {
  it("reads the response's spans and bytes as Lambda writes them, a third span and all", () => {
    const line =
      '{"time":"2024-05-20T16:29:45.019Z","type":"platform.runtimeDone","record":{"requestId":"4b14","status":"success",' +
      '"spans":[{"name":"responseLatency","start":"2024-05-20T16:29:45.008Z","durationMs":2.215},' +
      '{"name":"responseDuration","start":"2024-05-20T16:29:45.010Z","durationMs":0.056},' +
      '{"name":"runtimeOverhead","start":"2024-05-20T16:29:45.010Z","durationMs":8.686}],' +
      '"metrics":{"durationMs":11.185,"producedBytes":40}}}';
    expect(parseRuntimeDone(line)).toEqual({
      requestId: "4b14",
      responseLatencyMs: 2.215,
      responseDurationMs: 0.056,
      producedBytes: 40,
    });
  });

  it("keeps only the figures present, and passes over events without any", () => {
    const event = (record: object) =>
      JSON.stringify({ time: "2026-01-01T00:00:00Z", type: "platform.runtimeDone", record });
    expect(parseRuntimeDone(event({ requestId: "a", metrics: { producedBytes: 7 } }))).toEqual({
      requestId: "a",
      producedBytes: 7,
    });
    // An error before any byte: no spans, no bytes.
    expect(parseRuntimeDone(event({ requestId: "b", status: "error" }))).toBeUndefined();
    expect(
      parseRuntimeDone(event({ requestId: "c", metrics: { producedBytes: -1 } })),
    ).toBeUndefined();
    expect(
      parseRuntimeDone('{"type":"platform.report","record":{"requestId":"d"}}'),
    ).toBeUndefined();
    expect(parseRuntimeDone("{not json")).toBeUndefined();
  });

  it("writes the spans from the phase's start and from the first byte, and reads them back", () => {
    const line = formatRuntimeDone(
      {
        requestId: "r1",
        status: "success",
        durationMs: 130,
        startedAt: new Date("2026-11-28T10:00:00.000Z"),
        response: { latencyMs: 20, durationMs: 100 },
        producedBytes: 512,
      },
      new Date("2026-11-28T10:00:00.130Z"),
    );
    const event = JSON.parse(line);
    expect(event.record.spans).toEqual([
      { name: "responseLatency", start: "2026-11-28T10:00:00.000Z", durationMs: 20 },
      { name: "responseDuration", start: "2026-11-28T10:00:00.020Z", durationMs: 100 },
    ]);
    expect(event.record.metrics).toEqual({ durationMs: 130, producedBytes: 512 });
    expect(parseRuntimeDone(line)).toEqual({
      requestId: "r1",
      responseLatencyMs: 20,
      responseDurationMs: 100,
      producedBytes: 512,
    });
  });
});
