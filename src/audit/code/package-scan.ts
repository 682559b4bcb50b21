/**
 * What a function's deployment folder (and its local layer folders) ships,
 * read in one walk so the package rules (sdk-v2-bundled, package-size,
 * arm64-blocked) need not touch the disk: its apparent size, the root
 * package.json with the line of each dependency, the packages installed in
 * node_modules, what should not ship (tests, docs, devDependencies) and the
 * native code that ties it to one CPU (ELF binaries, Python wheel tags).
 *
 * The walk is bounded and defensive, as it runs on whatever folder a
 * template names: symlinks are followed only to targets inside the folder
 * being walked, each real directory is entered once (no symlink loops),
 * unreadable entries are recorded and skipped, and after MAX_ENTRIES
 * entries it stops and says so (`truncated`). Only likely binaries have
 * their first bytes read (ELF_HEADER_BYTES), so a large node_modules stays
 * fast.
 */
import {
  type Dirent,
  readdirSync,
  readFileSync,
  realpathSync,
  type Stats,
  statSync,
} from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { isPlainObject } from "../../plain-object.js";
import { ELF_HEADER_BYTES, type ElfHeader, readElfHeader } from "./elf.js";
import { parseRequirements, type RequirementsFacts } from "./requirements-txt.js";

/** Entries (files and folders, function and layers together) visited before the walk stops. */
export const MAX_ENTRIES = 200_000;
/** Entries kept in `skipped`; the rest are only counted. */
const MAX_SKIPPED = 100;
/** Metadata files larger than this are not read (a package.json, a lockfile, a wheel's RECORD). */
const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/** A dependency as package.json declares it. */
export interface DeclaredDependency {
  readonly name: string;
  /** The version range as written ("^2.1692.0", "file:../lib"). */
  readonly range: string;
  /** 1-based line of its key in package.json, so findings point at it. */
  readonly line: number;
}

/** The deployment folder's own package.json. */
export interface PackageJsonFacts {
  /** Absolute path. */
  readonly file: string;
  readonly name?: string;
  readonly dependencies: readonly DeclaredDependency[];
  readonly devDependencies: readonly DeclaredDependency[];
  /** Set when the file is not valid JSON; the lists are empty then. */
  readonly error?: string;
}

/** A package installed at the top level of the deployment folder's node_modules. */
export interface InstalledPackage {
  /** "aws-sdk", "@aws-sdk/client-s3". */
  readonly name: string;
  /** Its package.json's version, when it has one. */
  readonly version?: string;
  /** Absolute folder, as found under node_modules (not resolved through a symlink). */
  readonly folder: string;
  /** Absolute path of its package.json. */
  readonly packageJson: string;
  /** Apparent bytes of its files, nested node_modules included (0 when the walk reached them elsewhere first, e.g. pnpm's .pnpm store, or stopped early). */
  readonly bytes: number;
}

/** A file or folder of the function's own code that need not ship (tests, docs). */
export interface ShippedExtra {
  /** Absolute path. */
  readonly path: string;
  /** Relative to the deployment folder, with `/`. */
  readonly relative: string;
  readonly kind: "file" | "folder";
  /** Apparent bytes (the folder's whole tree). */
  readonly bytes: number;
}

/** A native binary: a `.node` addon, a `.so` library or an executable. */
export interface NativeBinary {
  /** Absolute path. */
  readonly file: string;
  /** Relative to the deployment folder, or to the layer folder when `layer` is set, with `/`. */
  readonly relative: string;
  /** The local layer folder (absolute) it is in; undefined for the deployment folder. */
  readonly layer?: string;
  /** By name: `.node` -> addon, `.so`/`.so.N` -> shared-library, anything else -> executable. */
  readonly kind: "addon" | "shared-library" | "executable";
  /** Its ELF header; undefined for a `.node`/`.so` that is not ELF (built on macOS or Windows: it loads on no Lambda). */
  readonly elf?: ElfHeader;
}

