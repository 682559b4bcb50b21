/** `lambda-optimizer compare`: two tuning runs side by side, and a cost and latency gate for CI. */
import { Command } from "commander";
import { EXIT } from "../errors.js";
import { formatPercent } from "../format.js";
import { flagName } from "../options.js";
import { renderComparison } from "../report/comparison-text.js";
import { COMPARE_DEFAULTS, type CompareOptionsInput } from "../tuning/compare-options.js";
import { compareSavedRuns } from "../tuning/compare-saved-runs.js";
import { printJson } from "./format.js";
import { numberOrText, shareOrText } from "./option-parsers.js";

interface CompareFlags {
  maxCostIncrease: string;
  maxP95Increase: string;
  maxAgeDays?: string;
  force?: boolean;
  json?: boolean;
}

export function compareCommand(): Command {
  return new Command("compare")
    .summary("compare two tuning runs; exit 1 when cost or p95 rose past a gate")
    .description(
      "Compare two tuning runs (tune --out) configuration by configuration, matched by\n" +
        "memory and architecture: cost per invocation and p95 duration before and after.\n" +
        "Exits 1 when a configuration's cost or p95 rose by more than its gate, when a\n" +
        "configuration that worked now fails, or when the old run had a recommendation and\n" +
        "the new one has none. Configurations measured in only one run are listed, not gated.\n" +
        "With --max-age-days, also exits 1 when the new run is older than that, or was tuned\n" +
        "on other code than the function has now (re-tune quarterly and after code changes).",
    )
    .argument(
      "<old.json>",
      "the earlier run (the baseline): a file, or the id of a run saved in .lambda-optimizer/runs/",
    )
    .argument("<new.json>", "the later run, named the same ways")
    .option(
      "--max-cost-increase <share>",
      "largest allowed rise in cost per invocation: 0.05 or 5%",
      formatPercent(COMPARE_DEFAULTS.maxCostIncrease),
    )
    .option(
      "--max-p95-increase <share>",
      "largest allowed rise in p95 duration: 0.1 or 10%",
      formatPercent(COMPARE_DEFAULTS.maxP95Increase),
    )
    .option(
      "--max-age-days <days>",
      "also fail when the new run is older than this many days or its code changed since (e.g. 90)",
    )
    .option("--force", "compare runs of two different functions anyway")
    .option("--json", "print one JSON document (shape: docs/commands/compare.md)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer compare main.json branch.json\n" +
        "  $ lambda-optimizer compare main.json branch.json --max-cost-increase 2% --max-p95-increase 0.2 --json\n" +
        "  $ lambda-optimizer compare 20261201T101500-4f2a9c 20261202T093000-b81e07\n" +
        "  $ lambda-optimizer compare main.json branch.json --max-age-days 90\n",
    )
    .action((oldFile: string, newFile: string, flags: CompareFlags) =>
      runCompare(oldFile, newFile, flags),
    );
}

async function runCompare(oldFile: string, newFile: string, flags: CompareFlags): Promise<void> {
  const compared = await compareSavedRuns(
    {
      oldFile,
      newFile,
      maxCostIncrease: shareOrText(flags.maxCostIncrease),
      maxP95Increase: shareOrText(flags.maxP95Increase),
      ...(flags.maxAgeDays !== undefined ? { maxAgeDays: numberOrText(flags.maxAgeDays) } : {}),
      force: flags.force === true,
      // The gates go to the schema as typed: it refuses what is not a share, naming the flag.
    } as CompareOptionsInput,
    { nameOf: flagName },
  );
  const { comparison } = compared;
  if (flags.json) printJson(comparison);
  else process.stdout.write(`${renderComparison(comparison, compared)}\n`);
  // A failed gate is an answer, not an error: the report is printed in full, then exit 1.
  if (comparison.regression || comparison.freshness?.stale) process.exitCode = EXIT.gateFailed;
}
