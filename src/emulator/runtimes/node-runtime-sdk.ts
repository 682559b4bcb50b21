/**
 * The AWS SDK that Lambda's Node.js runtimes ship. On Lambda a function may
 * import any `@aws-sdk/*` package without bundling it: the runtime's copy
 * (in /var/runtime/node_modules, on NODE_PATH) is found after the function's
 * own node_modules. The emulator does the same with a copy of its own:
 *
 * - before an environment starts, the function's code and its dependencies'
 *   are read (esbuild) for the `@aws-sdk/*` packages they import and the
 *   function's node_modules lacks;
 * - those are installed once from the npm registry into the user cache, at
 *   the SDK version this package itself runs on (the highest version at or
 *   below it: clients share one version number, utilities have their own);
 * - the folder goes on the function's NODE_PATH: CommonJS `require` looks
 *   there after node_modules, and the bootstrap's resolve hook does the same
 *   for ESM `import`, which ignores NODE_PATH.
 *
 * Each set of packages gets a folder of its own, written under a temporary
 * name and renamed when complete: a folder in use is never changed, and two
 * runs that install the same set at once both end with a whole one.
 *
 * The install happens before the environment's init is timed, so a cold
 * start never includes it. When it cannot happen (offline, no npm), the
 * function's init fails with Runtime.ImportModuleError and says why.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { splitHandler } from "../../lambda/handler-setting.js";
import type { FunctionDefinition } from "../functions/function-definition.js";
import { RuntimeLaunchError } from "./launch.js";
import { npmInstall } from "./npm-install.js";
import { userCacheDir } from "./user-cache.js";

/** The SDK version we ship: the one our own Lambda client is. Lambda pins one per runtime release too. */
export const RUNTIME_SDK_VERSION: string = (
  JSON.parse(
    readFileSync(
      createRequire(import.meta.url).resolve("@aws-sdk/client-lambda/package.json"),
      "utf8",
    ),
  ) as { version: string }
).version;

/** What the runtime provides: `@aws-sdk/*`, as Lambda's runtimes do (their own dependencies come with them). */
const SDK_SCOPE = "@aws-sdk/";

/** Written last into a complete install; a folder without it is never used. */
const MARKER = "runtime-sdk.json";

const SOURCE_EXTENSIONS = ["", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];

export interface RuntimeSdk {
  /** The node_modules folder to put on NODE_PATH. */
  readonly nodeModules: string;
  /** The packages it was installed for. */
  readonly packages: readonly string[];
}

/** Installs in progress, done or failed in this process, by folder: parallel environments share one. */
const installs = new Map<string, Promise<RuntimeSdk>>();

/**
 * The runtime SDK this Node.js function needs, installed: undefined when its
 * own code imports no `@aws-sdk/*` package that its node_modules lacks.
 * Throws a RuntimeLaunchError (Runtime.ImportModuleError) when the packages
 * cannot be installed.
 */
export async function provideNodeRuntimeSdk(
  fn: FunctionDefinition,
  cacheDir: string = userCacheDir(),
): Promise<RuntimeSdk | undefined> {
  const packages = await missingSdkPackages(handlerSourceFiles(fn));
  if (packages.length === 0) return undefined;
  const key = createHash("sha256").update(packages.join("\n")).digest("hex").slice(0, 16);
  const folder = join(cacheDir, "aws-sdk", RUNTIME_SDK_VERSION, key);
  let install = installs.get(folder);
  if (!install) {
    install = installSdk(folder, packages);
    installs.set(folder, install);
  }
  return install;
}

/** The handler's module files that exist: what the runtime could load (an extensionless file, .js, .ts, ...). */
export function handlerSourceFiles(fn: FunctionDefinition): string[] {
  const base = resolve(fn.codeDir, splitHandler(fn.handler, "node").modulePath);
  return SOURCE_EXTENSIONS.map((extension) => base + extension).filter(
    (file) => statSync(file, { throwIfNoEntry: false })?.isFile() === true,
  );
}

/**
 * The `@aws-sdk/*` packages the function's code imports that do not resolve
 * from where they are imported: its own files and its dependencies' (a
 * dependency may expect the runtime's SDK, as Powertools' utilities do with
 * their peer dependencies). An SDK package the function has is not read.
 * Files esbuild cannot read (a syntax error, a native addon) add nothing:
 * the runtime reports those when it loads them.
 */
