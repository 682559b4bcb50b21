/**
 * PR_SET_PDEATHSIG for the processes a sandbox starts: the kernel sends
 * SIGKILL to the runtime the moment the thread that started it dies, kill -9
 * of the emulator included. Node cannot call prctl between fork and exec, so
 * the command starts through util-linux's `setpriv --pdeathsig KILL`, which
 * sets it and execs the command in its own place (same pid, same cgroup).
 *
 * The signal follows the parent *thread*: the emulator spawns from its event
 * loop's thread, which lives as long as the emulator (or its worker) does.
 * It is not inherited by what the runtime forks: those are found by the owner
 * mark (owner.ts) and the cgroup. Where setpriv is missing, the bootstraps'
 * own checks (parent pid, Runtime API connection) and the next run's sweep
 * (leftovers.ts) remain. Linux only in effect (util-linux, prctl): the portable
 * sandbox does not use it, so that forcing portable on Linux runs as macOS does.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

let setpriv: string | null | undefined;

/** setpriv's path if it is on PATH and knows --pdeathsig (util-linux 2.33+), found once. */
function setprivWithPdeathsig(): string | undefined {
  if (setpriv === undefined) {
    setpriv = null;
    for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(delimiter)) {
      const candidate = join(dir, "setpriv");
      try {
        accessSync(candidate, constants.X_OK);
      } catch {
        continue;
      }
      const probe = spawnSync(candidate, ["--pdeathsig", "KILL", "--", "true"], {
        stdio: "ignore",
      });
      if (probe.status === 0) setpriv = candidate;
      break;
    }
  }
  return setpriv ?? undefined;
}

/** Whether runtimes get the parent-death signal on this host (for reports and tests). */
export function parentDeathSignalAvailable(): boolean {
  return setprivWithPdeathsig() !== undefined;
}

/** The command line that starts `command` with the parent-death signal set, where it can be. */
export function withParentDeathSignal(
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  const wrapper = setprivWithPdeathsig();
  if (wrapper === undefined) return { command, args: [...args] };
  return { command: wrapper, args: ["--pdeathsig", "KILL", "--", command, ...args] };
}
