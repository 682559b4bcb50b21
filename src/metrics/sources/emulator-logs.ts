/**
 * The embedded emulator's logs (`metrics --local`): `<stateDir>/logs/<function>/<YYYY-MM-DD>.log`,
 * written by src/emulator/log-store.ts, one event per line. The folder names
 * the function; the file names the UTC day, which is how `since` selects files
 * (a day's file is read whole: the text format's REPORT lines carry no time).
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ObservationSink, SourceProblem } from "../observations.js";
import { LogFileError, readLogFiles } from "./log-files.js";

export interface EmulatorLogOptions {
  /** Only these functions; an unknown name is an error. All functions with logs when absent. */
  readonly functionNames?: readonly string[] | undefined;
  /** Only days on or after this one (UTC). */
  readonly since?: Date | undefined;
}

export interface EmulatorLogsResult {
  /** The functions whose logs were read, sorted. */
  readonly functions: string[];
  readonly files: number;
  readonly lines: number;
  readonly problems: SourceProblem[];
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.log$/;

export async function readEmulatorLogs(
  stateDir: string,
  sink: ObservationSink,
  options: EmulatorLogOptions = {},
): Promise<EmulatorLogsResult> {
  const logsFolder = join(stateDir, "logs");
  const available = await subfolders(logsFolder);
  const wanted = options.functionNames ? [...new Set(options.functionNames)] : available;
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    const known = available.length > 0 ? available.join(", ") : "none";
    throw new LogFileError(
      join(logsFolder, unknown[0]!),
      `no emulator logs for ${unknown.join(", ")} under ${logsFolder} (functions with logs: ${known}); invoke the function locally first`,
    );
  }
  const firstDay = options.since?.toISOString().slice(0, 10);
  const functions = [...wanted].sort();
  let files = 0;
  let lines = 0;
  const problems: SourceProblem[] = [];
  for (const functionName of functions) {
    const folder = join(logsFolder, functionName);
    const days = (await readdir(folder))
      .map((file) => DAY_FILE.exec(file)?.[1])
      .filter((day): day is string => day !== undefined && (!firstDay || day >= firstDay))
      .sort();
    if (days.length === 0) continue;
    const result = await readLogFiles(
      days.map((day) => join(folder, `${day}.log`)),
      sink,
      { functionName },
    );
    files += result.files;
    lines += result.lines;
    problems.push(...result.problems);
  }
  return { functions, files, lines, problems };
}

/** No logs folder yet means nothing ran locally: no functions, not an error. */
async function subfolders(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new LogFileError(
      folder,
      `cannot read the emulator's logs in ${folder}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}
