/**
 * Function logs kept on disk the way CloudWatch keeps them: one folder per
 * function (its log group), one file per day, one event per line (a
 * multi-line event keeps its line breaks as \r). `metrics --local` reads them.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";

export class LogStore {
  private readonly streams = new Map<string, WriteStream>();

  constructor(readonly folder: string) {}

  fileFor(functionName: string, day = new Date().toISOString().slice(0, 10)): string {
    return join(this.folder, functionName, `${day}.log`);
  }

  append(functionName: string, event: string): void {
    const file = this.fileFor(functionName);
    let stream = this.streams.get(file);
    if (!stream) {
      mkdirSync(join(this.folder, functionName), { recursive: true });
      stream = createWriteStream(file, { flags: "a" });
      this.streams.set(file, stream);
    }
    stream.write(`${event.replaceAll("\n", "\r")}\n`);
  }

  async close(): Promise<void> {
    const closing = [...this.streams.values()].map(
      (stream) => new Promise<void>((resolve) => stream.end(resolve)),
    );
    this.streams.clear();
    await Promise.all(closing);
  }
}
