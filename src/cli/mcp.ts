/** `lambda-optimizer mcp`: every capability as MCP tools for coding agents, over stdio or Streamable HTTP. */
import { Command } from "commander";
import { DEFAULT_HTTP_PORT, McpOptionsSchema } from "../mcp/mcp-options.js";
import { flagName, parseOptions } from "../options.js";
import { numberOrText } from "./option-parsers.js";

interface McpFlags {
  http?: boolean;
  port?: string;
  allowWrite?: boolean;
}

export function mcpCommand(): Command {
  return new Command("mcp")
    .summary("serve every capability as MCP tools to a coding agent (stdio, or --http)")
    .description(
      "Serve lambda-optimizer over the Model Context Protocol, so a coding agent can measure,\n" +
        "audit, tune, price and plan Lambda functions with real numbers: the tools get_metrics,\n" +
        "audit, invoke_local, power_tune, compare_runs, estimate_cost, plan_billing,\n" +
        "plan_dynamodb_billing, esm_simulate and esm_optimize, the rules' docs and saved tuning\n" +
        "runs as resources, and the optimize-function prompt.\n\n" +
        "By default it speaks JSON-RPC on stdin and stdout, as MCP clients launch servers. The\n" +
        "server is read-only: a tool that would change a deployed function (power_tune on AWS,\n" +
        "apply) is refused unless the server was started with --allow-write. Runs on the local\n" +
        "emulator are always allowed. See docs/mcp.md for client configuration.",
    )
    .option("--http", "serve Streamable HTTP on 127.0.0.1 instead of stdio")
    .option("--port <n>", `the HTTP port (default ${DEFAULT_HTTP_PORT}; 0 picks a free one)`)
    .option("--allow-write", "let tools change deployed functions (power_tune on AWS, apply)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer mcp\n" +
        "  $ lambda-optimizer mcp --allow-write\n" +
        "  $ lambda-optimizer mcp --http --port 7311\n" +
        "\nA client's configuration (Claude Code, Cursor, VS Code and others take this shape):\n" +
        '  { "mcpServers": { "lambda-optimizer": { "command": "npx", "args": ["lambda-optimizer", "mcp"] } } }\n',
    )
    .action((flags: McpFlags) => runMcp(flags));
}

async function runMcp(flags: McpFlags): Promise<void> {
  const options = parseOptions(
    McpOptionsSchema,
    {
      http: flags.http === true,
      allowWrite: flags.allowWrite === true,
      ...(flags.port !== undefined ? { port: numberOrText(flags.port) } : {}),
    },
    flagName,
  );
  // Loaded here, not at the top: the MCP SDK takes about 175 ms to load, which every other
  // command would otherwise pay at start (plan's one-second budget among them).
  if (!options.http) {
    const { serveStdio } = await import("../mcp/stdio.js");
    await serveStdio({ allowWrite: options.allowWrite });
    return;
  }
  const { serveHttp } = await import("../mcp/http.js");
  const serving = await serveHttp({
    allowWrite: options.allowWrite,
    port: options.port ?? DEFAULT_HTTP_PORT,
  });
  process.stderr.write(
    `lambda-optimizer MCP server on ${serving.url} (Streamable HTTP, 127.0.0.1 only${options.allowWrite ? ", writes allowed" : ", read-only"}); Ctrl-C stops it\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => void serving.close().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