/** A Python distribution installed from a wheel: its `*.dist-info/WHEEL` file. */
export interface WheelFacts {
  /** Absolute path of the WHEEL file. */
  readonly file: string;
  /** Relative to the deployment folder or the layer folder, with `/`. */
  readonly relative: string;
  readonly layer?: string;
  /** From the dist-info folder's name: "numpy" in numpy-2.1.0.dist-info. */
  readonly distribution: string;
  readonly version: string;
  /** Its `Tag:` lines: "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", "py3-none-any". */
  readonly tags: readonly string[];
  /** Every tag's platform is x86 (x86_64, i686): the wheel's compiled code runs on no arm64 CPU. */
  readonly x86Only: boolean;
  /** Absolute paths of what the distribution installed at the top level (from its RECORD): "…/numpy", "…/numpy.libs". */
  readonly topLevel: readonly string[];
}

/** Size of one local layer folder. */
export interface LayerFacts {
  readonly folder: string;
  readonly totalBytes: number;
  readonly fileCount: number;
}

/** Something the walk did not look into, and why. */
export interface SkippedEntry {
  readonly path: string;
  /** "symlink outside the folder", "EACCES", "ENOENT" (a dangling symlink)... */
  readonly reason: string;
}

export interface PackageFacts {
  /** The deployment folder, as given. */
  readonly root: string;
  /** Apparent bytes of every file in the deployment folder (unzipped size; layers not included). */
  readonly totalBytes: number;
  readonly fileCount: number;
  readonly layers: readonly LayerFacts[];
  /** The walk stopped after MAX_ENTRIES entries: sizes and lists are lower bounds. */
  readonly truncated: boolean;
  readonly packageJson?: PackageJsonFacts;
  /** The deployment folder's requirements.txt (Python), when it has one. */
  readonly requirements?: RequirementsFacts;
  /** Top-level packages of node_modules, by name. */
  readonly installed: readonly InstalledPackage[];
  /** Installed packages that are only devDependencies of the root package.json. */
  readonly shippedDevDependencies: readonly InstalledPackage[];
  /** Test folders and files of the function's own code. */
  readonly tests: readonly ShippedExtra[];
  /** Documentation and example folders of the function's own code. */
  readonly docs: readonly ShippedExtra[];
  /** Native binaries in the deployment folder and the layers. */
  readonly binaries: readonly NativeBinary[];
  /** Python wheels installed in the deployment folder and the layers. */
  readonly wheels: readonly WheelFacts[];
  /** At most MAX_SKIPPED entries; `skippedCount` counts them all. */
  readonly skipped: readonly SkippedEntry[];
  readonly skippedCount: number;
}

/** Folders of tests: always reported, except `spec` (see SPEC_FOLDER). */
const TEST_FOLDERS = new Set(["test", "tests", "__tests__", "spec"]);
/** `spec/` also holds OpenAPI or JSON schemas read at run time: it counts as tests only when it holds a test file. */
const SPEC_FOLDER = "spec";
const DOCS_FOLDERS = new Set(["docs", "doc", "examples"]);
/** Never part of a deployment: SAM's builders leave them out of what they copy. */
const NEVER_SHIPPED = new Set([".git", ".aws-sam"]);
const TEST_FILE =
  /\.test\.(?:[cm]?[jt]sx?)$|\.spec\.[^.]+$|^test_[^/]*\.py$|^[^/]*_test\.py$|^conftest\.py$/;
const SHARED_LIBRARY = /\.so(?:\.\d+)*$/;

export interface ScanOptions {
  /** Entries visited before the walk stops (MAX_ENTRIES); tests lower it. */
  readonly maxEntries?: number;
}

