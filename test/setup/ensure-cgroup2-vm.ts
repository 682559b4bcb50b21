/**
 * Builds, once, what the cgroup v2 tests boot under qemu: a real Debian Linux kernel (cgroup v2
 * with the cpu and memory controllers built in) and a base initramfs holding busybox, this
 * machine's `node` with the libraries it loads, and an `/init` that mounts cgroup2, runs the
 * run's `/payload/run.sh` and powers off. Cached in the user cache (src/emulator/runtimes/
 * user-cache.ts) under cgroup2-vm/, behind a lock and a marker, as ensure-ric.ts caches the RIC;
 * every later call reads the marker and returns at once.
 *
 * The kernel is `linux-image-6.1.0-*-amd64` from Debian's archive, fetched with `apt-get
 * download` and unpacked with `dpkg-deb -x`: nothing is installed. qemu-system-x86 and
 * busybox-static are installed with apt-get when missing (as root; otherwise the error says how).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, statSync } from "node:fs";
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from "node:fs/promises";
import { join, resolve } from "node:path";
import { userCacheDir } from "../../src/emulator/runtimes/user-cache.js";
import { type CpioEntry, writeCpio } from "./cpio-newc.js";
import { acquireInstallLock, logTail, runLogged, seconds } from "./install-support.js";

export interface Cgroup2Vm {
  /** qemu-system-x86_64 on PATH (or its absolute path). */
  qemu: string;
  /** The kernel image (bzImage). */
  kernel: string;
  /** The base initramfs (newc cpio, uncompressed); a run appends its own archive to it. */
  initramfs: string;
  /** The Debian package the kernel came from, e.g. linux-image-6.1.0-57-amd64 6.1.192-3. */
  kernelPackage: string;
  /** Inside the VM, the node binary is here. */
  guestNode: string;
}

export interface EnsureCgroup2VmOptions {
  /** Default: <user cache>/cgroup2-vm. */
  cacheDir?: string;
  log?: (line: string) => void;
  lockTimeoutMs?: number;
}

export class Cgroup2VmError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "Cgroup2VmError";
  }
}

const fail = (message: string, options?: { cause?: unknown }) =>
  new Cgroup2VmError(message, options);

/** Bumped when the image's contents or the marker's meaning change, so an old cache is rebuilt. */
/** Raised whenever the image's contents change (2: /init brings up loopback). */
const MARKER_SCHEMA = 2;
const QEMU = "qemu-system-x86_64";
const BUSYBOX = "/bin/busybox";
const KERNEL_META_PACKAGE = "linux-image-amd64";
const GUEST_NODE = "/usr/bin/node";

/**
 * The VM's /init. The payload (a second archive appended by the runner) brings /payload/run.sh;
 * its exit status is printed before the VM powers off, and a VM whose init dies panics, which
 * `-no-reboot` with `panic=-1` turns into qemu's exit.
 */
const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# loopback: the emulator's Runtime API and Lambda API listen on 127.0.0.1
ip link set lo up
echo "@@vm booted uptime=$(cut -d' ' -f1 /proc/uptime) controllers=$(cat /sys/fs/cgroup/cgroup.controllers | tr ' ' ,)"
if [ -x /payload/run.sh ]; then
  /payload/run.sh
  echo "@@vm exit=$? uptime=$(cut -d' ' -f1 /proc/uptime)"
else
  echo "@@vm exit=127 (no /payload/run.sh)"
