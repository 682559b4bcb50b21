/**
 * Splits a byte stream into lines and decodes only the lines that contain one
 * of a few markers; the others are only counted. In a Lambda log most lines
 * are the function's own output, so this is what keeps parsing near the speed
 * of the disk: the markers are found with Buffer.indexOf (native substring
 * search) over whole chunks, never by a regex per line.
 *
 * Memory stays constant: a chunk is processed up to its last line break and
 * only the partial line after it is kept for the next chunk. A line longer
 * than maxLineBytes (CloudWatch caps an event at 256 KB; its length counts a
 * trailing \r, not the \n) is dropped and counted as one unmarked line rather
 * than buffered without end, wherever the chunks break: what a line counts as
 * depends on the line alone, so any split of the input at line starts (the
 * parallel reader's byte ranges) reads the same.
 */

export interface MarkedLineHandlers {
  /** A complete line that contains a marker, without its line break. */
  marked(line: string): void;
  /** How many non-blank lines without a marker the last chunk held. */
  unmarked(count: number): void;
}

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export class MarkedLineScanner {
  /** Lines seen so far, blank ones included. */
  lines = 0;
  /** Empty lines (or a lone \r) among them: no log event at all, so neither read nor skipped. */
  blankLines = 0;
  /** Bytes of the lines processed so far (a partial line still waiting is not counted). */
  bytes = 0;
  private readonly needles: readonly Buffer[];
  private carry: Buffer | undefined;
  /** True while the rest of an over-long line is being thrown away. */
  private droppingLongLine = false;

  constructor(
    markers: readonly string[],
    private readonly handlers: MarkedLineHandlers,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.needles = markers.map((marker) => Buffer.from(marker, "utf8"));
  }

  push(chunk: Buffer): void {
    let buffer = chunk;
    if (this.droppingLongLine) {
      const lineFeed = buffer.indexOf(LINE_FEED);
      if (lineFeed < 0) {
        this.bytes += buffer.length;
        return;
      }
      this.droppingLongLine = false;
      this.countDroppedLine(lineFeed + 1);
      buffer = buffer.subarray(lineFeed + 1);
    }
    if (this.carry) {
      // Finish the line the last chunk broke off; copying only that line, not the whole chunk.
      const lineFeed = buffer.indexOf(LINE_FEED);
      if (lineFeed < 0) {
        this.keep(Buffer.concat([this.carry, buffer]));
        return;
      }
      const line = Buffer.concat([this.carry, buffer.subarray(0, lineFeed + 1)]);
      this.carry = undefined;
      this.processLines(line);
      buffer = buffer.subarray(lineFeed + 1);
    }
    const lastLineFeed = buffer.lastIndexOf(LINE_FEED);
    if (lastLineFeed >= 0) this.processLines(buffer.subarray(0, lastLineFeed + 1));
    const rest = buffer.subarray(lastLineFeed + 1);
    // A copy, so the chunk it came from can be freed.
    if (rest.length > 0) this.keep(Buffer.from(rest));
  }

  private keep(partialLine: Buffer): void {
    if (partialLine.length > this.maxLineBytes) {
      this.carry = undefined;
      this.droppingLongLine = true;
      this.bytes += partialLine.length;
    } else {
      this.carry = partialLine;
    }
  }

  /** The input ended: a last line without a line break is still a line. */
  end(): void {
    if (this.droppingLongLine) {
      this.droppingLongLine = false;
      this.countDroppedLine(0);
    }
    if (this.carry) this.processLines(this.carry);
    this.carry = undefined;
  }

  /** The input broke off: a partial last line is not trusted (a cut REPORT would read wrong figures). */
  abandon(): { partialLineBytes: number } {
    const partialLineBytes = this.carry?.length ?? 0;
    this.carry = undefined;
    this.droppingLongLine = false;
    return { partialLineBytes };
  }

  private countDroppedLine(extraBytes: number): void {
    this.lines += 1;
    this.bytes += extraBytes;
    this.handlers.unmarked(1);
  }

  /** `block` starts at a line start and ends with a line feed, or is the last line of the input. */
  private processLines(block: Buffer): void {
    let { lines: lineCount, blank } = countLines(block);
    if (block[block.length - 1] !== LINE_FEED) {
      // The input's last line, without a line break: blank only if it is a lone \r.
      lineCount += 1;
      const lastStart = block.lastIndexOf(LINE_FEED) + 1;
      if (block.length - lastStart === 1 && block[lastStart] === CARRIAGE_RETURN) blank += 1;
    }
    const lineStarts = this.markedLineStarts(block);
    let tooLong = 0;
    for (const start of lineStarts) {
      let end = block.indexOf(LINE_FEED, start);
      if (end < 0) end = block.length;
      if (end - start > this.maxLineBytes) {
        tooLong += 1;
        continue;
      }
      if (end > start && block[end - 1] === CARRIAGE_RETURN) end -= 1;
      this.handlers.marked(block.toString("utf8", start, end));
    }
    const unmarked = lineCount - blank - lineStarts.length + tooLong;
    if (unmarked > 0) this.handlers.unmarked(unmarked);
    this.lines += lineCount;
    this.blankLines += blank;
    this.bytes += block.length;
  }

  /** The start of every line holding a marker, each once, in order. */
  private markedLineStarts(block: Buffer): number[] {
    const starts: number[] = [];
    for (const needle of this.needles) {
      let at = block.indexOf(needle);
      while (at >= 0) {
        const start = block.lastIndexOf(LINE_FEED, at) + 1;
        starts.push(start);
        const end = block.indexOf(LINE_FEED, at);
        if (end < 0) break;
        at = block.indexOf(needle, end + 1);
      }
    }
    if (this.needles.length === 1) return starts;
    starts.sort((a, b) => a - b);
    return starts.filter((start, index) => index === 0 || starts[index - 1] !== start);
  }
}

/** Line feeds, and the empty (or lone \r) lines they end, in one pass of native byte search. */
function countLines(block: Buffer): { lines: number; blank: number } {
  let lines = 0;
  let blank = 0;
  let previous = -1;
  let at = block.indexOf(LINE_FEED);
  while (at >= 0) {
    lines += 1;
    const length = at - previous - 1;
    if (length === 0 || (length === 1 && block[at - 1] === CARRIAGE_RETURN)) blank += 1;
    previous = at;
    at = block.indexOf(LINE_FEED, at + 1);
  }
  return { lines, blank };
}