export async function missingSdkPackages(entryFiles: readonly string[]): Promise<string[]> {
  if (entryFiles.length === 0) return [];
  const key = entryFiles.join("\n");
  const previous = scans.get(key);
  if (previous && unchanged(previous.inputs)) return [...previous.missing];
  const missing = new Set<string>();
  const probe = Symbol("probe");
  const plugin: Plugin = {
    name: "runtime-sdk-imports",
    setup(context) {
      context.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === probe) return undefined;
        const found = await context.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: probe,
        });
        const name = packageName(args.path);
        const fromSdk = name?.startsWith(SDK_SCOPE) === true;
        if (found.errors.length > 0) {
          if (fromSdk) missing.add(name!);
          return { path: args.path, external: true };
        }
        // Node's built-ins, and the function's own SDK packages: nothing to read in them.
        if (found.external || fromSdk) return { path: args.path, external: true };
        return { path: found.path, namespace: found.namespace };
      });
    },
  };
  try {
    const result = await build({
      entryPoints: [...entryFiles],
      bundle: true,
      write: false,
      outdir: "runtime-sdk-scan",
      absWorkingDir: "/",
      metafile: true,
      platform: "node",
      format: "esm",
      logLevel: "silent",
      plugins: [plugin],
    });
    const sorted = [...missing].sort();
    scans.set(key, {
      missing: sorted,
      inputs: modificationTimes(Object.keys(result.metafile.inputs)),
    });
    return [...sorted];
  } catch {
    // What esbuild could not read is the runtime's to report; what it read has been seen.
    return [...missing].sort();
  }
}

/**
 * The last scan of each handler, with every file it read: a function with a
 * large node_modules takes seconds to read, and a tune starts many
 * environments. Any of those files changed, and it is read again.
 */
const scans = new Map<
  string,
  { missing: readonly string[]; inputs: ReadonlyMap<string, number> }
>();

function modificationTimes(files: readonly string[]): Map<string, number> {
  return new Map(
    files.map((file) => {
      const path = resolve("/", file);
      return [path, statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1];
    }),
  );
}

function unchanged(inputs: ReadonlyMap<string, number>): boolean {
  for (const [path, mtimeMs] of inputs) {
    if ((statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1) !== mtimeMs) return false;
  }
  return true;
}

/** "@aws-sdk/client-s3/dist-cjs/x" -> "@aws-sdk/client-s3"; "lodash/get" -> "lodash". */
function packageName(specifier: string): string | undefined {
  if (specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

async function installSdk(folder: string, packages: readonly string[]): Promise<RuntimeSdk> {
  const sdk = { nodeModules: join(folder, "node_modules"), packages };
  if (existsSync(join(folder, MARKER))) return sdk;
  const staging = `${folder}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  const range = `>=3.0.0 <=${RUNTIME_SDK_VERSION}`;
  try {
    await mkdir(staging, { recursive: true });
    await writeFile(
      join(staging, "package.json"),
      `${JSON.stringify(
        {
          name: "lambda-optimizer-runtime-sdk",
          private: true,
          description: `The AWS SDK Lambda's Node.js runtimes provide, as lambda-optimizer's emulator provides it (SDK ${RUNTIME_SDK_VERSION})`,
          dependencies: Object.fromEntries(packages.map((name) => [name, range])),
        },
        null,
        2,
      )}\n`,
    );
    await npmInstall(staging);
    await writeFile(
      join(staging, MARKER),
      `${JSON.stringify({ sdkVersion: RUNTIME_SDK_VERSION, packages, installedAt: new Date().toISOString() }, null, 2)}\n`,
    );
    try {
      await rename(staging, folder);
    } catch (error) {
      // Another run finished the same set first: theirs is as good as ours.
      if (!existsSync(join(folder, MARKER))) throw error;
    }
    return sdk;
  } catch (error) {
    // Kept for this process, as a success is: npm's retries make each failed attempt slow,
    // and a tune would start one per configuration.
    throw new RuntimeLaunchError(
      `Cannot find module '${packages.join("', '")}': Lambda's Node.js runtimes provide the AWS SDK v3, ` +
        `and the emulator fetches the same packages (${range}) from the npm registry once, into ${folder}; ` +
        `that failed: ${(error as Error).message}. Connect to the registry once and run again, or add the package to the function's own dependencies.`,
      "Runtime.ImportModuleError",
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
