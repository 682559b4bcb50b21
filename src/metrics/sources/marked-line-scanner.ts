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
  /**
   * Offered a marked line's bytes (`block[start, end)`, without its line
   * break) before it is decoded: true when it was taken, and `marked` is not
   * called for it.
   */
  markedBytes?(block: Buffer, start: number, end: number): boolean;
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
  private readonly needles: readonly Needle[];
  private carry: Buffer | undefined;
  /** True while the rest of an over-long line is being thrown away. */
  private droppingLongLine = false;
  /** Start and end (its line feed, or the block's end) of every line holding a marker. */
  private starts: number[] = [];
  private ends: number[] = [];
  /** Where mergeLastRun writes, then swapped with starts and ends. */
  private mergedStarts: number[] = [];
  private mergedEnds: number[] = [];

  constructor(
    markers: readonly (string | AnchoredMarker)[],
    private readonly handlers: MarkedLineHandlers,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.needles = markers.map(needle);
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
    const count = this.findMarkedLines(block);
    const { starts, ends } = this;
    let tooLong = 0;
    for (let index = 0; index < count; index++) {
      const start = starts[index]!;
      let end = ends[index]!;
      if (end - start > this.maxLineBytes) {
        tooLong += 1;
        continue;
      }
      if (end > start && block[end - 1] === CARRIAGE_RETURN) end -= 1;
      if (this.handlers.markedBytes?.(block, start, end)) continue;
      this.handlers.marked(block.toString("utf8", start, end));
    }
    const unmarked = lineCount - blank - count + tooLong;
    if (unmarked > 0) this.handlers.unmarked(unmarked);
    this.lines += lineCount;
    this.blankLines += blank;
    this.bytes += block.length;
  }

  /**
   * Fill `starts` and `ends` with every line holding a marker, each once, in
   * order; returns how many. Each marker is found through its anchor, and
   * an anchor's hit counts only where the whole marker stands around it.
   */
  private findMarkedLines(block: Buffer): number {
    this.starts.length = 0;
    this.ends.length = 0;
    let runs = 0;
    for (const { bytes, anchor, anchorAt } of this.needles) {
      const { starts, ends } = this;
      const runStart = starts.length;
      let at = block.indexOf(anchor);
      while (at >= 0) {
        const markerAt = at - anchorAt;
        if (!(markerAt >= 0 && holds(block, markerAt, bytes))) {
          at = block.indexOf(anchor, at + 1);
          continue;
        }
        let start = markerAt;
        while (start > 0 && block[start - 1] !== LINE_FEED) start--;
        const end = block.indexOf(LINE_FEED, markerAt);
        starts.push(start);
        ends.push(end < 0 ? block.length : end);
        if (end < 0) break;
        at = block.indexOf(anchor, end + 1);
      }
      if (starts.length > runStart) {
        // Each marker's lines come in order: merge them into those found before.
        if (runs++ > 0) this.mergeLastRun(runStart);
      }
    }
    return this.starts.length;
  }

  /** Merge `[from, length)` of starts/ends into the ordered lines before it, each line once. */
  private mergeLastRun(from: number): void {
    const { starts, ends } = this;
    const mergedStarts = this.mergedStarts;
    const mergedEnds = this.mergedEnds;
    mergedStarts.length = 0;
    mergedEnds.length = 0;
    let left = 0;
    let right = from;
    while (left < from || right < starts.length) {
      let take: number;
      if (right >= starts.length) take = left++;
      else if (left >= from) take = right++;
      else if (starts[left]! < starts[right]!) take = left++;
      else if (starts[left]! > starts[right]!) take = right++;
      else {
        // The same line holds both markers.
        take = left++;
        right++;
      }
      mergedStarts.push(starts[take]!);
      mergedEnds.push(ends[take]!);
    }
    this.starts = mergedStarts;
    this.ends = mergedEnds;
    this.mergedStarts = starts;
    this.mergedEnds = ends;
  }
}

/**
 * A marker, and the part of it searched for: Buffer.indexOf looks for a
 * needle under 7 bytes with memchr on its first byte, several GB/s when that
 * byte is rare in the text, but for a longer one falls back to
 * Boyer-Moore-Horspool at about 4.5 GB/s whenever the first byte is common.
 * A short anchor with a rare first byte finds every marker (each holds it, at
 * the same place) at nearly memchr's speed; its other hits are checked and
 * dropped. Where the anchor sits changes the speed only, never what is found.
 */
export interface AnchoredMarker {
  readonly text: string;
  /** A part of `text` (its first occurrence there is the one searched for). */
  readonly anchor: string;
}

interface Needle {
  readonly bytes: Buffer;
  readonly anchor: Buffer;
  /** Where the anchor starts in the marker. */
  readonly anchorAt: number;
}

function needle(marker: string | AnchoredMarker): Needle {
  const text = typeof marker === "string" ? marker : marker.text;
  const bytes = Buffer.from(text, "utf8");
  if (typeof marker === "string") return { bytes, anchor: bytes, anchorAt: 0 };
  const anchor = Buffer.from(marker.anchor, "utf8");
  const anchorAt = bytes.indexOf(anchor);
  if (anchor.length === 0 || anchorAt < 0) {
    throw new Error(`marker anchor "${marker.anchor}" is not part of "${text}"`);
  }
  return { bytes, anchor, anchorAt };
}

function holds(block: Buffer, at: number, bytes: Buffer): boolean {
  if (at + bytes.length > block.length) return false;
  for (let index = 0; index < bytes.length; index++) {
    if (block[at + index] !== bytes[index]) return false;
  }
  return true;
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
