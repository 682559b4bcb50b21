/**
 * Saved tune runs for audit tests, written where and as `tune` writes them
 * (.lambda-optimizer/runs/<run id>-<function>.json) and checked against the
 * result's schema, so a test reads them through the same code as a real run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AuditContext } from "../../src/audit/audit-context.js";
import { parseTemplate } from "../../src/template/parse-template.js";
import { RUNS_FOLDER } from "../../src/tuning/saved-runs.js";
import { type TuneResult, TuneResultSchema } from "../../src/tuning/tune-result.js";
import { configurationResult, tuneResult } from "../tuning/fixtures.js";

export interface TuneRunSpec {
  readonly functionName: string;
  /** The recommended size. */
  readonly memoryMb: number;
  readonly createdAt?: string;
  readonly kind?: "local" | "aws";
  /** A run stopped early: measured, recommends nothing. */
  readonly partial?: boolean;
  /** `tune --dry-run`: one invocation per configuration. */
  readonly dryRun?: boolean;
  /**
   * Init Durations measured per memory size (x86_64): the first is the configuration's warm-up
   * cold start, the rest cold samples (as with --only-cold-starts).
   */
  readonly coldStarts?: Readonly<Record<number, readonly number[]>>;
  /** The same on arm64 (`tune --arch x86_64,arm64`): arm64 rows at these sizes. */
  readonly arm64ColdStarts?: Readonly<Record<number, readonly number[]>>;
}

/** Write one run under `project`/.lambda-optimizer/runs/; returns the file's path relative to `project`. */
export function writeTuneRun(project: string, spec: TuneRunSpec): string {
  const createdAt = spec.createdAt ?? "2026-11-30T09:00:00.000Z";
  const measuredSizes = Object.keys(spec.coldStarts ?? {}).map(Number);
  const sizes = [...new Set([128, 256, 512, 1024, spec.memoryMb, ...measuredSizes])].sort(
    (a, b) => a - b,
  );
  const rows = sizes.map((memoryMb) => ({
    ...configurationResult({
      memoryMb,
      costUsd: memoryMb === spec.memoryMb ? 2e-7 : 9e-7,
      meanMs: 40,
    }),
    ...(spec.dryRun ? { invocations: 1 } : {}),
    ...coldStartsAt(spec.coldStarts?.[memoryMb] ?? []),
  }));
  const arm64Rows = Object.entries(spec.arm64ColdStarts ?? {}).map(([size, inits]) => ({
    ...configurationResult({
      memoryMb: Number(size),
      architecture: "arm64",
      costUsd: 7e-7,
      meanMs: 40,
    }),
    ...coldStartsAt(inits),
  }));
  rows.push(...arm64Rows);
  const winner = rows.find((row) => row.memoryMb === spec.memoryMb)!;
  const result: TuneResult = TuneResultSchema.parse(
    tuneResult(rows, {
      createdAt,
      target: {
        kind: spec.kind ?? "local",
        functionName: spec.functionName,
        functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${spec.functionName}`,
        region: "us-east-1",
        endpoint: spec.kind === "aws" ? null : "http://127.0.0.1:9001",
      },
      recommendation: spec.partial
        ? null
        : {
            memoryMb: winner.memoryMb,
            architecture: "x86_64",
            strategy: "cost",
            costPerInvocationUsd: winner.costPerInvocationUsd,
            durationMsP50: winner.durationMs.p50,
            durationMsP95: winner.durationMs.p95,
            reason: "cheapest",
            tiedWith: [],
            savingVsOriginal: null,
          },
      partial: spec.partial ? { reason: "stopped after 2 of 4 configurations: interrupted" } : null,
    }),
  );
  const folder = join(project, RUNS_FOLDER);
  mkdirSync(folder, { recursive: true });
  const runId = createdAt.replace(/[-:]/g, "").slice(0, 15);
  const name = `${runId}-${spec.functionName}${spec.partial ? ".partial" : ""}.json`;
  writeFileSync(join(folder, name), `${JSON.stringify(result, null, 2)}\n`);
  return join(RUNS_FOLDER, name);
}

/**
 * A saved run recommending `memoryMb` for every function of the template, in
 * the template's folder: what a project looks like once each was tuned.
 */
export function tuneEveryFunction(template: string, memoryMb = 512): void {
  const context = new AuditContext(parseTemplate(template));
  for (const fn of context.functions) {
    const name = fn.properties.FunctionName;
    writeTuneRun(dirname(template), {
      functionName: typeof name === "string" ? name : fn.logicalId,
      memoryMb,
    });
  }
}

/** A configuration's cold starts: the warm-up's Init Duration, then cold samples. */
function coldStartsAt(inits: readonly number[]) {
  if (inits.length === 0) return {};
  const [warmUp, ...cold] = inits;
  return {
    coldStart: { durationMs: 40, initDurationMs: warmUp!, billedDurationMs: 40 + warmUp! },
    samples: cold.map((initDurationMs) => ({
      durationMs: 40,
      billedDurationMs: 40 + initDurationMs,
      initDurationMs,
      maxMemoryUsedMb: 64,
      costUsd: 9e-7,
      errorType: null,
    })),
  };
}
