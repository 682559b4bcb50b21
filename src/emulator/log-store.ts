/**
 * Function logs kept on disk the way CloudWatch keeps them: one folder per
 * function (its log group), one file per day, one event per line (a
 * multi-line event keeps its line breaks as \r). `metrics --local` reads them.
 * Beside the day files, `function.json` records where the function's code is (its handler
 * path, runtime and code folder), so a log folder says which code it measured.
 */
import { createWriteStream, mkdirSync, type WriteStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionDefinition } from "./functions/function-definition.js";

export class LogStore {
  private readonly streams = new Map<string, WriteStream>();

  constructor(readonly folder: string) {}

  fileFor(functionName: string, day = new Date().toISOString().slice(0, 10)): string {
    return join(this.folder, functionName, `${day}.log`);
  }

  append(functionName: string, event: string, definition?: FunctionDefinition): void {
    const file = this.fileFor(functionName);
    let stream = this.streams.get(file);
    if (!stream) {
      mkdirSync(join(this.folder, functionName), { recursive: true });
      if (definition) this.record(functionName, definition);
      stream = createWriteStream(file, { flags: "a" });
      this.streams.set(file, stream);
    }
    stream.write(`${event.replaceAll("\n", "\r")}\n`);
  }

  /** The latest code a function's logs came from; a record that cannot be written costs only itself. */
  private record(functionName: string, definition: FunctionDefinition): void {
    const record = {
      name: definition.name,
      handler: definition.source ?? null,
      lambdaHandler: definition.handler,
      runtime: definition.runtime,
      codeDir: definition.codeDir,
      logicalId: definition.logicalId ?? null,
    };
    try {
      writeFileSync(
        join(this.folder, functionName, "function.json"),
        `${JSON.stringify(record, null, 2)}\n`,
      );
    } catch {
      // the logs themselves matter more than this description of them
    }
  }

  async close(): Promise<void> {
    const closing = [...this.streams.values()].map(
      (stream) => new Promise<void>((resolve) => stream.end(resolve)),
    );
    this.streams.clear();
    await Promise.all(closing);
  }
}
