/** Read a saved tuning run (tune --out, .lambda-optimizer/runs/) and check it against the schema. */
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import { type TuneResult, TuneResultSchema } from "../tuning/tune-result.js";

/** Throws a UsageError naming the file and its first problem. */
export function loadTuneResult(file: string): TuneResult {
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
    throw new UsageError(`${file}: cannot read it (${reason})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = TuneResultSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  throw new UsageError(
    `${file}: not a tuning result: ${where}: ${issue?.message ?? "invalid"} ` +
      "(expected what `lambda-optimizer tune --out` writes)",
  );
}
