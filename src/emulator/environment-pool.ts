/**
 * The execution environments of one function configuration. An invocation
 * takes an idle environment (warm) or starts a new one (cold), up to a limit;
 * beyond it Lambda throttles, and so do we. Environments that died (timeout,
 * crash, out of memory) leave the pool.
 */

import {
  type EnvironmentSettings,
  ExecutionEnvironment,
  type InvocationRecord,
  type InvokeRequest,
} from "./execution-environment.js";
import { tooManyRequests } from "./lambda-error.js";

export class EnvironmentPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  private draining = false;

  constructor(
    private readonly settings: EnvironmentSettings,
    private readonly maxEnvironments: number,
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
      if (environment.isAlive && !environment.isBusy) return environment;
    }
    return undefined;
  }

  private async startEnvironment(): Promise<ExecutionEnvironment> {
    if (this.environments.size >= this.maxEnvironments) {
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
    this.environments.delete(environment);
    await environment.dispose();
  }
}
