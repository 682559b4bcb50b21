/**
 * The simulator's agenda: a binary min-heap of (time, kind, id) in typed
 * arrays, so a run of millions of events allocates nothing per event. Ties in
 * time pop in the order they were pushed (a sequence number breaks them), so
 * a run is the same on every machine.
 */
export class EventQueue {
  private times = new Float64Array(1024);
  private order = new Float64Array(1024);
  private kinds = new Int32Array(1024);
  private ids = new Int32Array(1024);
  private count = 0;
  private pushed = 0;
  /**
   * pop() only marks the top as gone: handling an event usually pushes the next one, which then
   * takes the top's place with one sift down instead of a sift down for the pop and a sift up
   * for the push. Events leave in (time, push order) either way, so runs are unchanged.
   */
  private topGone = false;

  get size(): number {
    this.settle();
    return this.count;
  }

  /** The earliest event's time; Infinity when empty. */
  peekTime(): number {
    this.settle();
    return this.count === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  /**
   * Keeps the next `count` places in push order for events kept outside the heap (the timeline's
   * samples, known from the start): the first one's place; the others follow it.
   */
  reserve(count: number): number {
    const first = this.pushed;
    this.pushed += count;
    return first;
  }

  /** Whether the earliest event was pushed after place `order` (the heap is not empty). */
  topAfter(order: number): boolean {
    this.settle();
    return this.order[0]! > order;
  }

  push(time: number, kind: number, id: number): void {
    if (this.topGone) {
      this.topGone = false;
      this.siftDown(time, this.pushed++, kind, id, this.count);
      return;
    }
    if (this.count === this.times.length) this.grow();
    const sequence = this.pushed++;
    let index = this.count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = this.times[parent]!;
      if (parentTime < time || (parentTime === time && this.order[parent]! < sequence)) break;
      this.move(parent, index);
      index = parent;
    }
    this.set(index, time, sequence, kind, id);
  }

  /** Removes the earliest event; read it first with peekTime / topKind / topId. */
  topKind(): number {
    this.settle();
    return this.kinds[0]!;
  }

  topId(): number {
    this.settle();
    return this.ids[0]!;
  }

  pop(): void {
    this.settle();
    this.topGone = true;
  }

  /** Removes a popped top no push has replaced. */
  private settle(): void {
    if (!this.topGone) return;
    this.topGone = false;
    const last = --this.count;
    if (last === 0) return;
    this.siftDown(this.times[last]!, this.order[last]!, this.kinds[last]!, this.ids[last]!, last);
  }

  /** Puts the event at the root and sifts it down a heap of `last` entries. */
  private siftDown(time: number, sequence: number, kind: number, id: number, last: number): void {
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= last) break;
      const right = child + 1;
      if (
        right < last &&
        (this.times[right]! < this.times[child]! ||
          (this.times[right] === this.times[child] && this.order[right]! < this.order[child]!))
      )
        child = right;
      const childTime = this.times[child]!;
      if (childTime > time || (childTime === time && this.order[child]! > sequence)) break;
      this.move(child, index);
      index = child;
    }
    this.set(index, time, sequence, kind, id);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.order[to] = this.order[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.ids[to] = this.ids[from]!;
  }

  private set(index: number, time: number, sequence: number, kind: number, id: number): void {
    this.times[index] = time;
    this.order[index] = sequence;
    this.kinds[index] = kind;
    this.ids[index] = id;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    const order = new Float64Array(size);
    order.set(this.order);
    this.order = order;
    const kinds = new Int32Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const ids = new Int32Array(size);
    ids.set(this.ids);
    this.ids = ids;
  }
}