export function scanPackage(
  root: string,
  layerFolders: readonly string[],
  options: ScanOptions = {},
): PackageFacts {
  const state: WalkState = {
    remaining: options.maxEntries ?? MAX_ENTRIES,
    truncated: false,
    skipped: [],
    skippedCount: 0,
  };
  const packageJson = readPackageJson(join(root, "package.json"));
  const requirementsFile = join(root, "requirements.txt");
  const requirementsText = readSmallText(requirementsFile);
  const installedFound = readInstalledPackages(root);

  const rootWalk = walk(root, undefined, state, installedFound);
  const layers = layerFolders.map((folder) => {
    const layerWalk = walk(folder, folder, state, new Map());
    return {
      facts: { folder, totalBytes: layerWalk.total.bytes, fileCount: layerWalk.total.files },
      layerWalk,
    };
  });

  const installed = [...installedFound.values()]
    .map(({ tally, ...found }) => ({ ...found, bytes: tally.bytes }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const byPath = (a: { relative: string }, b: { relative: string }) =>
    a.relative.localeCompare(b.relative);
  const allWalks = [rootWalk, ...layers.map((layer) => layer.layerWalk)];

  return {
    root,
    totalBytes: rootWalk.total.bytes,
    fileCount: rootWalk.total.files,
    layers: layers.map((layer) => layer.facts),
    truncated: state.truncated,
    ...(packageJson ? { packageJson } : {}),
    ...(requirementsText !== undefined
      ? { requirements: parseRequirements(requirementsFile, requirementsText) }
      : {}),
    installed,
    shippedDevDependencies: shippedDevDependencies(root, packageJson, installed),
    tests: rootWalk.tests
      .filter((extra) => !extra.specFolder || extra.testFiles > 0)
      .map(toExtra)
      .sort(byPath),
    docs: rootWalk.docs.map(toExtra).sort(byPath),
    binaries: allWalks.flatMap((result) => result.binaries).sort(byPath),
    wheels: allWalks.flatMap((result) => result.wheels).sort(byPath),
    skipped: state.skipped,
    skippedCount: state.skippedCount,
  };
}

// ---------------------------------------------------------------- the walk

interface WalkState {
  remaining: number;
  truncated: boolean;
  skipped: SkippedEntry[];
  skippedCount: number;
}

interface Tally {
  bytes: number;
  files: number;
}

interface ExtraFound {
  path: string;
  relative: string;
  kind: "file" | "folder";
  tally: Tally;
  specFolder: boolean;
  /** Test files found inside (decides whether a `spec/` folder is tests). */
  testFiles: number;
}

interface InstalledFound extends Omit<InstalledPackage, "bytes"> {
  tally: Tally;
}

interface Frame {
  readonly dir: string;
  /** Relative to the walk's root, with `/`; "" for the root. */
  readonly relative: string;
  /** Everything this folder's files count toward: the total, an installed package, a test folder. */
  readonly tallies: readonly Tally[];
  /** Inside node_modules or an installed Python distribution: third-party code, not checked for tests or docs. */
  readonly thirdParty: boolean;
  /** The test or docs folder it is inside, if any (its contents are not reported again). */
  readonly extra?: ExtraFound;
}

interface WalkResult {
  total: Tally;
  tests: ExtraFound[];
  docs: ExtraFound[];
  binaries: NativeBinary[];
  wheels: WheelFacts[];
}

/**
 * Walks one folder (the deployment folder, or a layer when `layer` is set).
 * Tests, docs and installed packages are looked for only in the deployment
 * folder: a layer is shared, and its contents are its owner's choice.
 */
function walk(
  root: string,
  layer: string | undefined,
  state: WalkState,
  installed: ReadonlyMap<string, InstalledFound>,
): WalkResult {
  const result: WalkResult = {
    total: { bytes: 0, files: 0 },
    tests: [],
    docs: [],
    binaries: [],
    wheels: [],
  };
  const realRoot = realPath(root, state);
  if (realRoot === undefined) return result;
  const visited = new Set<string>([realRoot]);
  const stack: Frame[] = [{ dir: root, relative: "", tallies: [result.total], thirdParty: false }];

  while (stack.length > 0) {
    const frame = stack.pop()!;
    const entries = readFolder(frame.dir, state);
    if (entries === undefined) continue;
    // Names installed by Python wheels here (pip install -t): third-party code, like node_modules.
    const vendored = readDistInfos(frame, entries, root, layer, result);
    const subfolders: Frame[] = [];
    for (const entry of entries) {
      if (state.remaining <= 0) {
        state.truncated = true;
        return result;
      }
      state.remaining--;
      const path = join(frame.dir, entry.name);
      const rel = frame.relative === "" ? entry.name : `${frame.relative}/${entry.name}`;
      const target = resolveEntry(path, entry, realRoot, state);
      if (target === undefined) continue;

      if (target.stats.isDirectory()) {
        if (NEVER_SHIPPED.has(entry.name) && frame.relative === "") continue;
        if (visited.has(target.real)) continue; // a symlink loop, or a folder already reached another way
        visited.add(target.real);
        subfolders.push(
          childFrame(
            frame,
            path,
            rel,
            entry.name,
            vendored,
            layer === undefined,
            installed,
            result,
          ),
        );
      } else if (target.stats.isFile()) {
        const bytes = target.stats.size;
        for (const tally of frame.tallies) {
          tally.bytes += bytes;
          tally.files++;
        }
        if (layer === undefined && !frame.thirdParty && TEST_FILE.test(entry.name)) {
          if (frame.extra) frame.extra.testFiles++;
          else {
            const tally = { bytes, files: 1 };
            result.tests.push({
              path,
              relative: rel,
              kind: "file",
              tally,
              specFolder: false,
              testFiles: 1,
            });
          }
        }
        // A symlinked file (node_modules/.bin/esbuild) is the same binary as its target, which
        // the walk reaches inside the folder: report it there, once.
        const binary = entry.isSymbolicLink()
          ? undefined
          : nativeBinary(path, entry.name, target.stats, root, layer);
        if (binary) result.binaries.push(binary);
      }
      // FIFOs, sockets and devices are neither shipped nor opened (a FIFO would block the read).
    }
    // Reversed so folders are entered in name order (the stack is last-in first-out).
    stack.push(...subfolders.reverse());
  }
  return result;
}

function childFrame(
  parent: Frame,
  dir: string,
  rel: string,
  name: string,
  vendored: ReadonlySet<string>,
  ownCodeChecks: boolean,
  installed: ReadonlyMap<string, InstalledFound>,
  result: WalkResult,
): Frame {
  const thirdParty =
    parent.thirdParty ||
    name === "node_modules" ||
    vendored.has(name) ||
    name.endsWith(".dist-info");
  const tallies = [...parent.tallies];
  const pkg = installed.get(rel);
  if (pkg) tallies.push(pkg.tally);
  let extra = parent.extra;
  if (ownCodeChecks && !thirdParty && extra === undefined) {
    const list = TEST_FOLDERS.has(name)
      ? result.tests
      : DOCS_FOLDERS.has(name)
        ? result.docs
        : undefined;
    if (list) {
      extra = {
        path: dir,
        relative: rel,
        kind: "folder",
        tally: { bytes: 0, files: 0 },
        specFolder: name === SPEC_FOLDER,
        testFiles: 0,
      };
      list.push(extra);
      tallies.push(extra.tally);
    }
  }
  return { dir, relative: rel, tallies, thirdParty, ...(extra ? { extra } : {}) };
}

function toExtra(found: ExtraFound): ShippedExtra {
  return { path: found.path, relative: found.relative, kind: found.kind, bytes: found.tally.bytes };
}

function readFolder(dir: string, state: WalkState): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (error) {
    skip(state, dir, error);
    return undefined;
  }
}

/** What an entry is, through a symlink if it is one; undefined when it is outside the root, dangling or unreadable. */
function resolveEntry(
  path: string,
  entry: Dirent,
  realRoot: string,
  state: WalkState,
): { stats: Stats; real: string } | undefined {
  let real = path;
  if (entry.isSymbolicLink()) {
    const resolved = realPath(path, state);
    if (resolved === undefined) return undefined;
    // A zip of the folder would copy the target in; one outside the folder is not ours to walk (it may be /).
    if (resolved !== realRoot && !resolved.startsWith(realRoot + sep)) {
      skip(state, path, "symlink outside the folder");
      return undefined;
    }
    real = resolved;
  } else if (entry.isDirectory()) {
    // Folders are remembered by real path (one syscall per folder, not per file), so one
    // reached again through a symlinked ancestor is recognised.
    const resolved = realPath(path, state);
    if (resolved === undefined) return undefined;
    real = resolved;
  }
  try {
    return { stats: statSync(real), real };
  } catch (error) {
    skip(state, path, error);
    return undefined;
  }
}

function realPath(path: string, state: WalkState): string | undefined {
  try {
    return realpathSync(path);
  } catch (error) {
    skip(state, path, error);
    return undefined;
  }
}

function skip(state: WalkState, path: string, reason: unknown): void {
  state.skippedCount++;
  if (state.skipped.length >= MAX_SKIPPED) return;
  const text =
    typeof reason === "string"
      ? reason
      : ((reason as NodeJS.ErrnoException).code ?? (reason as Error).message ?? String(reason));
  state.skipped.push({ path, reason: text });
}

function posix(path: string): string {
  return path.split(sep).join("/");
}

// ---------------------------------------------------------------- native binaries

/**
 * Reads the header of files that could be binaries: `.node`, `.so`/`.so.N`,
 * files without an extension and executable files. Source files, JSON and
 * the rest of a node_modules are never opened.
 */
function nativeBinary(
  file: string,
  name: string,
  stats: Stats,
  root: string,
  layer: string | undefined,
): NativeBinary | undefined {
  const kind = name.endsWith(".node")
    ? "addon"
    : SHARED_LIBRARY.test(name)
      ? "shared-library"
      : "executable";
  const candidate = kind !== "executable" || extname(name) === "" || (stats.mode & 0o111) !== 0;
  if (!candidate) return undefined;
  const elf = stats.size >= ELF_HEADER_BYTES ? readElfHeader(file) : undefined;
  // An extensionless file that is not ELF is a script, a LICENSE or a Makefile; an addon that is not ELF is still an addon.
  if (elf === undefined && kind === "executable") return undefined;
  return {
    file,
    relative: posix(relative(root, file)),
    ...(layer !== undefined ? { layer } : {}),
    kind,
    ...(elf ? { elf } : {}),
  };
}

// ---------------------------------------------------------------- Python wheels

/**
 * For the `*.dist-info` folders among these entries: records each wheel's
 * tags, and returns the top-level names the distributions installed here
 * (their RECORD's first path segments), which are third-party code.
 */
function readDistInfos(
  frame: Frame,
  entries: readonly Dirent[],
  root: string,
  layer: string | undefined,
  result: WalkResult,
): Set<string> {
  const vendored = new Set<string>();
  for (const entry of entries) {
    if (!entry.name.endsWith(".dist-info")) continue;
    const distInfo = join(frame.dir, entry.name);
    const topLevel = recordTopLevel(join(distInfo, "RECORD"));
    for (const name of topLevel) vendored.add(name);
    const wheelFile = join(distInfo, "WHEEL");
    const text = readSmallText(wheelFile);
    if (text === undefined) continue;
    const tags = [...text.matchAll(/^Tag:\s*(\S+)\s*$/gm)].map((match) => match[1]!);
    const [distribution, version] = splitDistInfoName(entry.name);
    result.wheels.push({
      file: wheelFile,
      relative: posix(relative(root, wheelFile)),
      ...(layer !== undefined ? { layer } : {}),
      distribution,
      version,
      tags,
      x86Only: isX86OnlyWheel(tags),
      topLevel: [...topLevel]
        .filter((name) => name !== entry.name)
        .map((name) => join(frame.dir, name)),
    });
  }
  return vendored;
}

/** "numpy-2.1.0.dist-info" -> ["numpy", "2.1.0"]: names in dist-info folders have `-` escaped as `_`. */
function splitDistInfoName(name: string): [string, string] {
  const stem = name.slice(0, -".dist-info".length);
  const dash = stem.indexOf("-");
  return dash < 0 ? [stem, ""] : [stem.slice(0, dash), stem.slice(dash + 1)];
}

/**
 * Whether every tag's platform (the third part, possibly several joined by
 * `.`) is x86: `cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64`.
 * `any` (pure Python) or an aarch64 platform makes it portable.
 */
export function isX86OnlyWheel(tags: readonly string[]): boolean {
  const platforms = tags.flatMap((tag) => (tag.split("-")[2] ?? "").split("."));
  return platforms.length > 0 && platforms.every((platform) => /(?:x86_64|i686)$/.test(platform));
}

/** First path segments of a RECORD (CSV, path first), without those leaving the folder (`../../bin/x`). */
export function recordTopLevel(file: string): Set<string> {
  const names = new Set<string>();
  const text = readSmallText(file);
  if (text === undefined) return names;
  for (const line of text.split(/\r?\n/)) {
    const path = line.startsWith('"')
      ? (line.slice(1).split('"')[0] ?? "")
      : (line.split(",")[0] ?? "");
    const first = path.split("/")[0];
    if (first && first !== ".." && first !== ".") names.add(first);
  }
  return names;
}

// ---------------------------------------------------------------- package.json and node_modules

/** The deployment folder's package.json, with the line of each dependency; undefined when there is none. */
export function readPackageJson(file: string): PackageJsonFacts | undefined {
  const text = readSmallText(file);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { file, dependencies: [], devDependencies: [], error: (error as Error).message };
  }
  if (!isPlainObject(data)) {
    return { file, dependencies: [], devDependencies: [], error: "not a JSON object" };
  }
  const lines = dependencyKeyLines(text);
  const declared = (section: "dependencies" | "devDependencies"): DeclaredDependency[] => {
    const value = data[section];
    if (!isPlainObject(value)) return [];
    return Object.entries(value)
      .filter((entry): entry is [string, string] => typeof entry[1] === "string")
      .map(([name, range]) => ({ name, range, line: lines.get(section)?.get(name) ?? 1 }));
  };
  return {
    file,
    ...(typeof data.name === "string" ? { name: data.name } : {}),
    dependencies: declared("dependencies"),
    devDependencies: declared("devDependencies"),
  };
}

