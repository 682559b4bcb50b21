/**
 * Argument completion (completion/complete): as a user types a rule id into a
 * resource's URI or a region into the prompt's arguments, the client asks for
 * the values that fit.
 *
 * The server answers it here, once for every prompt and resource template,
 * rather than through McpServer's own handler, which answers a reference it
 * does not know with an error. Completion only suggests: a name we do not
 * serve has nothing to suggest, so it gets an empty list, as does an argument
 * without a completer.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CompleteRequestSchema, type CompleteResult } from "@modelcontextprotocol/sdk/types.js";

/** The values that start with what was typed so far. */
export type Completer = (typed: string) => readonly string[];

/** What a prompt or a resource template completes, argument by argument. */
export type CompletionSource =
  | {
      readonly ref: { readonly type: "ref/prompt"; readonly name: string };
      readonly arguments: Readonly<Record<string, Completer>>;
    }
  | {
      readonly ref: { readonly type: "ref/resource"; readonly uri: string };
      readonly arguments: Readonly<Record<string, Completer>>;
    };

/** The most values one answer holds (the protocol's limit). */
const MAX_VALUES = 100;

export function offerCompletions(server: McpServer, sources: readonly CompletionSource[]): void {
  const byRef = new Map(sources.map((source) => [refKey(source.ref), source.arguments]));
  server.server.registerCapabilities({ completions: {} });
  server.server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const complete = byRef.get(refKey(request.params.ref))?.[request.params.argument.name];
    return completionResult(complete ? complete(request.params.argument.value) : []);
  });
}

/** The values among `values` that start with `typed` (case-insensitively), in their order. */
export function startingWith(values: readonly string[], typed: string): string[] {
  const prefix = typed.toLowerCase();
  return values.filter((value) => value.toLowerCase().startsWith(prefix));
}

function refKey(ref: { type: string; name?: string; uri?: string }): string {
  return `${ref.type} ${ref.type === "ref/prompt" ? ref.name : ref.uri}`;
}

function completionResult(values: readonly string[]): CompleteResult {
  return {
    completion: {
      values: values.slice(0, MAX_VALUES),
      total: values.length,
      hasMore: values.length > MAX_VALUES,
    },
  };
}
