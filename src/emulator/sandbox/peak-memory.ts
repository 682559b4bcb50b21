/**
 * "Max Memory Used" for one invocation: the peak, over the window, of the sum
 * of the tree's per-process resident-set high-water marks (VmHWM).
 *
 * Why RSS and not the cgroup's usage: Lambda's figure tracks what the runtime
 * process holds (a Node hello-world reports ~70 MB), while a v1 cgroup's
 * usage also counts page cache from every file read. VmHWM is kept by the
 * kernel, so a spike between two samples is not missed, and clear_refs resets
 * it per invocation. The same measurement serves both mechanisms, so their
 * numbers compare. Summing per-process peaks can overstate a tree whose
 * processes peak at different times or share pages; for the usual single
 * runtime process it is exact.
 */
import { readProcessMemory, resetPeakRss } from "./process-tree.js";

export class PeakMemoryMeter {
  private windowPeakKb = 0;

  get peakKb(): number {
    return this.windowPeakKb;
  }

  /** Fold the tree's current peaks into the window; returns their sum. */
  sample(pids: readonly number[]): number {
    let totalKb = 0;
    for (const pid of pids) totalKb += readProcessMemory(pid)?.peakRssKb ?? 0;
    this.windowPeakKb = Math.max(this.windowPeakKb, totalKb);
    return totalKb;
  }

  /** Start a new window from what the tree holds now. */
  reset(pids: readonly number[]): void {
    for (const pid of pids) resetPeakRss(pid);
    this.windowPeakKb = 0;
    this.sample(pids);
  }
}
