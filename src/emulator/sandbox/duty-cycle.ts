/**
 * CPU limiting without cgroups: the tree's process groups are SIGCONTed for a
 * run phase and SIGSTOPped for the rest of each period, so that over any
 * stretch the tree runs `runFraction` of the time.
 *
 * Timers drift (1 ms granularity, a busy event loop), so each phase is sized
 * from what actually ran so far in this throttled stretch: a late timer is
 * paid back by the next phases (bounded both ways, so a long stall is neither
 * repaid by a long freeze nor by a long burst).
 *
 * The period. Lambda's is the kernel's 20 ms CFS period, and a stretch starts
 * on it, so a short invocation is throttled as on Lambda. But every resume
 * costs a stopped tree more than it costs a throttled cgroup: SIGSTOP and
 * SIGCONT wake every thread of the runtime (Node has about seven) and all of
 * them go through the kernel's group stop; the woken tree waits to be placed
 * on a core; its caches are cold. At 128 MB a 20 ms period gives a run phase
 * of 1.45 ms — about one of Node's 1 ms timer ticks — so a few tenths of a
 * millisecond per resume cost the work 15–30% more time than its share pays
 * for (measured, see docs/sandbox.md). So the period then grows with the
 * stretch (a tenth of what has elapsed) up to where a run phase lasts
 * MIN_RUN_MS, which makes the per-resume cost a few percent. The cost of a
 * longer period is burstiness: the tree runs for up to 10 ms at full speed
 * and then waits up to (1 − share) × period — 128 ms at 128 MB — where Lambda
 * interleaves in 20 ms steps. Two things keep that honest. The period never
 * exceeds a tenth of the stretch so far, so where an invocation ends within
 * its last period moves its duration by at most ±5%. And the period's extra
 * length beyond Lambda's 20 ms is centred on the run phase (half of it before,
 * half after), so that on average an invocation ends no earlier than on
 * Lambda: with run-first periods, a longer period would make the invocation
 * that ends in a run phase skip ever more of its last stop.
 *
 * Accounting. On Linux a run phase is charged the CPU time the tree's
 * processes used in it on their main threads (where a runtime runs the
 * handler: Node's JavaScript thread, Python's), read from schedstat at each
 * stop; a running thread's count lags by up to a scheduler tick until it is
 * switched out, so each stop is charged what was used since the previous
 * one. That is what a cgroup's quota counts, less the other threads. Counting
 * wall time instead (as this did until 2026-12-03) loses to what stopping a
 * tree costs and throttling a cgroup does not: SIGCONT wakes every thread of
 * the runtime (Node has about eleven), and they, the waking core and this
 * process's own signalling stand in the main thread's way at the start of
 * each run phase. Measured at 128 MB, the main thread waited 11–13 ms for a
 * CPU during a 1.1 s invocation needing 78 ms of CPU, which made
 * d(128)/d(1769) 11–19% slow. Only the main threads are charged because
 * the other threads SIGCONT wakes burn CPU a cgroup never makes them burn
 * (some 3.5 ms per such invocation, about 4% of its work); in doctor --check
 * the two choices could not be told apart from this host's noise. Wall time also charged a tree for time blocked on
 * I/O. Like a quota, this is met on a loaded host where an unthrottled
 * 1,769 MB run is not, so under heavy other load the ratio reads low, as the
 * cgroup's does (the check reports the host's other load). A handler's own
 * extra threads (worker threads, V8's collector helpers) run uncharged within
 * run phases: a tree running k threads at once gets up to k × the share.
 * Without schedstat (the portable path: ps has only whole clock ticks) a run
 * phase is charged its wall time, from before SIGCONT to after SIGSTOP, less
 * what a run phase loses on this host (the delay to its first run, then the
 * waits behind the threads SIGCONT woke), measured once per process
 * (resume-latency.ts).
 */
import { signalProcessGroup } from "./process-tree.js";

/** Lambda's CPU period: the kernel's CFS bandwidth period. A stretch starts on it. */
export const LAMBDA_PERIOD_MS = 20;

/**
 * The run phase the period grows to: ten of Node's 1 ms timer ticks, so the
 * per-resume cost (measured at 0.2–0.5 ms) is a few percent of a run phase.
 */
export const MIN_RUN_MS = 10;

/** The period grows to at most this fraction of the stretch so far (bounds the end-of-invocation error). */
export const PERIOD_GROWTH = 1 / 10;

/**
 * Longest repayment of an overrun a stop phase may add to its normal length:
 * four of Lambda's periods, in absolute time, so that a long period does not
 * turn a stall of the event loop into a long freeze.
 */
const MAX_REPAY_MS = 4 * LAMBDA_PERIOD_MS;

/** Where a throttled stretch stands: time the tree was counted as running, and time elapsed. */
export interface DutyCycleLedger {
  readonly runFraction: number;
  readonly ranMs: number;
  readonly elapsedMs: number;
}

/** The period for the cycle starting `elapsedMs` into a stretch. */
export function dutyCyclePeriodMs(runFraction: number, elapsedMs: number): number {
  const longest = Math.max(LAMBDA_PERIOD_MS, MIN_RUN_MS / runFraction);
  return Math.min(longest, Math.max(LAMBDA_PERIOD_MS, elapsedMs * PERIOD_GROWTH));
}

/**
 * How far behind its share the tree is let fall at the end of a stop phase,
 * in ms of running: half of what the period's length beyond Lambda's adds to
 * the swing, so that swing is centred on the share (zero for a 20 ms period,
 * where the run phase comes first, as on Lambda).
 */
