/**
 * A template we cannot read or use. It is a UsageError so the CLI reports it
 * as bad input (exit 2, one line); the message names the file and, when we
 * know it, the line, so the user can go straight there.
 */
import { UsageError } from "../errors.js";

export interface TemplateLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export class TemplateError extends UsageError {
  override readonly name = "TemplateError";
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The message without its location, for reports that show the location apart. */
  readonly problem: string;

  constructor(location: TemplateLocation, problem: string) {
    super(`${formatLocation(location)}: ${problem}`);
    this.problem = problem;
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
  }
}

/** file, file:line or file:line:column, as compilers print them so editors can jump there. */
export function formatLocation({ file, line, column }: TemplateLocation): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}
