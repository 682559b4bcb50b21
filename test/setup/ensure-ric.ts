/**
 * Installs AWS's Node.js Runtime Interface Client (`aws-lambda-ric`) once, into a cache folder
 * under the repository's node_modules, so the emulator's conformance tests can run it as a
 * function's `bootstrap`. One build per Node.js ABI (NODE_ABI below): its native addon loads only
 * under the Node.js major that compiled it.
 *
 * It is not a dependency in package.json on purpose: its install scripts compile curl and
 * aws-lambda-cpp from source (autoconf, automake, libtool, g++, make, cmake), and `npm ci` must
 * never need a compiler toolchain. The first run on a fresh CI machine takes about a minute; every
 * later run reads a marker file and returns at once. See RIC-NOTES.md for how the RIC is started.
 */
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  acquireInstallLock,
  logTail,
  runLogged,
  seconds,
  wantsPackageLists,
} from "./install-support.js";

export interface RuntimeInterfaceClient {
  /** Absolute path of the RIC's bin script: run `node <ricEntry> <module>.<handler>` in the task root. */
  ricEntry: string;
  /** Installed version of aws-lambda-ric, e.g. "3.3.0". */
  version: string;
}

export interface EnsureRicOptions {
  /**
   * Where the RIC is installed. Defaults to
   * node_modules/.cache/lambda-optimizer/aws-lambda-ric/node-abi-<process.versions.modules>.
   */
  cacheDir?: string;
  /** Progress lines go here (default: stderr). */
  log?: (line: string) => void;
  /** How long to wait for another process that holds the install lock (default 20 minutes). */
  lockTimeoutMs?: number;
}

/** The npm spec we install. Major 3 is what the emulator's conformance test is written against. */
export const RIC_PACKAGE_SPEC = "aws-lambda-ric@3";
const RIC_MAJOR = 3;

/** Bumped when the marker's meaning changes, so an old cache is rebuilt rather than trusted. */
const MARKER_SCHEMA = 2;

/** Debian packages the RIC's preinstall script needs (curl's buildconf, aws-lambda-cpp's cmake). */
const REQUIRED_DEBIAN_PACKAGES = ["autoconf", "automake", "libtool", "g++", "make", "cmake"];

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/**
 * The ABI of the Node.js running this process (115 for Node 20, 127 for Node 22). The RIC's native
 * addon is compiled against one ABI and does not load under another ("was compiled against a
 * different Node.js version"), so each ABI gets a build of its own: CI runs the suite on Node 20
 * and on Node 22, and each run keeps its build instead of rebuilding over the other's.
 */
export const NODE_ABI = process.versions.modules;

// The real path: a node_modules reached through a symlink (a git worktree sharing one install)
// must name the same cache, or each checkout would take the marker for another's and rebuild.
export const DEFAULT_RIC_CACHE_DIR = join(
  realpathSync(join(REPO_ROOT, "node_modules")),
  ".cache",
  "lambda-optimizer",
  "aws-lambda-ric",
  `node-abi-${NODE_ABI}`,
);

const LOG_TAIL_LINES = 60;

interface Marker extends RuntimeInterfaceClient {
  schema: number;
  platform: string;
  arch: string;
  /** process.versions.modules of the Node.js that built the addon: only that ABI may load it. */
  nodeAbi: string;
  nodeVersion: string;
  installedAt: string;
}

export class RicInstallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RicInstallError";
  }
}

const fail = (message: string, options?: { cause?: unknown }) =>
  new RicInstallError(message, options);

/** The last lines of the install log and where the full log is, for an error message. */
const tail = (logFile: string) => logTail(logFile, LOG_TAIL_LINES);

export async function ensureRuntimeInterfaceClient(
  options: EnsureRicOptions = {},
): Promise<RuntimeInterfaceClient> {
  const cacheDir = resolve(options.cacheDir ?? DEFAULT_RIC_CACHE_DIR);
  const log = options.log ?? ((line: string) => process.stderr.write(`[ensure-ric] ${line}\n`));
  const paths = cachePaths(cacheDir);

  const cached = await readValidMarker(paths);
  if (cached) return cached;

  if (process.platform !== "linux") {
    throw new RicInstallError(
      `aws-lambda-ric builds only on Linux (its native part is aws-lambda-cpp); this is ${process.platform}. ` +
        "Run the RIC conformance tests on Linux (CI does).",
    );
  }

  await mkdir(dirname(cacheDir), { recursive: true });
  const release = await acquireInstallLock(paths.lock, {
    timeoutMs: options.lockTimeoutMs ?? 20 * 60 * 1000,
    what: "aws-lambda-ric",
    log,
    fail,
  });
  try {
    // Another process may have finished the install while we waited for the lock.
    const installedMeanwhile = await readValidMarker(paths);
    if (installedMeanwhile) return installedMeanwhile;
    return await install(cacheDir, paths, log);
  } finally {
    await release();
  }
}

