/**
 * How to start a function's runtime process: which program, with which
 * environment. Node.js and Python run our own bootstraps on the interpreter
 * interpreter.ts found for the declared runtime; provided.* runs the
 * function's own `bootstrap` executable, as Lambda does. TypeScript handlers
 * are bundled with esbuild first, into the emulator's state folder (never
 * beside the user's code).
 */

import { accessSync, constants, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { splitHandler } from "../../lambda/handler-setting.js";
import type { FunctionDefinition } from "../functions/function-definition.js";
import type { RuntimeInterpreter } from "./interpreter.js";
import { bootstrapPath } from "./package-root.js";

export interface RuntimeLaunch {
  readonly command: string;
  readonly args: readonly string[];
  /** LAMBDA_TASK_ROOT: the code folder, or the bundle folder for TypeScript. */
  readonly taskRoot: string;
  /** _HANDLER as the runtime should read it. */
  readonly handler: string;
  /** Variables the runtime itself needs, over the function's own. */
  readonly environment?: Readonly<Record<string, string>>;
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
  interpreter: RuntimeInterpreter,
  runtimeSdkPackages: readonly string[] = [],
): Promise<RuntimeLaunch> {
  const family = runnableFamily(fn.runtime);
  if (family === "node") return prepareNode(fn, buildDir, interpreter, runtimeSdkPackages);
  if (family === "python") {
    return {
      command: interpreter.command ?? "python3",
      args: [bootstrapPath("python")],
      taskRoot: fn.codeDir,
      handler: fn.handler,
      // Importing a module would write __pycache__ into the user's code folder; Lambda's is
      // read-only and compiles on every cold start, so writing none is also the faithful choice.
      environment: { PYTHONDONTWRITEBYTECODE: "1" },
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
  interpreter: RuntimeInterpreter,
  runtimeSdkPackages: readonly string[],
): Promise<RuntimeLaunch> {
  const command = interpreter.command ?? process.execPath;
  const node = { command, args: [bootstrapPath("node")] };
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
      target: `node${nodeMajor(interpreter)}`,
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
    throw bundlingError(typescript, error);
  }
  return { ...node, taskRoot: buildDir, handler: fn.handler };
}

/** The Node.js major the bundle will run on: "Node.js v22.23.5" -> 22. */
function nodeMajor(interpreter: RuntimeInterpreter): string {
  return /v(\d+)\./.exec(interpreter.version ?? "")?.[1] ?? process.versions.node.split(".")[0]!;
}

interface EsbuildMessage {
  readonly text: string;
  readonly location?: { readonly file: string; readonly line: number } | null;
}

/** esbuild says `Could not resolve "x"` for an import it cannot find. */
const UNRESOLVED_IMPORT = /^Could not resolve "(.+)"$/;

/**
 * A bundle that fails because an import names nothing is what Node.js reports
 * as "Cannot find module": Lambda's Runtime.ImportModuleError, in its message
 * shape. Anything else esbuild refuses is the code's own syntax.
 */
function bundlingError(typescript: string, error: unknown): RuntimeLaunchError {
  const messages = (error as { errors?: EsbuildMessage[] }).errors ?? [];
  const unresolved = messages.map((message) => ({
    message,
    specifier: UNRESOLVED_IMPORT.exec(message.text)?.[1],
  }));
  const missing = unresolved.find((entry) => entry.specifier !== undefined);
  if (missing && unresolved.every((entry) => entry.specifier !== undefined)) {
    // esbuild names files relative to its working folder, this process's own.
    const importer = missing.message.location ? resolve(missing.message.location.file) : typescript;
    return new RuntimeLaunchError(
      `Error: Cannot find module '${missing.specifier}'\nRequire stack:\n- ${importer}`,
      "Runtime.ImportModuleError",
    );
  }
  const text = messages.map((message) => message.text).join("; ");
  return new RuntimeLaunchError(
    `Error: cannot bundle ${typescript}: ${text || (error as Error).message}`,
    "Runtime.UserCodeSyntaxError",
  );
}
