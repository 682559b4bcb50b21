/**
 * The library's tune: options in, a TuneResult out, with the defaults and the
 * checks the CLI's `tune` has (they are the same schema). For example:
 *
 *   const result = await tune({ target: { handler: "src/app.mjs:handler" } });
 *   const result = await tune(
 *     { target: { functionName: "orders", region: "eu-west-1" }, strategy: "speed", num: 50 },
 *     { onProgress: (event) => ..., signal: controller.signal },
 *   );
 *
 * It checks the options (a mistake is a UsageError naming the option), opens
 * the target (open-target.ts), runs runTuning, and closes the target whatever
 * happens. A run that stops throws TuningAborted (the signal) or TuningFailed,
 * each holding what was measured; the function is put back as it was.
 */
import { resolve } from "node:path";
import type { AwsRetry } from "../aws/client-config.js";
import { fieldName, type OptionName, parseOptions } from "../options.js";
import { BUNDLED_PRICE_TABLE, type PriceTable } from "../pricing/price-table.js";
import { readHostLoad } from "../tuning/host-load.js";
import { JOURNAL_FOLDER } from "../tuning/journal.js";
import { newRunId } from "../tuning/run-id.js";
import { runTuning, type TuningProgress } from "../tuning/run-tuning.js";
import type { TuneResult } from "../tuning/tune-result.js";
import { openTarget } from "./open-target.js";
import {
  type TuningOptions,
  type TuningOptionsInput,
  TuningOptionsSchema,
} from "./tuning-options.js";

export interface TuneHooks {
  /** Each step of the run: its start (with the invocations to make), each configuration, each invocation, the restore. */
  readonly onProgress?: (progress: TuningProgress) => void;
  /** Aborting stops the run: it restores the function and throws TuningAborted. */
  readonly signal?: AbortSignal;
  /** Each retry the AWS SDK makes (throttling, a dropped connection). */
  readonly onRetry?: (retry: AwsRetry) => void;
  /** What a person should know about a local function: its template's warnings, an interpreter other than the declared one. */
  readonly onWarning?: (warning: string) => void;
  /** The emulator's own long work before the first run (fetching a Node.js binary), a line at a time. */
  readonly onEmulatorProgress?: (line: string) => void;
  /** Where the run's journal goes (default: .lambda-optimizer/journal in the current folder, where `tune --recover` looks). */
  readonly journalFolder?: string;
  /** The prices every run is priced with (default: the bundled table). */
  readonly priceTable?: PriceTable;
  /** The run's id, in its journal and its versions' descriptions (default: a new one, newRunId()). */
  readonly runId?: string;
  /** How a mistake names an option (default: the options' own names, `maxP95Ms`; the CLI's: `--max-p95-ms`). */
  readonly nameOf?: OptionName;
}

/** Check and default `options`, then tune: see the file's comment. */
export async function tune(
  options: TuningOptionsInput,
  hooks: TuneHooks = {},
): Promise<TuneResult> {
  return tuneChecked(parseOptions(TuningOptionsSchema, options, hooks.nameOf ?? fieldName), hooks);
}

/** Tune with options already checked by TuningOptionsSchema (the CLI checks them first, to refuse a mistake before anything else). */
export async function tuneChecked(
  options: TuningOptions,
  hooks: TuneHooks = {},
): Promise<TuneResult> {
  const { target, ...settings } = options;
  const opened = await openTarget(target, settings.concurrency, hooks, settings.metric);
  try {
    return await runTuning({
      target: opened.target,
      settings,
      priceTable: hooks.priceTable ?? BUNDLED_PRICE_TABLE,
      journalFolder: hooks.journalFolder ?? resolve(JOURNAL_FOLDER),
      runId: hooks.runId ?? newRunId(),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      // The host's load matters where the function runs on it: locally.
      ...(target.kind === "local" ? { readHostLoad: () => readHostLoad() } : {}),
    });
  } finally {
    await opened.close();
  }
}
