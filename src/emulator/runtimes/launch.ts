/**
 * How to start a function's runtime process: which program, with which
 * environment. Node.js and Python run our own bootstraps; provided.* runs the
 * function's own `bootstrap` executable, as Lambda does. TypeScript handlers
 * are bundled with esbuild first, into the emulator's state folder (never
 * beside the user's code).
 */

import { accessSync, constants, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { splitHandler } from "../../lambda/handler-setting.js";
import type { FunctionDefinition } from "../functions/function-definition.js";
import { bootstrapPath } from "./package-root.js";

export interface RuntimeLaunch {
  readonly command: string;
  readonly args: readonly string[];
  /** LAMBDA_TASK_ROOT: the code folder, or the bundle folder for TypeScript. */
  readonly taskRoot: string;
  /** _HANDLER as the runtime should read it. */
  readonly handler: string;
}

export class RuntimeLaunchError extends Error {
  override readonly name = "RuntimeLaunchError";
  constructor(
    message: string,
    /** The Lambda error type to report on invoke. */
    readonly errorType: string,
  ) {
    super(message);
  }
}

export type RuntimeFamilyRunnable = "node" | "python" | "provided";

export function runnableFamily(runtime: string): RuntimeFamilyRunnable | undefined {
  if (runtime.startsWith("nodejs")) return "node";
  if (runtime.startsWith("python3")) return "python";
  if (runtime.startsWith("provided")) return "provided";
  return undefined;
}

const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts"];
const JAVASCRIPT_EXTENSIONS = [".js", ".mjs", ".cjs"];

/** runtimeSdkPackages: what the runtime provides (node-runtime-sdk.ts), left out of a TypeScript bundle. */
export async function prepareLaunch(
  fn: FunctionDefinition,
  buildDir: string,
  runtimeSdkPackages: readonly string[] = [],
): Promise<RuntimeLaunch> {
  const family = runnableFamily(fn.runtime);
  if (family === "node") return prepareNode(fn, buildDir, runtimeSdkPackages);
  if (family === "python") {
    return {
      command: "python3",
      args: [bootstrapPath("python")],
      taskRoot: fn.codeDir,
      handler: fn.handler,
    };
  }
  if (family === "provided") {
    const bootstrap = join(fn.codeDir, "bootstrap");
    try {
      accessSync(bootstrap, constants.X_OK);
    } catch {
      throw new RuntimeLaunchError(
        `Couldn't find valid bootstrap(s): [${bootstrap}] (it must exist and be executable)`,
        "Runtime.InvalidEntrypoint",
      );
    }
    return { command: bootstrap, args: [], taskRoot: fn.codeDir, handler: fn.handler };
  }
  throw new RuntimeLaunchError(
    `runtime ${fn.runtime} cannot run in the emulator: it runs nodejs*, python3.* and provided.* functions`,
    "Runtime.InvalidRuntime",
  );
}

async function prepareNode(
  fn: FunctionDefinition,
  buildDir: string,
  runtimeSdkPackages: readonly string[],
): Promise<RuntimeLaunch> {
  const node = { command: process.execPath, args: [bootstrapPath("node")] };
  const { modulePath } = splitHandler(fn.handler, "node");
  const base = resolve(fn.codeDir, modulePath);
  const hasJavaScript = JAVASCRIPT_EXTENSIONS.some((extension) => existsSync(base + extension));
  const typescript = TYPESCRIPT_EXTENSIONS.map((extension) => base + extension).find((file) =>
    existsSync(file),
  );
  if (hasJavaScript || !typescript) return { ...node, taskRoot: fn.codeDir, handler: fn.handler };

  const outfile = join(buildDir, `${modulePath}.mjs`);
  try {
    await build({
      entryPoints: [typescript],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node.split(".")[0]}`,
      sourcemap: "inline",
      logLevel: "silent",
      // Imported at run time from the runtime's SDK, as on Lambda.
      external: [...runtimeSdkPackages],
      // Bundled CommonJS dependencies still call require().
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    });
  } catch (error) {
    const message = (error as { errors?: { text: string }[] }).errors
      ?.map((entry) => entry.text)
      .join("; ");
    throw new RuntimeLaunchError(
      `Error: cannot bundle ${typescript}: ${message ?? (error as Error).message}`,
      "Runtime.UserCodeSyntaxError",
    );
  }
  return { ...node, taskRoot: buildDir, handler: fn.handler };
}