/**
 * Line of each key inside the top-level "dependencies" and "devDependencies"
 * objects, from a scan of the JSON text (JSON.parse keeps no positions). A
 * key written twice keeps its last line, as JSON.parse keeps its last value.
 */
export function dependencyKeyLines(text: string): Map<string, Map<string, number>> {
  const lines = new Map<string, Map<string, number>>();
  // Open containers: objects remember the key whose value is being read.
  const stack: { object: boolean; expectingKey: boolean; key?: string }[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n") line++;
    else if (ch === '"') {
      const start = i;
      const startLine = line;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === "\n") line++;
      }
      const top = stack.at(-1);
      if (!top?.object || !top.expectingKey) continue; // a value, not a key
      let key: string;
      try {
        key = JSON.parse(text.slice(start, i + 1)) as string;
      } catch {
        continue;
      }
      top.key = key;
      top.expectingKey = false;
      const section = stack.length === 2 ? stack[0]!.key : undefined;
      if (section === "dependencies" || section === "devDependencies") {
        const keys = lines.get(section) ?? new Map<string, number>();
        keys.set(key, startLine);
        lines.set(section, keys);
      }
    } else if (ch === "{") stack.push({ object: true, expectingKey: true });
    else if (ch === "[") stack.push({ object: false, expectingKey: false });
    else if (ch === "}" || ch === "]") stack.pop();
    else if (ch === ",") {
      const top = stack.at(-1);
      if (top?.object) top.expectingKey = true;
    }
  }
  return lines;
}

