/**
 * The last CPU law check per mechanism and host, kept in the user cache
 * (user-cache.ts): `doctor` shows it, `doctor --check` replaces it, and a
 * local `tune` reads it to warn when its durations are off — measuring it
 * once first when there is none (lawCheckOnce).
 *
 * A host is its name, system, kernel, CPU model and count: another machine
 * sharing a home folder, or this one after a kernel upgrade, measures anew.
 * A check measured while the host was busy stays until the next
 * `doctor --check`; its date is shown wherever it is used.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { arch, cpus, hostname, platform, release } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import {
  checkCpuLaw,
  LAW_CHECK_BUSY_SHARE,
  type LawCheck,
  type LawCheckOptions,
  LawCheckSchema,
} from "./law-check.js";
import { userCacheDir } from "./runtimes/user-cache.js";
import type { SandboxMechanism } from "./sandbox/index.js";

const HostSchema = z.object({
  hostname: z.string(),
  platform: z.string(),
  release: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cpus: z.number(),
});
type Host = z.infer<typeof HostSchema>;

const CachedLawCheckSchema = z.object({ host: HostSchema, check: LawCheckSchema });

function thisHost(): Host {
  const list = cpus();
  return {
    hostname: hostname(),
    platform: platform(),
    release: release(),
    arch: arch(),
    cpuModel: list[0]?.model.trim() ?? "",
    cpus: list.length,
  };
}

/** Where the last check under `mechanism` on this host is kept. */
export function lawCheckFile(
  mechanism: SandboxMechanism,
  cacheDir: string = userCacheDir(),
): string {
  const host = createHash("sha256").update(JSON.stringify(thisHost())).digest("hex").slice(0, 16);
  return join(cacheDir, "law-check", `${host}-${mechanism}.json`);
}

/** The last check under `mechanism` on this host; undefined when none was kept (or it is unreadable). */
export function readCachedLawCheck(
  mechanism: SandboxMechanism,
  cacheDir: string = userCacheDir(),
): LawCheck | undefined {
  let text: string;
  try {
    text = readFileSync(lawCheckFile(mechanism, cacheDir), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = CachedLawCheckSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.check.mechanism === mechanism
      ? parsed.data.check
      : undefined;
  } catch {
    return undefined;
  }
}

/** Keep `check` as this host's last under its mechanism (written whole, then renamed in place). */
export function saveLawCheck(check: LawCheck, cacheDir: string = userCacheDir()): string {
  const file = lawCheckFile(check.mechanism, cacheDir);
  mkdirSync(join(cacheDir, "law-check"), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, `${JSON.stringify({ host: thisHost(), check }, null, 2)}\n`);
  renameSync(staging, file);
  return file;
}

/** Other work took LAW_CHECK_BUSY_SHARE or more of the CPU time while the check ran. */
export function isBusy(check: LawCheck): boolean {
  return (check.otherCpuShare ?? 0) >= LAW_CHECK_BUSY_SHARE;
}

export interface LawCheckOnceOptions extends LawCheckOptions {
  /** The mechanism the caller's emulator uses here (its sandbox report's). */
  readonly mechanism: SandboxMechanism;
  readonly cacheDir?: string;
}

/** The cached check under `mechanism`, else one measured now (a few seconds) and kept. */
export async function lawCheckOnce(
  options: LawCheckOnceOptions,
): Promise<{ check: LawCheck; cached: boolean }> {
  const cacheDir = options.cacheDir ?? userCacheDir();
  const cached = readCachedLawCheck(options.mechanism, cacheDir);
  if (cached) return { check: cached, cached: true };
  const { mechanism, cacheDir: _cacheDir, ...checkOptions } = options;
  options.onProgress?.(
    `No CPU law check is kept for ${mechanism} on this host: measuring it once (a few seconds; doctor --check measures it again)`,
  );
  const check = await checkCpuLaw(checkOptions);
  // Kept only from a quiet host: a busy one's ratio would warn every later run, wrongly.
  if (isBusy(check))
    options.onProgress?.(
      `The host was busy during the check (other work took ${Math.round(check.otherCpuShare! * 100)}% of the CPU time): not kept; the next run measures again`,
    );
  else saveLawCheck(check, cacheDir);
  return { check, cached: false };
}
