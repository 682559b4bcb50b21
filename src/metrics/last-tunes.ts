/**
 * Each measured function's newest tune saved in the project (.lambda-optimizer/runs/), judged
 * for the retune-due rule: how old it is, and whether the function's code is still the code it
 * tuned. The code now is a deployed function's CodeSha256 (from the Lambda API, read with its
 * configuration), or a local function's code folder hashed again (tuning/code-hash.ts).
 */
import { functionNameOf } from "../aws/arn.js";
import { currentFolderSha256 } from "../tuning/current-code.js";
import type { SavedTuneResult } from "../tuning/saved-runs.js";
import { tuneFreshness } from "../tuning/tune-freshness.js";
import type { TuneResult } from "../tuning/tune-result.js";
import type { FunctionConfigurationFacts } from "./aws-observations.js";
import type { LastTune } from "./metrics-report.js";

export interface LastTunesInput {
  /** Function names as the report names them. */
  readonly names: readonly string[];
  /** What the Lambda API said of the deployed ones, by name. */
  readonly deployed: ReadonlyMap<string, FunctionConfigurationFacts>;
  /** The report's region: a deployed function's tune must have been in it. */
  readonly region: string;
  /** Saved complete runs, newest first (readSavedTuneResults). */
  readonly saved: readonly SavedTuneResult[];
  /** The folder the runs were started in: a local run's code folder is relative to it. */
  readonly cwd: string;
  readonly now: Date;
  readonly maxAgeDays: number;
}

export function lastTunes(input: LastTunesInput): Map<string, LastTune> {
  const found = new Map<string, LastTune>();
  for (const name of input.names) {
    const facts = input.deployed.get(name);
    const newest = input.saved.find(({ result }) =>
      tunedFunction(result, name, facts, input.region),
    );
    if (!newest) continue;
    const { result: run, file } = newest;
    found.set(name, {
      file,
      ...tuneFreshness({
        tunedAt: run.createdAt,
        tunedCode: run.code,
        currentSha256: currentCodeOf(run, facts, input.cwd),
        now: input.now,
        maxAgeDays: input.maxAgeDays,
      }),
    });
  }
  return found;
}

/**
 * Whether a run tuned this function: by name, ARN or (for a local run) its handler or logical id
 * as the emulator names its logs. A run of a deployed function counts only in its own region,
 * where a function of that name is that function.
 */
function tunedFunction(
  run: TuneResult,
  name: string,
  facts: FunctionConfigurationFacts | undefined,
  region: string,
): boolean {
  const { target } = run;
  if (facts && target.functionArn && target.functionArn === facts.functionArn) return true;
  if (facts && target.kind === "aws" && target.region !== region) return false;
  const runNames = [
    functionNameOf(target.functionName),
    functionNameOf(target.functionArn),
    target.local?.handler,
    target.local?.logicalId,
  ];
  return runNames.includes(name);
}

/**
 * The code now, hashed as the run hashed it: undefined when it cannot be (a deployed function
 * tuned but measured only from logs, a code folder that is gone).
 */
function currentCodeOf(
  run: TuneResult,
  facts: FunctionConfigurationFacts | undefined,
  cwd: string,
): string | undefined {
  if (!run.code) return undefined;
  if (run.code.kind === "code-sha256") return facts?.codeSha256;
  return currentFolderSha256(run.code, cwd);
}