/**
 * The top-level packages of node_modules (and of its @scope folders),
 * keyed by their path relative to the deployment folder
 * ("node_modules/@aws-sdk/client-s3") so the walk can attribute bytes.
 */
function readInstalledPackages(root: string): Map<string, InstalledFound> {
  const found = new Map<string, InstalledFound>();
  const modules = join(root, "node_modules");
  const realRoot = realPathQuiet(root);
  if (realRoot === undefined) return found;
  const add = (name: string, folder: string) => {
    // Same rule as the walk: never read through a symlink that leaves the folder.
    const real = realPathQuiet(folder);
    if (real === undefined || !real.startsWith(realRoot + sep)) return;
    const packageJson = join(folder, "package.json");
    const text = readSmallText(packageJson);
    if (text === undefined) return;
    let version: string | undefined;
    try {
      const data: unknown = JSON.parse(text);
      if (isPlainObject(data) && typeof data.version === "string") version = data.version;
    } catch {
      // An unparseable package.json: installed, version unknown.
    }
    found.set(`node_modules/${name}`, {
      name,
      ...(version !== undefined ? { version } : {}),
      folder,
      packageJson,
      tally: { bytes: 0, files: 0 },
    });
  };
  for (const entry of listNames(modules)) {
    if (entry.startsWith(".")) continue; // .bin, .package-lock.json, .pnpm
    if (entry.startsWith("@")) {
      for (const scoped of listNames(join(modules, entry)))
        add(`${entry}/${scoped}`, join(modules, entry, scoped));
    } else add(entry, join(modules, entry));
  }
  return found;
}