export function centringMs(runFraction: number, periodMs: number): number {
  return (runFraction * (1 - runFraction) * Math.max(0, periodMs - LAMBDA_PERIOD_MS)) / 2;
}

/** The next cycle: its period and how long its run phase lasts. */
export function planRunPhase(ledger: DutyCycleLedger): { periodMs: number; runMs: number } {
  const { runFraction, ranMs, elapsedMs } = ledger;
  const periodMs = dutyCyclePeriodMs(runFraction, elapsedMs);
  const owed = runFraction * (elapsedMs + periodMs) - ranMs - centringMs(runFraction, periodMs);
  return { periodMs, runMs: Math.min(periodMs, Math.max(0, owed)) };
}

/** How long to stay stopped after a run phase of a cycle of `periodMs`. */
export function planStopPhase(ledger: DutyCycleLedger, periodMs: number): number {
  const { runFraction, ranMs, elapsedMs } = ledger;
  const earnedAt = (ranMs + centringMs(runFraction, periodMs)) / runFraction;
  const longestMs = (1 - runFraction) * periodMs + MAX_REPAY_MS;
  return Math.min(longestMs, Math.max(0, earnedAt - elapsedMs));
}

/**
 * Time counted as run, with credit beyond one period's share forgiven: a stop
 * phase whose timer fired very late is repaid by at most one period's share
 * of extra running, as a cgroup's unused quota does not carry over.
 */
export function boundCredit(ledger: DutyCycleLedger, periodMs: number): number {
  const { runFraction, ranMs, elapsedMs } = ledger;
  const floor = runFraction * (elapsedMs - periodMs) - centringMs(runFraction, periodMs);
  return Math.max(ranMs, floor);
}

/** The tree's CPU time, ms, read when a run phase started and when it ended (undefined: unread). */
export interface PhaseCpu {
  readonly beforeMs: number | undefined;
  readonly afterMs: number | undefined;
}

/**
 * What a run phase of `wallMs` counts as run: the CPU time the tree used in it where that was
 * read, as a cgroup quota counts, else its wall time less what a run phase loses on this host.
 */
export function chargedRunMs(wallMs: number, cpu: PhaseCpu, resumeLatencyMs: number): number {
  const { beforeMs, afterMs } = cpu;
  if (beforeMs === undefined || afterMs === undefined) return Math.max(0, wallMs - resumeLatencyMs);
  // a process of the tree that exited takes its count with it: the rest is what is known
  return Math.max(0, afterMs - beforeMs);
}

export interface DutyCycleOptions {
  /** The tree's main threads' CPU time, ms, cumulative (Linux's schedstat); undefined where unread. */
  readonly cpuTimeMs?: () => number | undefined;
  /** Where cpuTimeMs is not given: what each run phase loses on this host (resume-latency.ts). */
  readonly resumeLatencyMs?: number;
  /**
   * Called each time the tree has just been stopped: the moment to read it (its memory) without
   * taking from its run phases. The cycle may be stopped from here.
   */
  readonly onStopped?: () => void;
}

export class DutyCycle {
  private readonly groups = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private phaseStartedAt = 0;
  private periodMs = LAMBDA_PERIOD_MS;
  private ranMs = 0;
  private elapsedMs = 0;

  private readonly cpuTimeMs: () => number | undefined;
  private cpuBefore: number | undefined;
  private readonly resumeLatencyMs: number;
  private readonly onStopped: () => void;

  /** runFraction: share of wall time the tree may run, at most 1 (1 means never stopped). */
  constructor(
    private readonly runFraction: number,
    options: DutyCycleOptions = {},
  ) {
    this.cpuTimeMs = options.cpuTimeMs ?? (() => undefined);
    this.resumeLatencyMs = options.resumeLatencyMs ?? 0;
    this.onStopped = options.onStopped ?? (() => {});
  }

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
    this.cpuBefore = this.cpuTimeMs();
    this.runPhase();
  }

  /** Stop cycling and leave every group running. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.signalAll("SIGCONT");
    this.stopped = false;
  }

  private get ledger(): DutyCycleLedger {
    return { runFraction: this.runFraction, ranMs: this.ranMs, elapsedMs: this.elapsedMs };
  }

  private runPhase(): void {
    const { periodMs, runMs } = planRunPhase(this.ledger);
    this.periodMs = periodMs;
    // the clock starts before the signal: waking a stopped tree can take a while, and it runs meanwhile
    this.phaseStartedAt = performance.now();
    this.signalAll("SIGCONT");
    this.stopped = false;
    this.schedule(() => this.stopPhase(), runMs + this.resumeLatencyMs);
  }

  private stopPhase(): void {
    this.signalAll("SIGSTOP");
    this.stopped = true;
    // ...and stops after it: the tree counts as running until the stop has been sent
    const now = performance.now();
    const wallMs = now - this.phaseStartedAt;
    // from the last stop to this one: a running thread's count lags by up to a scheduler tick
    // (4 ms at HZ=250) until it is switched out, and what lags here is counted at the next stop
    const cpuNow = this.cpuTimeMs();
    this.ranMs += chargedRunMs(
      wallMs,
      { beforeMs: this.cpuBefore, afterMs: cpuNow },
      this.resumeLatencyMs,
    );
    this.cpuBefore = cpuNow;
    this.elapsedMs += wallMs;
    this.ranMs = boundCredit(this.ledger, this.periodMs);
    this.phaseStartedAt = now;
    this.schedule(
      () => {
        this.elapsedMs += performance.now() - this.phaseStartedAt;
        this.runPhase();
      },
      planStopPhase(this.ledger, this.periodMs),
    );
    this.onStopped();
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
