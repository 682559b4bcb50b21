/** PreludeSplitter: the HTTP metadata prelude of a streamed response, however the chunks fall. */
import { describe, expect, it } from "vitest";
import {
  type PreludePiece,
  PreludeSplitter,
} from "../../src/emulator/runtime-api/http-integration-prelude.js";

const NULLS = Buffer.alloc(8);
const metadata = { statusCode: 201, headers: { "content-type": "text/plain" }, cookies: ["a=1"] };
const stream = Buffer.concat([
  Buffer.from(JSON.stringify(metadata)),
  NULLS,
  Buffer.from("hello, "),
  Buffer.from("world"),
]);

/** The pieces, with body bytes joined: what a reader of the whole stream gets. */
function split(chunks: readonly Buffer[]): { prelude: unknown[]; body: string } {
  const splitter = new PreludeSplitter();
  const pieces: PreludePiece[] = [
    ...chunks.flatMap((chunk) => splitter.push(chunk)),
    ...splitter.end(),
  ];
  return {
    prelude: pieces.filter((piece) => piece.kind === "prelude").map((piece) => piece.prelude),
    body: Buffer.concat(
      pieces.flatMap((piece) => (piece.kind === "body" ? [piece.bytes] : [])),
    ).toString("utf8"),
  };
}

describe("PreludeSplitter", () => {
  it("finds the prelude in one chunk with the body", () => {
    expect(split([stream])).toEqual({ prelude: [metadata], body: "hello, world" });
  });

  it("finds it split anywhere, even inside the eight null bytes", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const parts = [stream.subarray(0, cut), stream.subarray(cut)];
      expect(split(parts), `cut at ${cut}`).toEqual({ prelude: [metadata], body: "hello, world" });
    }
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(split(bytes)).toEqual({ prelude: [metadata], body: "hello, world" });
  });

  it("keeps only the fields Function URLs read, of the right types", () => {
    const odd = Buffer.concat([
      Buffer.from(JSON.stringify({ statusCode: "200", headers: { n: 1 }, cookies: "x", other: 1 })),
      NULLS,
    ]);
    expect(split([odd])).toEqual({ prelude: [{ headers: { n: "1" } }], body: "" });
  });

  it("takes a stream whose prelude never ends, or is not JSON, as all body", () => {
    expect(split([Buffer.from("no prelude here")])).toEqual({
      prelude: [{}],
      body: "no prelude here",
    });
    expect(split([Buffer.concat([Buffer.from("{not json"), NULLS, Buffer.from("x")])])).toEqual({
      prelude: [{}],
      body: "x",
    });
  });
});
