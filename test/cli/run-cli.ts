/** Run the built CLI as a user would: a subprocess, its stdout, stderr and exit code. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface FinishedCli {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Resolves when the process exits, with all it printed. */
  readonly finished: Promise<FinishedCli>;
}

/** Start the built CLI without waiting for it: for signals, or work alongside a live run. */
export function startCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const finished = new Promise<FinishedCli>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, finished };
}

/** `lambda-optimizer emulate ... --port 0 --json` as a subprocess, once it has printed its endpoint. */
export async function startEmulate(
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<{ child: ChildProcess; endpoint: string; stop(): Promise<void> }> {
  const { child, finished } = startCli(["emulate", ...args, "--port", "0", "--json"], options);
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      try {
        resolve(JSON.parse(output).endpoint);
      } catch {
        // not complete yet
      }
    });
    void finished.then(({ code, stderr }) =>
      reject(new Error(`emulate exited with ${code}: ${stderr}`)),
    );
  });
  return {
    child,
    endpoint,
    async stop() {
      child.kill("SIGINT");
      await finished;
    },
  };
}