fi
poweroff -f
`;

interface Marker {
  schema: number;
  kernelPackage: string;
  node: { path: string; version: string; size: number; mtimeMs: number };
  busybox: { size: number; mtimeMs: number };
  builtAt: string;
}

export function defaultCgroup2VmCacheDir(): string {
  return join(userCacheDir(), "cgroup2-vm");
}

export async function ensureCgroup2Vm(options: EnsureCgroup2VmOptions = {}): Promise<Cgroup2Vm> {
  const cacheDir = resolve(options.cacheDir ?? defaultCgroup2VmCacheDir());
  const log =
    options.log ?? ((line: string) => process.stderr.write(`[ensure-cgroup2-vm] ${line}\n`));
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw fail(
      `the cgroup v2 VM is built from Debian's amd64 kernel and this machine's node: it needs Linux on x64, this is ${process.platform}/${process.arch}`,
    );
  }
  const paths = cachePaths(cacheDir);
  const cached = readValidMarker(paths);
  if (cached) return cached;

  await mkdir(cacheDir, { recursive: true });
  const release = await acquireInstallLock(paths.lock, {
    timeoutMs: options.lockTimeoutMs ?? 20 * 60 * 1000,
    what: "the cgroup v2 VM image",
    log,
    fail,
  });
  try {
    const builtMeanwhile = readValidMarker(paths);
    if (builtMeanwhile) return builtMeanwhile;
    return await build(paths, log);
  } finally {
    await release();
  }
}

interface CachePaths {
  dir: string;
  marker: string;
  lock: string;
  log: string;
  kernel: string;
  initramfs: string;
}

function cachePaths(dir: string): CachePaths {
  return {
    dir,
    marker: join(dir, "built.json"),
    lock: `${dir}.lock`,
    log: join(dir, "build.log"),
    kernel: join(dir, "vmlinuz"),
    initramfs: join(dir, "initramfs.cpio"),
  };
}

function nodeIdentity(): Marker["node"] {
  const stat = statSync(process.execPath);
  return {
    path: process.execPath,
    version: process.version,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
  };
}

function readValidMarker(paths: CachePaths): Cgroup2Vm | undefined {
  let marker: Partial<Marker>;
  try {
    marker = JSON.parse(readFileSync(paths.marker, "utf8")) as Partial<Marker>;
  } catch {
    return undefined;
  }
  const node = nodeIdentity();
  const valid =
    marker.schema === MARKER_SCHEMA &&
    typeof marker.kernelPackage === "string" &&
    marker.node?.path === node.path &&
    marker.node.version === node.version &&
    marker.node.size === node.size &&
    marker.node.mtimeMs === node.mtimeMs &&
    existsSync(paths.kernel) &&
    existsSync(paths.initramfs) &&
    hasCommand(QEMU);
  if (!valid) return undefined;
  return vmOf(paths, marker.kernelPackage as string);
}

function vmOf(paths: CachePaths, kernelPackage: string): Cgroup2Vm {
  return {
    qemu: QEMU,
    kernel: paths.kernel,
    initramfs: paths.initramfs,
    kernelPackage,
    guestNode: GUEST_NODE,
  };
}

function hasCommand(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0;
}

async function build(paths: CachePaths, log: (line: string) => void): Promise<Cgroup2Vm> {
  const started = Date.now();
  await rm(paths.marker, { force: true });
  await writeFile(paths.log, `# ${new Date().toISOString()} building the cgroup v2 VM image\n`);
  await ensureDebianPackages(paths, log);
  const kernelPackage = await fetchKernel(paths, log);
  buildInitramfs(paths);

  const busybox = statSync(BUSYBOX);
  const marker: Marker = {
    schema: MARKER_SCHEMA,
    kernelPackage,
    node: nodeIdentity(),
    busybox: { size: busybox.size, mtimeMs: busybox.mtimeMs },
    builtAt: new Date().toISOString(),
  };
  const tmp = `${paths.marker}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(marker, null, 2)}\n`);
  await rename(tmp, paths.marker);
  log(`cgroup v2 VM image ready in ${seconds(Date.now() - started)} (${paths.dir})`);
  return vmOf(paths, kernelPackage);
}

async function ensureDebianPackages(paths: CachePaths, log: (line: string) => void) {
  const missing: string[] = [];
  if (!hasCommand(QEMU)) missing.push("qemu-system-x86");
  if (!existsSync(BUSYBOX)) missing.push("busybox-static");
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw fail(
      `the cgroup v2 VM needs ${missing.join(" ")}. Install with: sudo apt-get install -y --no-install-recommends ${missing.join(" ")}`,
    );
  }
  log(`installing Debian packages: ${missing.join(" ")}`);
  const result = await runLogged(
    "apt-get",
    ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", ...missing],
    { logFile: paths.log, log, fail, label: "apt-get install" },
  );
  if (result.code !== 0 || !hasCommand(QEMU) || !existsSync(BUSYBOX)) {
    throw fail(`apt-get install ${missing.join(" ")} failed.\n${logTail(paths.log, 40)}`);
  }
}

