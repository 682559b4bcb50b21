import { isAbsolute, resolve } from "node:path";

/**
 * A resolver for the file names an option gives: relative ones against `cwd`
 * (default the process's folder), absolute ones and "-" (stdin) as they are.
 */
export function fileInFolder(cwd: string | undefined): (file: string) => string {
  return (file) => (file === "-" || isAbsolute(file) ? file : resolve(cwd ?? process.cwd(), file));
}
