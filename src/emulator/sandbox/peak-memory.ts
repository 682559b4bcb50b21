/**
 * "Max Memory Used" for one invocation: the peak, over the window, of the sum
 * of the tree's per-process resident-set high-water marks (VmHWM).
 *
 * Why RSS and not the cgroup's usage: Lambda's figure tracks what the runtime
 * process holds (a Node hello-world reports ~70 MB), while a v1 cgroup's
 * usage also counts page cache from every file read. On /proc, VmHWM is kept
 * by the kernel, so a spike between two samples is not missed, and clear_refs
 * resets it per invocation; through ps there is no such mark, so the peak is
 * the highest sum the samples saw. The same measurement serves every
 * mechanism, so their numbers compare. Summing per-process peaks can overstate
 * a tree whose processes peak at different times or share pages; for the
 * usual single runtime process it is exact.
 */
import type { ProcessReader } from "./process-reader.js";

export class PeakMemoryMeter {
  private windowPeakKb = 0;

  constructor(private readonly reader: ProcessReader) {}

  get peakKb(): number {
    return this.windowPeakKb;
  }

  /** Fold the tree's current peaks into the window; returns their sum. */
  sample(pids: readonly number[]): number {
    let totalKb = 0;
    for (const pid of pids) totalKb += this.reader.memory(pid)?.peakRssKb ?? 0;
    this.windowPeakKb = Math.max(this.windowPeakKb, totalKb);
    return totalKb;
  }

  /** Start a new window from what the tree holds now. */
  reset(pids: readonly number[]): void {
    for (const pid of pids) this.reader.resetPeakRss(pid);
    this.windowPeakKb = 0;
    this.sample(pids);
  }
}
