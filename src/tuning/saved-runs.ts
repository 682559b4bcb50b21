/**
 * Tuning results kept on disk: every run `tune` saves in .lambda-optimizer/runs/
 * (and any file written with --out). Read back and checked against the schema,
 * so `compare` and the audit (memory-default) act on what was measured, never
 * on a hand-edited or truncated file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { STATE_FOLDER } from "../state-folder.js";
import { type TuneResult, TuneResultSchema } from "./tune-result.js";

/** Where `tune` keeps every run, relative to the folder it ran in. */
export const RUNS_FOLDER = join(STATE_FOLDER, "runs");

/**
 * Keep a run as `tune` keeps every run, for `compare`, the audit and the MCP
 * server's resources: in `folder` (default RUNS_FOLDER, in the current
 * folder), named by its run id and function. A run that stopped early is
 * marked `.partial.json`, which readSavedTuneResults leaves out. Returns the file.
 */
export function saveTuneResult(
  result: TuneResult,
  runId: string,
  options: { readonly partial?: boolean; readonly folder?: string } = {},
): string {
  const folder = options.folder ?? RUNS_FOLDER;
  mkdirSync(folder, { recursive: true });
  const suffix = options.partial ? ".partial.json" : ".json";
  const file = join(folder, `${runId}-${result.target.functionName}${suffix}`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * Keep what a stopped run measured (saveTuneResult, marked partial), if it can
 * be: the file, or undefined when it cannot be written, for a message that is
 * about the function being put back, not about the file.
 */
export function savePartialTuneResult(
  result: TuneResult | undefined,
  runId: string,
): string | undefined {
  if (!result) return undefined;
  try {
    return saveTuneResult(result, runId, { partial: true });
  } catch {
    return undefined;
  }
}

/** A file that is not a tuning result; the message is one line naming the file and its first problem. */
export class TuneResultFileError extends Error {
  override readonly name = "TuneResultFileError";
}

export function readTuneResultFile(file: string): TuneResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : (error as Error).message;
    throw new TuneResultFileError(`${file}: cannot read it (${reason})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TuneResultFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = TuneResultSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  throw new TuneResultFileError(
    `${file}: not a tuning result: ${where}: ${issue?.message ?? "invalid"} ` +
      "(expected what `lambda-optimizer tune --out` writes)",
  );
}

export interface SavedTuneResult {
  /** The file, as found (the folder joined with its name). */
  readonly file: string;
  readonly result: TuneResult;
}

export interface SavedTuneResults {
  /** Complete runs, newest first (by createdAt). */
  readonly results: readonly SavedTuneResult[];
  /** Files in the folder that are not tuning results, and why. */
  readonly unreadable: readonly { readonly file: string; readonly message: string }[];
}

/**
 * Every complete run saved in a folder (partial runs, saved when a tune
 * stopped early, recommend nothing and are left out). A missing folder holds
 * none.
 */
export function readSavedTuneResults(folder: string): SavedTuneResults {
  let names: string[];
  try {
    names = readdirSync(folder).filter(
      (name) => name.endsWith(".json") && !name.endsWith(".partial.json"),
    );
  } catch {
    return { results: [], unreadable: [] };
  }
  const results: SavedTuneResult[] = [];
  const unreadable: { file: string; message: string }[] = [];
  for (const name of names.sort()) {
    const file = join(folder, name);
    try {
      const result = readTuneResultFile(file);
      if (!result.partial) results.push({ file, result });
    } catch (error) {
      if (!(error instanceof TuneResultFileError)) throw error;
      unreadable.push({ file, message: error.message });
    }
  }
  // Newest first; run files are named by their start time, so the name breaks a tie.
  results.sort(
    (a, b) => b.result.createdAt.localeCompare(a.result.createdAt) || b.file.localeCompare(a.file),
  );
  return { results, unreadable };
}

/**
 * The file a run is named by: a tuning result's path (relative to `cwd`), or
 * a run saved under `<cwd>/.lambda-optimizer/runs/` by its file name without
 * .json ("20261202T185501-a1b2c3-thumbnailer") or by its run id alone
 * ("20261202T185501-a1b2c3"). A path that does not exist is returned as
 * it is, so reading it fails naming the file as given. Throws a
 * TuneResultFileError when a bare name is neither a file nor a saved run, or
 * names several saved runs.
 */
export function resolveTuneResultFile(name: string, cwd?: string): string {
  const asPath = cwd === undefined || isAbsolute(name) ? name : resolve(cwd, name);
  if (existsSync(asPath) || name.includes("/") || name.endsWith(".json")) return asPath;
  const folder = resolve(cwd ?? ".", RUNS_FOLDER);
  let names: string[] = [];
  try {
    names = readdirSync(folder).filter(
      (file) =>
        file.endsWith(".json") &&
        !file.endsWith(".partial.json") &&
        (file === `${name}.json` || file.startsWith(`${name}-`)),
    );
  } catch {
    // No runs folder: no saved run of that name.
  }
  const exact = names.find((file) => file === `${name}.json`);
  if (exact) return join(folder, exact);
  if (names.length === 1) return join(folder, names[0]!);
  if (names.length > 1)
    throw new TuneResultFileError(
      `${name}: names ${names.length} saved runs in ${folder} (${names.join(", ")}): give one's file name`,
    );
  throw new TuneResultFileError(
    `${name}: cannot read it (no such file, and no run of that id saved in ${folder})`,
  );
}
