/**
 * What this machine can do for the emulator: how it will hold a function to
 * its share of CPU and memory, how faithfully that mechanism gave CPU in
 * proportion to memory when last checked (law-check.ts), and which runtimes
 * it can run on which interpreter. `doctor --json` prints this report; the
 * CLI only renders it.
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { z } from "zod";
import { VERSION } from "../version.js";
import { checkCpuLaw, LawCheckSchema } from "./law-check.js";
import { readCachedLawCheck, saveLawCheck } from "./law-check-cache.js";
import { nodeVersionsFromEnvironment } from "./runtimes/interpreter.js";
import {
  cachedNodeBinaries,
  nodeBinariesDir,
  nodeBinaryPackage,
} from "./runtimes/node-binaries.js";
import { detectSandbox, type ForcedMechanism, SandboxReportSchema } from "./sandbox/index.js";

export const DoctorReportSchema = z.object({
  /** lambda-optimizer's version. */
  version: z.string(),
  /** The Node.js running lambda-optimizer: "v20.19.5". */
  node: z.string(),
  /** CPUs of this machine (sandbox.hostCpus is how many this process may use). */
  hostCpus: z.number().int().nonnegative(),
  sandbox: SandboxReportSchema,
  /**
   * The CPU law measured under `sandbox.mechanism` on this host: by this call
   * (`check` option, `cached: false`), else the last check kept in the user
   * cache (`cached: true`); null when it was never checked here.
   */
  check: LawCheckSchema.extend({ cached: z.boolean() }).nullable(),
  runtimes: z.object({
    nodejs: z.object({
      available: z.literal(true),
      /** The Node.js that runs a function declaring this process's major. */
      command: z.string(),
      /** "declared": nodejs<N>.x runs on Node.js N; "host": every one on this Node.js. */
      versions: z.enum(["declared", "host"]),
      /** Where official Node.js binaries are fetched to. */
      cacheDir: z.string(),
      /** The official binaries there already. */
      cached: z.array(z.object({ major: z.number(), version: z.string(), command: z.string() })),
      /** The npm package other majors are fetched from; null where none is published. */
      fetchFrom: z.string().nullable(),
    }),
    python: z.object({
      available: z.boolean(),
      /** What `python3 --version` says: "Python 3.12.3"; null without python3. */
      version: z.string().nullable(),
    }),
    provided: z.object({ available: z.literal(true), note: z.string() }),
  }),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

export interface DoctorOptions {
  /** Report this sandbox mechanism as forced (`--sandbox`), as the emulator would run it. */
  readonly sandbox?: ForcedMechanism;
  /** Measure the CPU law now (a few seconds) and keep it as this host's last check. */
  readonly check?: boolean;
  /** The check's progress lines, for stderr. */
  readonly onProgress?: (line: string) => void;
}

export async function doctorReport(options: DoctorOptions = {}): Promise<DoctorReport> {
  const sandbox = await detectSandbox(options.sandbox ? { force: options.sandbox } : undefined);
  let check: DoctorReport["check"] = null;
  if (options.check) {
    const measured = await checkCpuLaw({
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    saveLawCheck(measured);
    check = { ...measured, cached: false };
  } else {
    const cached = readCachedLawCheck(sandbox.mechanism);
    if (cached) check = { ...cached, cached: true };
  }
  const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
  const pythonFound = python.status === 0;
  return {
    version: VERSION,
    node: process.version,
    hostCpus: cpus().length,
    sandbox,
    check,
    runtimes: {
      nodejs: {
        available: true,
        command: process.execPath,
        versions: nodeVersionsFromEnvironment(),
        cacheDir: nodeBinariesDir(),
        cached: cachedNodeBinaries().map(({ major, version, command }) => ({
          major,
          version,
          command,
        })),
        fetchFrom: nodeBinaryPackage() ?? null,
      },
      python: {
        available: pythonFound,
        // Python before 3.4 printed its version on stderr.
        version: pythonFound ? python.stdout.trim() || python.stderr.trim() : null,
      },
      provided: { available: true, note: "runs the function's own bootstrap executable" },
    },
  };
}
