/**
 * The execution environments of one function configuration. An invocation
 * takes an idle environment (warm) or starts a new one (cold), up to a limit;
 * beyond it Lambda throttles, and so do we. Environments that died (timeout,
 * crash, out of memory, a failed hand-off) leave the pool, and so do those
 * left idle too long, as Lambda reclaims them.
 */

import {
  type EnvironmentSettings,
  ExecutionEnvironment,
  type InvocationRecord,
  type InvokeRequest,
} from "./execution-environment.js";
import { tooManyRequests } from "./lambda-error.js";

export interface PoolLimits {
  readonly maxEnvironments: number;
  /** Stop an environment left idle this long. */
  readonly idleEnvironmentMs: number;
}

export class EnvironmentPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly idleTimers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  private draining = false;

  constructor(
    private readonly settings: EnvironmentSettings,
    private readonly limits: PoolLimits,
  ) {}

  get size(): number {
    return this.environments.size;
  }

  async invoke(request: InvokeRequest): Promise<InvocationRecord> {
    const environment = this.idleEnvironment() ?? (await this.startEnvironment());
    try {
      return await environment.invoke(request);
    } finally {
      if (!environment.isAlive || this.draining) await this.retire(environment);
      else this.retireWhenIdle(environment);
    }
  }

  /** Stop idle environments now and busy ones when their invocation ends. */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all(
      [...this.environments]
        .filter((environment) => !environment.isBusy)
        .map((environment) => this.retire(environment)),
    );
  }

  /** Stop every environment, busy or not. */
  async stop(): Promise<void> {
    this.draining = true;
    await Promise.all([...this.environments].map((environment) => this.retire(environment)));
  }

  private idleEnvironment(): ExecutionEnvironment | undefined {
    for (const environment of this.environments) {
      if (environment.isAlive && !environment.isBusy) {
        clearTimeout(this.idleTimers.get(environment));
        this.idleTimers.delete(environment);
        return environment;
      }
    }
    return undefined;
  }

  private retireWhenIdle(environment: ExecutionEnvironment): void {
    const timer = setTimeout(() => {
      this.idleTimers.delete(environment);
      if (!environment.isBusy) void this.retire(environment);
    }, this.limits.idleEnvironmentMs);
    // an idle environment must not keep the process alive
    timer.unref();
    this.idleTimers.set(environment, timer);
  }

  private async startEnvironment(): Promise<ExecutionEnvironment> {
    if (this.environments.size >= this.limits.maxEnvironments) {
      throw tooManyRequests("Rate Exceeded.", "ReservedFunctionConcurrentInvocationLimitExceeded");
    }
    const environment = new ExecutionEnvironment(this.settings);
    this.environments.add(environment);
    try {
      await environment.start();
    } catch (error) {
      await this.retire(environment);
      throw error;
    }
    // A failed init is reported by the invocation that caused it, then the environment goes.
    return environment;
  }

  private async retire(environment: ExecutionEnvironment): Promise<void> {
    clearTimeout(this.idleTimers.get(environment));
    this.idleTimers.delete(environment);
    this.environments.delete(environment);
    await environment.dispose();
  }
}
