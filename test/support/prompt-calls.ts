/** The tool calls the optimize-function prompt writes, read back as an agent reads them. */

/** What an agent puts in place of each `<placeholder>`, by argument name. */
export const FILLED: Record<string, unknown> = {
  payload: { latencyMs: 60 },
  memoryMb: 512,
  durationMs: 80,
  invocations: 2_000_000,
  architecture: "arm64",
  trafficFile: "traffic.csv",
  runtime: "nodejs22.x",
};

export interface PromptCall {
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

/** Every "`tool` with `{json}`" in the prompt's text, in order, its placeholders filled from `filled`. */
export function callsIn(text: string, filled: Record<string, unknown> = FILLED): PromptCall[] {
  return [...text.matchAll(/`([a-z_]+)` with `(\{.*?\})`(?=[\s.,)]|$)/gm)].map((match) => ({
    tool: match[1]!,
    args: Object.fromEntries(
      Object.entries(JSON.parse(match[2]!) as Record<string, unknown>).map(([name, value]) => [
        name,
        typeof value === "string" && value.startsWith("<") ? filled[name] : value,
      ]),
    ),
  }));
}