interface CachePaths {
  marker: string;
  lock: string;
  log: string;
  packageDir: string;
  ricEntry: string;
  addon: string;
}

function cachePaths(cacheDir: string): CachePaths {
  const packageDir = join(cacheDir, "node_modules", "aws-lambda-ric");
  return {
    marker: join(cacheDir, "installed.json"),
    // Beside the cache folder, not in it, so wiping the cache never removes a held lock.
    lock: `${cacheDir}.lock`,
    log: join(cacheDir, "install.log"),
    packageDir,
    ricEntry: join(packageDir, "bin", "index.mjs"),
    addon: join(packageDir, "dist", "rapid-client.node"),
  };
}

async function readValidMarker(paths: CachePaths): Promise<RuntimeInterfaceClient | undefined> {
  let marker: Partial<Marker>;
  try {
    marker = JSON.parse(await readFile(paths.marker, "utf8")) as Partial<Marker>;
  } catch {
    return undefined;
  }
  const valid =
    marker.schema === MARKER_SCHEMA &&
    marker.platform === process.platform &&
    marker.arch === process.arch &&
    // A folder named for one ABI and built by another (copied, or built before folders were
    // per ABI) is rebuilt, never loaded.
    marker.nodeAbi === NODE_ABI &&
    marker.ricEntry === paths.ricEntry &&
    typeof marker.version === "string" &&
    existsSync(paths.ricEntry) &&
    existsSync(paths.addon);
  if (!valid) return undefined;
  return { ricEntry: paths.ricEntry, version: marker.version as string };
}

async function install(
  cacheDir: string,
  paths: CachePaths,
  log: (line: string) => void,
): Promise<RuntimeInterfaceClient> {
  const started = Date.now();
  await mkdir(cacheDir, { recursive: true });
  await rm(paths.marker, { force: true });
  await writeFile(paths.log, `# ${new Date().toISOString()} installing ${RIC_PACKAGE_SPEC}\n`);

  await ensureDebianPackages(paths.log, log);
  await npmInstall(cacheDir, paths, log);
  const version = await readInstalledVersion(paths);
  verifyNativeAddon(paths);

  const marker: Marker = {
    schema: MARKER_SCHEMA,
    ricEntry: paths.ricEntry,
    version,
    platform: process.platform,
    arch: process.arch,
    nodeAbi: NODE_ABI,
    nodeVersion: process.version,
    installedAt: new Date().toISOString(),
  };
  const tmp = `${paths.marker}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(marker, null, 2)}\n`);
  await rename(tmp, paths.marker);
  log(`aws-lambda-ric ${version} ready in ${seconds(Date.now() - started)} (${paths.ricEntry})`);
  return { ricEntry: paths.ricEntry, version };
}

// ---------------------------------------------------------------------------------------------
// Debian packages

function isDebianPackageInstalled(name: string): boolean {
  const result = spawnSync("dpkg", ["-s", name], { encoding: "utf8" });
  return result.status === 0 && /^Status: install ok installed$/m.test(result.stdout);
}

async function ensureDebianPackages(logFile: string, log: (line: string) => void): Promise<void> {
  if (spawnSync("dpkg", ["--version"]).status !== 0) {
    log("dpkg not found; assuming the build toolchain is installed by other means");
    return;
  }
  const missing = REQUIRED_DEBIAN_PACKAGES.filter((name) => !isDebianPackageInstalled(name));
  // node-gyp needs a python3; any on PATH will do (it need not be Debian's).
  if (spawnSync("python3", ["--version"]).status !== 0) missing.push("python3");
  if (missing.length === 0) return;

  if (process.getuid?.() !== 0) {
    throw new RicInstallError(
      `aws-lambda-ric needs these Debian packages to build: ${missing.join(" ")}. ` +
        `Install them with: sudo apt-get install -y ${missing.join(" ")}`,
    );
  }

  const started = Date.now();
  log(`installing Debian packages: ${missing.join(" ")}`);
  const aptInstall = () =>
    runLogged("apt-get", ["-o", "DPkg::Lock::Timeout=300", "install", "-y", ...missing], {
      logFile,
      log,
      fail,
      label: "apt-get install",
    });
  let result = await aptInstall();
  if (result.code !== 0 && wantsPackageLists(result.output)) {
    log("apt-get install could not find the packages; running apt-get update and retrying");
    const update = await runLogged("apt-get", ["-o", "DPkg::Lock::Timeout=300", "update"], {
      logFile,
      log,
      fail,
      label: "apt-get update",
    });
    if (update.code !== 0) {
      throw new RicInstallError(`apt-get update failed (exit ${update.code}).\n${tail(logFile)}`);
    }
    result = await aptInstall();
  }
  if (result.code !== 0) {
    throw new RicInstallError(
      `apt-get install ${missing.join(" ")} failed (exit ${result.code}).\n${tail(logFile)}`,
    );
  }
  const stillMissing = missing.filter(
    (name) => name !== "python3" && !isDebianPackageInstalled(name),
  );
  if (stillMissing.length > 0) {
    throw new RicInstallError(
      `apt-get reported success but ${stillMissing.join(" ")} is still not installed. Full log: ${logFile}`,
    );
  }
  log(`Debian packages installed in ${seconds(Date.now() - started)}`);
}

