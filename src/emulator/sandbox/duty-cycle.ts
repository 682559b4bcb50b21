/**
 * CPU limiting without cgroups: the tree's process groups are SIGCONTed for
 * share × period and SIGSTOPped for the rest, on Lambda's ~20 ms period.
 *
 * Timers drift (1 ms granularity, a busy event loop), so each phase is sized
 * from what actually ran so far in this throttled stretch: over any stretch
 * the tree runs `runFraction` of wall time, with a late timer paid back by
 * the next phases (bounded so a long stall is not repaid by a long freeze).
 *
 * This limits wall time running, not CPU time: a tree using k threads at once
 * gets up to k × the fraction. Node's JS thread and Python are single threaded,
 * which is what the fallback is for; cgroups count CPU time exactly.
 */
import { signalProcessGroup } from "./process-tree.js";

export const DUTY_CYCLE_PERIOD_MS = 20;

/** Longest stop phase, in periods, when repaying overrun. */
const MAX_STOP_PERIODS = 5;

export class DutyCycle {
  private readonly groups = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private phaseStartedAt = 0;
  private ranMs = 0;
  private elapsedMs = 0;

  /** runFraction: share of wall time the tree may run, at most 1 (1 means never stopped). */
  constructor(private readonly runFraction: number) {}

  get active(): boolean {
    return this.timer !== undefined;
  }

  addGroup(groupId: number): void {
    this.groups.add(groupId);
    if (this.stopped) signalProcessGroup(groupId, "SIGSTOP");
  }

  start(): void {
    if (this.active || this.runFraction >= 1) return;
    this.ranMs = 0;
    this.elapsedMs = 0;
    this.runPhase();
  }

  /** Stop cycling and leave every group running. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.signalAll("SIGCONT");
    this.stopped = false;
  }

  private runPhase(): void {
    const period = DUTY_CYCLE_PERIOD_MS;
    const owed = this.runFraction * (this.elapsedMs + period) - this.ranMs;
    const runMs = Math.min(period, Math.max(0, owed));
    // the clock starts before the signal: waking a stopped tree can take a while, and it runs meanwhile
    this.phaseStartedAt = performance.now();
    this.signalAll("SIGCONT");
    this.stopped = false;
    this.schedule(() => this.stopPhase(), runMs);
  }

  private stopPhase(): void {
    this.signalAll("SIGSTOP");
    this.stopped = true;
    // ...and stops after it: the tree counts as running until the stop has been sent
    const now = performance.now();
    const ran = now - this.phaseStartedAt;
    this.ranMs += ran;
    this.elapsedMs += ran;
    this.phaseStartedAt = now;
    const earnedAt = this.ranMs / this.runFraction;
    const stopMs = Math.min(
      MAX_STOP_PERIODS * DUTY_CYCLE_PERIOD_MS,
      Math.max(0, earnedAt - this.elapsedMs),
    );
    this.schedule(() => {
      this.elapsedMs += performance.now() - this.phaseStartedAt;
      this.runPhase();
    }, stopMs);
  }

  private schedule(next: () => void, delayMs: number): void {
    this.timer = setTimeout(next, delayMs);
    // the sandbox's own lifetime, not this loop, decides when the process may exit
    this.timer.unref();
  }

  private signalAll(signal: NodeJS.Signals): void {
    for (const groupId of this.groups) signalProcessGroup(groupId, signal);
  }
}
