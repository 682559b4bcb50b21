/**
 * Back-pressure from an HTTP client to the function: when the socket will take no more for now
 * (write() answered false), the streamed answer waits until it drains, or until the client has
 * gone. The wait reaches the runtime's own request (readBody awaits it before reading on), so a
 * slow reader slows the handler's writes, as on Lambda, instead of the emulator holding up to
 * 200 MB in memory for it.
 */
import type { ServerResponse } from "node:http";

/** Write `bytes`; a promise when the caller should wait before writing more. */
export function writeWithBackPressure(
  response: ServerResponse,
  bytes: Buffer,
): Promise<void> | undefined {
  if (response.destroyed || response.writableEnded) return undefined;
  if (response.write(bytes)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}