/**
 * Installed packages that only the developer needs: named in devDependencies,
 * not in dependencies, and not marked as needed in production by npm's
 * lockfile (a devDependency can also be a production package's dependency,
 * hoisted to the top level; the lockfile marks dev-only packages `dev: true`).
 */
function shippedDevDependencies(
  root: string,
  packageJson: PackageJsonFacts | undefined,
  installed: readonly InstalledPackage[],
): InstalledPackage[] {
  if (!packageJson || packageJson.devDependencies.length === 0) return [];
  const production = new Set(packageJson.dependencies.map((dependency) => dependency.name));
  const devOnly = new Set(
    packageJson.devDependencies
      .map((dependency) => dependency.name)
      .filter((name) => !production.has(name)),
  );
  const lock = readLockPackages(root);
  return installed.filter((pkg) => {
    if (!devOnly.has(pkg.name)) return false;
    const locked = lock?.[`node_modules/${pkg.name}`];
    return !(isPlainObject(locked) && locked.dev !== true && locked.devOptional !== true);
  });
}

/** The `packages` of npm's hidden lockfile (what is installed) or else of package-lock.json. */
function readLockPackages(root: string): Record<string, unknown> | undefined {
  for (const file of [
    join(root, "node_modules", ".package-lock.json"),
    join(root, "package-lock.json"),
  ]) {
    const text = readSmallText(file);
    if (text === undefined) continue;
    try {
      const data: unknown = JSON.parse(text);
      if (isPlainObject(data) && isPlainObject(data.packages)) return data.packages;
    } catch {
      // Not JSON (a merge conflict): try the next, or go without.
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- small helpers

function readSmallText(file: string): string | undefined {
  try {
    const stats = statSync(file);
    if (!stats.isFile() || stats.size > MAX_METADATA_BYTES) return undefined;
    return readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch {
    return undefined;
  }
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function realPathQuiet(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
