/**
 * The MCP server: every tool in tools/, the resources and the prompt, over
 * whichever transport the caller connects (stdio, Streamable HTTP, or an
 * in-memory pair in a test). One server serves one client session; the HTTP
 * transport makes one per session.
 *
 * Tools are listed and called here, once for all of them, rather than through
 * McpServer.registerTool: that would check arguments with the SDK's own zod
 * messages (a JSON dump of issues), where an agent should read one sentence
 * naming the argument, the value and what is allowed, as a CLI user does.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  type LoggingLevel,
  LoggingLevelSchema,
  McpError,
  SetLevelRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { describeFailure } from "../aws/failure-description.js";
import { UsageError } from "../errors.js";
import { fieldName, parseOptions } from "../options.js";
import { VERSION } from "../version.js";
import { offerCompletions } from "./completions.js";
import { registerPrompts } from "./prompts.js";
import { registerResources } from "./resources.js";
import type { McpTool, ToolContext } from "./tool.js";
import { TOOLS } from "./tools/index.js";

export interface McpServerOptions {
  /** Tools may change deployed functions (power_tune on AWS, apply). Default: read-only. */
  readonly allowWrite?: boolean;
  /** The tools to offer (default: all of them); a test may offer its own. */
  readonly tools?: readonly McpTool[];
}

const INSTRUCTIONS =
  "lambda-optimizer measures, audits, tunes and prices AWS Lambda functions, locally on an " +
  "embedded emulator (CPU in proportion to memory, as on Lambda) or on AWS. Follow the " +
  "optimize-function prompt: get_metrics, then audit, then power_tune, then estimate_cost. " +
  "Relative paths are read from the server's working folder.";

export function createMcpServer(options: McpServerOptions = {}): McpServer {
  const tools = options.tools ?? TOOLS;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const server = new McpServer(
    { name: "lambda-optimizer", title: "lambda-optimizer", version: VERSION },
    { capabilities: { tools: { listChanged: false }, logging: {} }, instructions: INSTRUCTIONS },
  );
  const listed = tools.map(describeTool);
  const levels = { current: "info" as LoggingLevel };

  server.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
  server.server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    levels.current = request.params.level;
    return {};
  });
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `unknown tool ${JSON.stringify(request.params.name)}: this server offers ${[...byName.keys()].join(", ")}`,
      );
    }
    const progressToken = extra._meta?.progressToken;
    const context: ToolContext = {
      allowWrite: options.allowWrite === true,
      signal: extra.signal,
      progress: async (progress, total, message) => {
        if (progressToken === undefined || extra.signal.aborted) return;
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken, progress, ...(total !== undefined ? { total } : {}), message },
        });
      },
      log: async (level, message) => {
        if (extra.signal.aborted || severity(level) < severity(levels.current)) return;
        await extra.sendNotification({
          method: "notifications/message",
          params: { level, logger: tool.name, data: message },
        });
      },
    };
    return callTool(tool, request.params.arguments ?? {}, context);
  });
  offerCompletions(server, [...registerResources(server), ...registerPrompts(server)]);
  return server;
}

/** Run one call; whatever goes wrong is an isError result, never a protocol error, and the server serves on. */
async function callTool(
  tool: McpTool,
  args: Record<string, unknown>,
  context: ToolContext,
): Promise<CallToolResult> {
  try {
    const input = parseOptions(tool.input, args, fieldName);
    const answer = await tool.run(input, context);
    return {
      content: [{ type: "text", text: answer.summary }],
      structuredContent: answer.structured as Record<string, unknown>,
    };
  } catch (error) {
    return { isError: true, content: [{ type: "text", text: describeToolError(tool, error) }] };
  }
}

/** One sentence: a mistake's own message, an AWS refusal by its exception, anything else by its message (no stack). */
function describeToolError(tool: McpTool, error: unknown): string {
  if (error instanceof UsageError) return error.message;
  return `${tool.name} failed: ${describeFailure(error)}`;
}

function describeTool(tool: McpTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, "input") as Tool["inputSchema"],
    outputSchema: jsonSchema(tool.output, "output") as NonNullable<Tool["outputSchema"]>,
    annotations: tool.annotations,
  };
}

/** The JSON Schema an MCP client reads: what a caller may send (input), what it gets back (output). */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}

const LEVELS = LoggingLevelSchema.options;
function severity(level: LoggingLevel): number {
  return LEVELS.indexOf(level);
}
