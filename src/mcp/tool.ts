/**
 * What every MCP tool is: a name, a description that teaches an agent when to
 * call it, the library's zod schemas for its input and output, and a run that
 * calls the library. The server (server.ts) does the rest once for all tools:
 * it lists them with JSON Schemas made from the zod schemas, checks arguments
 * through parseOptions (a mistake is one sentence naming the argument), and
 * turns any failure into an `isError` result, so the server keeps serving.
 */
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { UsageError } from "../errors.js";

/** What a tool's run may use besides its input. */
export interface ToolContext {
  /** The server was started with --allow-write: a tool may change a deployed function. */
  readonly allowWrite: boolean;
  /** Aborted when the client cancels the call (notifications/cancelled) or the server stops. */
  readonly signal: AbortSignal;
  /**
   * Tell the client how far the call has come, when it asked to be told (a
   * progressToken); a no-op otherwise. `total` is left out where unknown.
   */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
  /** A line a person should know (a warning, the emulator fetching a runtime), as an MCP log message. */
  log(level: "info" | "warning", message: string): Promise<void>;
}

/** A tool's answer: the structured result (checked against its output schema) and a short summary for the agent to read. */
export interface ToolAnswer<Output> {
  readonly structured: Output;
  readonly summary: string;
}

export interface McpTool<
  Input extends z.ZodType = z.ZodType,
  Output extends z.ZodType = z.ZodType,
> {
  readonly name: string;
  readonly title: string;
  /** When an agent should call it, what it needs, what it returns. */
  readonly description: string;
  /** The library's options schema (strict: an unknown argument is refused with the closest name). */
  readonly input: Input;
  /** The shape of `structuredContent`: a JSON object. */
  readonly output: Output;
  readonly annotations: ToolAnnotations;
  run(input: z.output<Input>, context: ToolContext): Promise<ToolAnswer<z.output<Output>>>;
}

/** Typed at the definition, erased in the server's list. */
export function defineTool<Input extends z.ZodType, Output extends z.ZodType>(
  tool: McpTool<Input, Output>,
): McpTool {
  return tool as unknown as McpTool;
}

/**
 * Refuse a change to a deployed function unless the server allows writes.
 * `what` says what would change: "tuning a deployed function changes its memory while it runs".
 */
export function requireWrite(context: ToolContext, what: string): void {
  if (context.allowWrite) return;
  throw new UsageError(
    `${what}, and this server is read-only: start it with --allow-write (lambda-optimizer mcp --allow-write) to allow changes to deployed functions`,
  );
}
