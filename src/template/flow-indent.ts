/**
 * PyYAML — what SAM CLI and cfn-lint read templates with — accepts a flow
 * collection (`[ ... ]`, `{ ... }`) in a block mapping whose continuation
 * lines are indented no deeper than the key that holds it:
 *
 *     Policies: [
 *       "AWSLambdaBasicExecutionRole",
 *     "AmazonS3ReadOnlyAccess" ]
 *
 * The YAML spec, and the `yaml` package after it, end the collection at the
 * first line indented less than its parent needs, and no parser option
 * changes that. Inside a flow collection indentation means nothing, so the
 * line is indented just enough and the document parsed again: the values
 * are PyYAML's, and every line keeps its number (only columns on the
 * re-indented lines shift).
 */
import type { YAMLError } from "yaml";

/** The yaml package's error for a flow collection ended by a line indented too little. */
export function isLooseFlowIndent(error: YAMLError): boolean {
  return (
    error.code === "BAD_INDENT" &&
    /^Flow (sequence|map|mapping) in block collection must be sufficiently indented/.test(
      error.message,
    )
  );
}

/**
 * The text with the line the error points at indented one column past the
 * block node that holds the collection (the previous line's content, after
 * its `- ` markers), or `extra` columns further when that was not enough.
 * Undefined when the error has no line to re-indent.
 */
export function reindentFlowLine(
  text: string,
  error: YAMLError,
  extra: number,
): string | undefined {
  const lineNumber = error.linePos?.[0]?.line;
  if (lineNumber === undefined) return undefined;
  const lines = text.split("\n");
  const index = lineNumber - 1;
  const line = lines[index];
  if (line === undefined) return undefined;
  const previous = previousContentLine(lines, index);
  if (previous === undefined) return undefined;
  const current = indentOf(line);
  const wanted = Math.max(current, blockColumnOf(previous) + 1) + extra;
  if (wanted === current) return undefined;
  lines[index] = " ".repeat(wanted - current) + line.slice(current);
  return lines.join("\n");
}

function previousContentLine(lines: readonly string[], index: number): string | undefined {
  for (let at = index - 1; at >= 0; at--) {
    const trimmed = lines[at]!.trim();
    if (trimmed !== "" && !trimmed.startsWith("#")) return lines[at];
  }
  return undefined;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Where a line's block content starts: past its indentation and any `- ` sequence markers. */
function blockColumnOf(line: string): number {
  return /^(?:\s*-\s+)*\s*/.exec(line)![0].length;
}

/** Bounds the re-parses: a real template has a handful of such lines, a hostile one is refused. */
export const MAX_FLOW_REINDENTS = 500;
