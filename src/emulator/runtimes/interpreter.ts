/**
 * Which interpreter runs a function of a declared runtime, and which version
 * it really is. Lambda runs nodejs22.x on Node.js 22 and python3.12 on Python
 * 3.12; the emulator does the same where it can:
 *
 * - nodejs<N>.x: this process's own Node.js when its major is N; otherwise the
 *   official Node.js N binary, fetched once into the user cache
 *   (node-binaries.ts). LAMBDA_OPTIMIZER_NODE=host (or the Emulator's
 *   `nodeVersions: "host"`) keeps every function on this process's Node.js.
 * - python3.<M>: `python3.<M>` when it is on PATH, else `python3`.
 * - provided.*: the function's own bootstrap; no interpreter of ours.
 *
 * When the version that runs is not the declared one (a major for Node.js,
 * a major.minor for Python), the interpreter carries a warning saying so and
 * why, for the user and for every result that reports what ran.
 */
import { execFile } from "node:child_process";
import { z } from "zod";
import { UsageError } from "../../errors.js";
import { type NodeBinaryOptions, officialNodeBinary } from "./node-binaries.js";
import { userCacheDir } from "./user-cache.js";

/** Our Node bootstrap uses what Node.js 18 brought; an older declared major runs on this machine's. */
export const OLDEST_NODE_MAJOR = 18;

export const NODE_VERSIONS_VARIABLE = "LAMBDA_OPTIMIZER_NODE";

/** "declared": run each function on its runtime's Node.js major; "host": on this process's. */
export type NodeVersions = "declared" | "host";

/** Where the interpreter comes from (see RuntimeInterpreter.source). */
const INTERPRETER_SOURCES = ["host", "cache", "download", "path", "bootstrap"] as const;

export interface RuntimeInterpreter {
  /** The runtime the function declares: nodejs22.x, python3.12, provided.al2023. */
  readonly runtime: string;
  /** The program to run the bootstrap with; undefined for provided.* (the bootstrap is the program). */
  readonly command: string | undefined;
  /** The interpreter that really runs, as a person reads it: "Node.js v22.23.5", "Python 3.11.7". */
  readonly version: string | undefined;
  /**
   * host: this process's Node.js; cache / download: an official binary fetched
   * earlier / just now; path: the python found on PATH; bootstrap: provided.*.
   */
  readonly source: (typeof INTERPRETER_SOURCES)[number];
  /** Set when what runs is not the declared version: what runs instead and why. */
  readonly warning?: string;
}

export interface InterpreterOptions {
  /** Default: LAMBDA_OPTIMIZER_NODE, else "declared". */
  readonly nodeVersions?: NodeVersions;
  /** Progress lines while a Node.js binary is fetched. */
  readonly log?: (line: string) => void;
  /** Where fetched binaries are kept (default: the user cache). */
  readonly cacheDir?: string;
}

/** LAMBDA_OPTIMIZER_NODE, checked: unset or "declared" runs declared majors, "host" this Node.js. */
export function nodeVersionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): NodeVersions {
  const value = env[NODE_VERSIONS_VARIABLE];
  if (value === undefined || value === "" || value === "declared") return "declared";
  if (value === "host") return "host";
  throw new UsageError(
    `${NODE_VERSIONS_VARIABLE}=${value}: expected host (run every function on this Node.js) or declared (the runtime's own major)`,
  );
}

const resolved = new Map<string, Promise<RuntimeInterpreter>>();

/**
 * The interpreter for a declared runtime; found (and fetched) once per process.
 * Rejects with a UsageError when LAMBDA_OPTIMIZER_NODE means nothing.
 */
export async function resolveInterpreter(
  runtime: string,
  options: InterpreterOptions = {},
): Promise<RuntimeInterpreter> {
  const nodeVersions = options.nodeVersions ?? nodeVersionsFromEnvironment();
  const cacheDir = options.cacheDir ?? userCacheDir();
  const key = `${runtime}\0${nodeVersions}\0${cacheDir}`;
  let pending = resolved.get(key);
  if (!pending) {
    pending = find(runtime, nodeVersions, { ...options, cacheDir });
    resolved.set(key, pending);
    // A failure is not kept: the next environment tries again.
    pending.catch(() => resolved.delete(key));
  }
  return pending;
}

/** What ran, as results report it (invoke's, emulate's and tune's JSON). */
export const InterpreterReportSchema = z.object({
  /** The runtime the function declares: nodejs22.x, python3.12, provided.al2023. */
  declared: z.string(),
  /** "Node.js v22.23.5", "Python 3.11.7"; null for provided.* (the function's own bootstrap). */
  ranOn: z.string().nullable(),
  source: z.enum(INTERPRETER_SOURCES),
  /** Set when what runs is not the declared version: what runs instead and why. */
  warning: z.string().nullable(),
});
export type InterpreterReport = z.infer<typeof InterpreterReportSchema>;