/** apt-get download + dpkg-deb -x of the kernel package linux-image-amd64 depends on; nothing is installed. */
async function fetchKernel(paths: CachePaths, log: (line: string) => void): Promise<string> {
  const depends = spawnSync("apt-cache", ["depends", KERNEL_META_PACKAGE], { encoding: "utf8" });
  const name = /Depends:\s*(linux-image-6\.1\.0-\d+-amd64)\b/.exec(depends.stdout ?? "")?.[1];
  if (name === undefined) {
    throw fail(
      `could not find the kernel package: apt-cache depends ${KERNEL_META_PACKAGE} printed:\n${depends.stdout}${depends.stderr}\n(run apt-get update?)`,
    );
  }
  const work = await mkdtemp(join(paths.dir, "kernel-"));
  try {
    log(`apt-get download ${name}`);
    const download = await runLogged("apt-get", ["download", name], {
      logFile: paths.log,
      log,
      fail,
      cwd: work,
    });
    const deb = (await readdir(work)).find((file) => file.endsWith(".deb"));
    if (download.code !== 0 || deb === undefined) {
      throw fail(`apt-get download ${name} failed.\n${logTail(paths.log, 40)}`);
    }
    const version = /^[^_]+_([^_]+)_/.exec(deb)?.[1] ?? "unknown";
    const extracted = join(work, "extracted");
    const unpack = await runLogged("dpkg-deb", ["-x", join(work, deb), extracted], {
      logFile: paths.log,
      log,
      fail,
    });
    const boot = join(extracted, "boot");
    const vmlinuz = existsSync(boot)
      ? (await readdir(boot)).find((file) => file.startsWith("vmlinuz-"))
      : undefined;
    if (unpack.code !== 0 || vmlinuz === undefined) {
      throw fail(`dpkg-deb -x ${deb} gave no /boot/vmlinuz-*.\n${logTail(paths.log, 40)}`);
    }
    const config = (await readdir(boot)).find((file) => file.startsWith("config-"));
    if (config !== undefined) {
      const text = await readFile(join(boot, config), "utf8");
      for (const option of ["CONFIG_CGROUPS", "CONFIG_MEMCG", "CONFIG_CFS_BANDWIDTH"]) {
        if (!text.includes(`${option}=y`)) throw fail(`${name} is built without ${option}`);
      }
    }
    await copyFile(join(boot, vmlinuz), paths.kernel);
    return `${name} ${version}`;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The shared libraries a binary loads, from ldd (none for a static one). */
function sharedLibraries(binary: string): string[] {
  const result = spawnSync("ldd", [binary], { encoding: "utf8" });
  if (result.status !== 0) return []; // "not a dynamic executable"
  const libraries: string[] = [];
  for (const line of result.stdout.split("\n")) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) libraries.push(match[1]);
  }
  return libraries;
}

function buildInitramfs(paths: CachePaths): void {
  const entries: CpioEntry[] = [];
  for (const dir of ["bin", "sbin", "usr/bin", "proc", "sys", "dev", "tmp", "payload"]) {
    entries.push({ type: "dir", path: dir });
  }
  entries.push({ type: "file", path: "bin/busybox", data: readFileSync(BUSYBOX), mode: 0o755 });
  entries.push({ type: "symlink", path: "bin/sh", target: "busybox" });
  entries.push({
    type: "file",
    path: GUEST_NODE,
    data: readFileSync(process.execPath),
    mode: 0o755,
  });
  const libraries = new Set([...sharedLibraries(BUSYBOX), ...sharedLibraries(process.execPath)]);
  for (const library of libraries) {
    // the loader is looked up by the path the binary names, libraries by the resolved file's name
    entries.push({ type: "file", path: library, data: readFileSync(library), mode: 0o755 });
  }
  entries.push({ type: "file", path: "init", data: Buffer.from(INIT_SCRIPT), mode: 0o755 });
  const tmp = `${paths.initramfs}.${process.pid}.tmp`;
  writeCpio(tmp, entries);
  renameSync(tmp, paths.initramfs);
}
