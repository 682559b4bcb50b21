/**
 * InvokeWithResponseStream (2021-11-15): POST /functions/{name}/response-streaming-invocations,
 * answered as an application/vnd.amazon.eventstream of PayloadChunk events as the function
 * writes and one InvokeComplete event. (Issue 17; to be written.)
 */
import type { Emulator } from "../emulator.js";
import type { DefineRoute } from "./lambda-api-server.js";

export function defineInvokeStreamRoutes(_route: DefineRoute, _emulator: Emulator): void {}