export function interpreterReport(interpreter: RuntimeInterpreter): InterpreterReport {
  return {
    declared: interpreter.runtime,
    ranOn: interpreter.version ?? null,
    source: interpreter.source,
    warning: interpreter.warning ?? null,
  };
}

/** The version INIT_START names: the declared runtime and what really ran it, e.g. "nodejs22.x on Node.js v22.23.5". */
export function runtimeVersionLabel(interpreter: RuntimeInterpreter): string {
  if (interpreter.source === "bootstrap") {
    return interpreter.runtime.startsWith("provided")
      ? `${interpreter.runtime} (the function's own bootstrap)`
      : `${interpreter.runtime} (local)`;
  }
  if (!interpreter.version) return `${interpreter.runtime} (no interpreter found)`;
  const mismatch = interpreter.warning ? ", not the declared version" : "";
  return `${interpreter.runtime} on ${interpreter.version} (local${mismatch})`;
}

async function find(
  runtime: string,
  nodeVersions: NodeVersions,
  options: InterpreterOptions,
): Promise<RuntimeInterpreter> {
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) return findNode(runtime, Number(node[1]), nodeVersions, options);
  const python = /^python(\d+)\.(\d+)$/.exec(runtime);
  if (python) return findPython(runtime, `${python[1]}.${python[2]}`);
  if (runtime.startsWith("nodejs")) return findNode(runtime, undefined, nodeVersions, options);
  return { runtime, command: undefined, version: undefined, source: "bootstrap" };
}

async function findNode(
  runtime: string,
  major: number | undefined,
  nodeVersions: NodeVersions,
  options: InterpreterOptions,
): Promise<RuntimeInterpreter> {
  const host = {
    runtime,
    command: process.execPath,
    version: `Node.js ${process.version}`,
    source: "host" as const,
  };
  const hostMajor = Number(process.versions.node.split(".")[0]);
  if (major === undefined || major === hostMajor) return host;
  const instead = `${runtime} runs on this machine's Node.js ${process.version}, not Node.js ${major}`;
  const differ = "durations and behaviour may differ from Lambda's";
  if (nodeVersions === "host") {
    return {
      ...host,
      warning: `${instead} (${NODE_VERSIONS_VARIABLE}=host): ${differ}`,
    };
  }
  if (major < OLDEST_NODE_MAJOR) {
    return {
      ...host,
      warning: `${instead}: the emulator runs Node.js ${OLDEST_NODE_MAJOR} or later, and Lambda no longer runs ${runtime} either; ${differ}`,
    };
  }
  const binaryOptions: NodeBinaryOptions = {
    ...(options.log ? { log: options.log } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  };
  const binary = await officialNodeBinary(major, binaryOptions);
  if ("unavailable" in binary) {
    return {
      ...host,
      warning: `${instead}: Node.js ${major} could not be had (${binary.unavailable}); ${differ}. ${NODE_VERSIONS_VARIABLE}=host skips the fetch`,
    };
  }
  return {
    runtime,
    command: binary.command,
    version: `Node.js ${binary.version}`,
    source: binary.source,
  };
}

async function findPython(runtime: string, declared: string): Promise<RuntimeInterpreter> {
  // The declared minor's own executable first (python3.12), as pyenv, Debian and Homebrew name it.
  const commands = [`python${declared}`, "python3"];
  // Asked at once: a launcher such as a pyenv shim takes a second or two to answer each.
  const probes = await Promise.all(commands.map((command) => probePython(command)));
  for (const [index, command] of commands.entries()) {
    const found = probes[index];
    if (found === undefined) continue;
    const { version, executable } = found;
    const ran = version.split(".").slice(0, 2).join(".");
    return {
      runtime,
      // The interpreter itself, not a launcher in front of it: a pyenv shim adds a second or
      // more to every cold start, which Lambda's Init Duration does not have.
      command: executable || command,
      version: `Python ${version}`,
      source: "path",
      ...(ran === declared
        ? {}
        : {
            warning: `${runtime} runs on this machine's Python ${version} (${command}), not Python ${declared}: put python${declared} on PATH to run the declared version; durations and behaviour may differ from Lambda's`,
          }),
    };
  }
  return {
    runtime,
    command: "python3",
    version: undefined,
    source: "path",
    warning: `${runtime} cannot run here: neither python${declared} nor python3 is on PATH`,
  };
}

/**
 * The version ("3.11.7") and the executable, from the interpreter itself;
 * undefined when it is missing or does not start (a pyenv shim for a version
 * not selected).
 */
function probePython(
  command: string,
): Promise<{ version: string; executable: string } | undefined> {
  return new Promise((resolve) => {
    execFile(
      command,
      ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"],
      { timeout: 60_000 },
      (error, stdout) => {
        const [version = "", executable = ""] = stdout.trim().split("\n");
        resolve(
          !error && /^\d+\.\d+\.\d+$/.test(version)
            ? { version, executable: executable.trim() }
            : undefined,
        );
      },
    );
  });
}