// ---------------------------------------------------------------------------------------------
// npm

async function npmInstall(
  cacheDir: string,
  paths: CachePaths,
  log: (line: string) => void,
): Promise<void> {
  // npm 11 reads its install-script policy from the project's package.json (`allowScripts`). It
  // only warns for unapproved packages by default, but fails them under strict-allow-scripts, and
  // `--allow-scripts` on the command line is an error for a project-scoped install. Approving the
  // package here works for every npm: older ones ignore the field and run scripts anyway.
  const manifest = {
    name: "lambda-optimizer-aws-lambda-ric-cache",
    private: true,
    description: "Built by test/setup/ensure-ric.ts; safe to delete.",
    allowScripts: { "aws-lambda-ric": true },
  };
  await writeFile(join(cacheDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  const env: NodeJS.ProcessEnv = { ...process.env };
  // node-gyp downloads Node's headers unless told where they are; only the npm registry is
  // reachable on CI. Node installed by a distro package or a tarball ships them beside the binary.
  const nodePrefix = resolve(dirname(process.execPath), "..");
  if (
    env.npm_config_nodedir === undefined &&
    existsSync(join(nodePrefix, "include", "node", "common.gypi"))
  ) {
    env.npm_config_nodedir = nodePrefix;
  }

  const started = Date.now();
  log(`npm install ${RIC_PACKAGE_SPEC} into ${cacheDir} (compiles curl and aws-lambda-cpp)`);
  const result = await runLogged(
    "npm",
    [
      "install",
      "--no-save",
      "--prefix",
      cacheDir,
      "--ignore-scripts=false",
      "--foreground-scripts",
      "--no-audit",
      "--no-fund",
      "--no-update-notifier",
      RIC_PACKAGE_SPEC,
    ],
    { logFile: paths.log, log, fail, label: "npm install", env, cwd: cacheDir },
  );
  if (result.code !== 0) {
    throw new RicInstallError(
      `npm install ${RIC_PACKAGE_SPEC} failed (exit ${result.code}).\n${tail(paths.log)}`,
    );
  }
  if (!existsSync(paths.addon)) {
    throw new RicInstallError(
      `npm install ${RIC_PACKAGE_SPEC} finished but did not build ${paths.addon}: its install ` +
        `scripts were skipped or failed (check ignore-scripts / allowScripts in npm's config).\n` +
        `${tail(paths.log)}`,
    );
  }
  log(`npm install finished in ${seconds(Date.now() - started)}`);
}

async function readInstalledVersion(paths: CachePaths): Promise<string> {
  const pkg = JSON.parse(await readFile(join(paths.packageDir, "package.json"), "utf8")) as {
    version?: string;
  };
  const version = pkg.version ?? "";
  if (Number.parseInt(version, 10) !== RIC_MAJOR) {
    throw new RicInstallError(`expected aws-lambda-ric ${RIC_MAJOR}.x, got "${version}"`);
  }
  return version;
}

/**
 * Loads the addon in a child process. Its static initializer reads AWS_LAMBDA_RUNTIME_API and
 * aborts the process (std::logic_error) when it is unset, so the child sets a dummy one; loading
 * opens no connection.
 */
function verifyNativeAddon(paths: CachePaths): void {
  const probe =
    "const m = require(process.argv[1]);" +
    "for (const f of ['next', 'done', 'error']) if (typeof m[f] !== 'function') throw new Error('missing ' + f);" +
    "console.log('ok');";
  const result = spawnSync(process.execPath, ["-e", probe, paths.addon], {
    encoding: "utf8",
    env: { ...process.env, AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9" },
    timeout: 30_000,
  });
  if (result.status !== 0 || result.stdout.trim() !== "ok") {
    throw new RicInstallError(
      `the RIC's native addon ${paths.addon} does not load (exit ${result.status}, signal ${result.signal}):\n` +
        `${result.stderr}${result.stdout}`,
    );
  }
}
