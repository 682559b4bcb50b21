/**
 * The last CPU law check per mechanism and host, kept in the user cache
 * (user-cache.ts): `doctor` shows it, `doctor --check` replaces it, and a
 * local `tune` reads it to warn when its durations are off.
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
import { type LawCheck, LawCheckSchema } from "./law-check.js";
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
