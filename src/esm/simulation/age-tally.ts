/**
 * The ages of processed records (arrival to the start of the invocation that
 * processed them), tallied without keeping one number per record: a batch
 * adds its records as a range of ages spread evenly between its newest and
 * oldest record, into logarithmic bins 1% wide. The range is tallied exactly,
 * in constant work: its two end bins get their share directly, and the bins
 * between get the range's density (records per second of age) through a
 * difference array, turned into records by each bin's width when read.
 * Percentiles are read from the bins (within 1%); the mean and the maximum
 * are exact.
 */
const SMALLEST_SECONDS = 0.001;
const RATIO = 1.01;
const LOG_RATIO = Math.log(RATIO);
/** Bins up to about 10^7 s (116 days), beyond any retention. */
const BINS = Math.ceil(Math.log(1e7 / SMALLEST_SECONDS) / LOG_RATIO) + 2;

export class AgeTally {
  private readonly weights = new Float64Array(BINS);
  /** Records per second of age, as a difference array: bins from b on gain densityChange[b]. */
  private readonly densityChange = new Float64Array(BINS + 1);
  private densityPending = false;
  private total = 0;
  private sum = 0;
  private largest = 0;

  get count(): number {
    return this.total;
  }

  get meanSeconds(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get maxSeconds(): number {
    return this.largest;
  }

  /** `records` records whose ages spread evenly from `youngest` to `oldest` seconds. */
  add(records: number, youngest: number, oldest: number): void {
    if (records <= 0) return;
    const low = Math.max(youngest, 0);
    const high = Math.max(oldest, low);
    this.total += records;
    this.sum += (records * (low + high)) / 2;
    if (high > this.largest) this.largest = high;
    if (records === 1) {
      this.weights[binOf((low + high) / 2)]! += 1;
      return;
    }
    const first = binOf(low);
    const last = binOf(high);
    if (first === last) {
      this.weights[first]! += records;
      return;
    }
    const density = records / (high - low);
    this.weights[first]! += density * (EDGES[first + 1]! - low);
    this.weights[last]! += density * (high - EDGES[last]!);
    if (last > first + 1) {
      this.densityChange[first + 1]! += density;
      this.densityChange[last]! -= density;
      this.densityPending = true;
    }
  }

  /** Turns the pending density into records in each bin it covers. */
  private settleDensity(): void {
    if (!this.densityPending) return;
    let density = 0;
    for (let bin = 0; bin < BINS; bin++) {
      density += this.densityChange[bin]!;
      if (density !== 0) this.weights[bin]! += density * (EDGES[bin + 1]! - EDGES[bin]!);
    }
    this.densityChange.fill(0);
    this.densityPending = false;
  }

  /** The age below which a share `p` (0–1) of the records fall. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    this.settleDensity();
    const target = p * this.total;
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      const weight = this.weights[bin]!;
      if (weight > 0 && seen + weight >= target) {
        const within = (target - seen) / weight;
        const low = EDGES[bin]!;
        const high = Math.min(EDGES[bin + 1]!, this.largest);
        return Math.min(this.largest, low + (Math.max(high, low) - low) * within);
      }
      seen += weight;
    }
    return this.largest;
  }
}

/** The bin of an age, as the logarithm says (the reference the table below must agree with). */
export function binByLog(seconds: number): number {
  if (seconds < SMALLEST_SECONDS) return 0;
  const bin = Math.floor(Math.log(seconds / SMALLEST_SECONDS) / LOG_RATIO) + 1;
  return Math.min(bin, BINS - 1);
}

/** EDGES[bin] is the bin's lower edge; EDGES[BINS] closes the last. */
export const EDGES = Float64Array.from({ length: BINS + 1 }, (_, bin) =>
  bin === 0 ? 0 : SMALLEST_SECONDS * RATIO ** (bin - 1),
);

/**
 * binOf is called a few times per invocation (tens of millions in a day), and Math.log is
 * most of its cost. A float's exponent and top mantissa bits locate it within 2^-12 (0.025%),
 * finer than a bin (1%): a table from those bits gives the bin at the cell's lower end, and
 * one or two comparisons with the bin edges finish. Within a hair of an edge, where the
 * logarithm's rounding decides, the logarithm is asked, so the bins are exactly those it gives.
 */
const MANTISSA_BITS = 12;
const CELL_SHIFT = 20 - MANTISSA_BITS;
const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);
/** The little- or big-endian index of the word holding sign, exponent and top mantissa bits. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const highBitsOf = (seconds: number): number => {
  FLOAT[0] = seconds;
  return WORDS[HIGH]! >>> CELL_SHIFT;
};
const FIRST_CELL = highBitsOf(SMALLEST_SECONDS);
const LAST_CELL = highBitsOf(EDGES[BINS - 1]!);
const EDGE_HAIR = 1e-9;
const valueOfCell = (cell: number): number => {
  WORDS[HIGH] = cell << CELL_SHIFT;
  WORDS[1 - HIGH] = 0;
  return FLOAT[0]!;
};
/**
 * CELL_BIN[cell - FIRST_CELL]: the bin of a cell that lies wholly inside one bin, clear of its
 * edges by more than EDGE_HAIR (most cells: a bin is about 40 cells wide), so its ages need no
 * comparison; else −1 − the bin of the cell's smallest value, for binOf to finish.
 */
const CELL_BIN = new Int32Array(LAST_CELL - FIRST_CELL + 1);
for (let cell = FIRST_CELL; cell <= LAST_CELL; cell++) {
  const from = valueOfCell(cell);
  const to = valueOfCell(cell + 1);
  const bin = binByLog(from);
  const low = EDGES[bin]!;
  const high = EDGES[bin + 1]!;
  const clear = from - low >= low * EDGE_HAIR && high - to >= high * EDGE_HAIR;
  CELL_BIN[cell - FIRST_CELL] = clear ? bin : -1 - bin;
}

/** The bin of an age: binByLog's answer, mostly without the logarithm (exported for its test). */
export function binOf(seconds: number): number {
  if (!(seconds > SMALLEST_SECONDS)) return binByLog(seconds);
  const cell = highBitsOf(seconds);
  if (cell >= LAST_CELL) return binByLog(seconds);
  const entry = CELL_BIN[cell - FIRST_CELL]!;
  if (entry >= 0) return entry;
  let bin = -1 - entry;
  while (bin < BINS - 1 && seconds >= EDGES[bin + 1]!) bin++;
  const low = EDGES[bin]!;
  const high = EDGES[bin + 1]!;
  if (seconds - low < low * EDGE_HAIR || high - seconds < high * EDGE_HAIR)
    return binByLog(seconds);
  return bin;
}
