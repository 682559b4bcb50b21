/**
 * A function from a handler spec typed on the command line, such as
 * `src/app.mjs:handler`, `app.py:lambda_handler` or `./bootstrap`: the file's
 * folder is the code folder, the runtime follows the file's extension, and
 * the handler is written the way Lambda reads it ("app.handler").
 */
import { accessSync, constants, statSync } from "node:fs";
import {
  basename,
  dirname,
  extname,
  isAbsolute,
  relative,
  resolve as resolvePath,
  sep,
} from "node:path";
import { UsageError } from "../../errors.js";
import {
  DEFAULTS,
  describeRange,
  EPHEMERAL_STORAGE_MB,
  isWithin,
  MEMORY_MB,
  type Range,
  TIMEOUT_SECONDS,
} from "../../lambda/limits.js";
import type { FunctionDefinition } from "./function-definition.js";

export const DEFAULT_NODE_RUNTIME = "nodejs22.x";
export const DEFAULT_PYTHON_RUNTIME = "python3.12";
export const DEFAULT_CUSTOM_RUNTIME = "provided.al2023";

const NODE_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];
const PYTHON_EXTENSION = ".py";
const CUSTOM_RUNTIME_FILE = "bootstrap";

/** Node's handler may name a nested export ("handlers.main"); Python's is one function name. */
const NODE_EXPORT = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const PYTHON_FUNCTION = /^[A-Za-z_]\w*$/;
/** What follows the last colon, when it is an export rather than part of a path (C:\...). */
const EXPORT_SUFFIX = /:([A-Za-z_$][\w$.]*)$/;

/** Settings a caller (flags) may set; the rest come from the file. */
export type HandlerSpecOverrides = Partial<
  Omit<FunctionDefinition, "handler" | "codeDir" | "logicalId">
>;

interface SpecParts {
  readonly file: string;
  readonly exportName: string | undefined;
}

function splitSpec(spec: string): SpecParts {
  const match = EXPORT_SUFFIX.exec(spec);
  if (match && match.index > 0) return { file: spec.slice(0, match.index), exportName: match[1] };
  return { file: spec, exportName: undefined };
}

function usage(spec: string, problem: string): UsageError {
  return new UsageError(`handler ${JSON.stringify(spec)}: ${problem}`);
}

/** Lambda function names allow letters, digits, - and _, up to 64 characters. */
function functionNameFrom(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64) || "function";
}

export function functionFromHandlerSpec(
  spec: string,
  overrides: HandlerSpecOverrides = {},
): FunctionDefinition {
  return readHandlerSpec(spec, overrides).definition;
}

/** A local function from a handler spec, named from its path (see localFunctionName). */
export interface LocalHandlerFunction {
  readonly definition: FunctionDefinition;
  /** The handler as a person names it, relative to the folder given: "examples/io-bound/handler.mjs:handler". */
  readonly handlerPath: string;
}

/**
 * Like functionFromHandlerSpec, but named from the file's path relative to `cwd`, so that two
 * projects' handler.mjs are two functions, with two names, two log folders and two titles in
 * reports. `overrides.name` still wins.
 */
export function localFunctionFromHandlerSpec(
  spec: string,
  cwd: string = process.cwd(),
  overrides: HandlerSpecOverrides = {},
): LocalHandlerFunction {
  const { definition, path, exportName } = readHandlerSpec(spec, overrides);
  const shown = relative(cwd, path).split(sep).join("/");
  const isCustom = basename(path) === CUSTOM_RUNTIME_FILE;
  const defaultExport = definition.runtime.startsWith("python") ? "lambda_handler" : "handler";
  const chosenExport = exportName ?? (isCustom ? undefined : defaultExport);
  const handlerPath = `${shown}${chosenExport === undefined ? "" : `:${chosenExport}`}`;
  return {
    definition: {
      ...definition,
      name: overrides.name ?? localFunctionName(path, cwd, chosenExport, defaultExport),
      source: handlerPath,
    },
    handlerPath,
  };
}

/**
 * A Lambda function name (letters, digits, - and _, at most 64) for a handler file: its path
 * relative to `cwd` without the extension, and the export when it is not the default one.
 * examples/io-bound/handler.mjs:handler is "examples-io-bound-handler"; a file outside `cwd` is
 * named by its folder and file ("node-esm-handler"), which does not depend on where `cwd` is.
 */
export function localFunctionName(
  path: string,
  cwd: string,
  exportName: string | undefined,
  defaultExport: string,
): string {
  const fromCwd = relative(cwd, path);
  const outside = fromCwd.startsWith("..") || isAbsolute(fromCwd);
  const parts = (outside ? [basename(dirname(path)), basename(path)] : fromCwd.split(sep)).filter(
    Boolean,
  );
  const last = parts.length - 1;
  parts[last] = basename(parts[last]!, extname(parts[last]!));
  if (exportName !== undefined && exportName !== defaultExport) parts.push(exportName);
  const name = parts
    .join("-")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  // Too long: the end of the path says most about which file it is.
  return name.length > 64 ? name.slice(-64).replace(/^-/, "") : name || "function";
}

function readHandlerSpec(
  spec: string,
  overrides: HandlerSpecOverrides,
): { definition: FunctionDefinition; path: string; exportName: string | undefined } {
  const { file, exportName } = splitSpec(spec.trim());
  const path = resolvePath(file);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    const lambdaNotation = exportName === undefined ? fromLambdaNotation(spec.trim()) : undefined;
    if (lambdaNotation !== undefined) return readHandlerSpec(lambdaNotation, overrides);
    throw usage(spec, `no such file ${file}`);
  }
  if (!isFile)
    throw usage(
      spec,
      `${file} is a folder; name the handler file in it, e.g. ${file}/app.mjs:handler`,
    );

  const extension = extname(path).toLowerCase();
  const codeDir = dirname(path);
  const fileName = basename(path);
  const moduleName = basename(path, extname(path));

  let runtime: string;
  let handler: string;
  let name: string;
  if (fileName === CUSTOM_RUNTIME_FILE) {
    ensureExecutable(spec, path);
    runtime = DEFAULT_CUSTOM_RUNTIME;
    // A custom runtime reads _HANDLER however it likes; "bootstrap" is what templates usually say.
    handler = exportName ?? CUSTOM_RUNTIME_FILE;
    name = basename(codeDir);
  } else if (NODE_EXTENSIONS.includes(extension) || extension === PYTHON_EXTENSION) {
    const isPython = extension === PYTHON_EXTENSION;
    // Lambda reads a dot in the handler as the end of the file name, so the file name cannot have one.
    if (moduleName.includes(".") || moduleName === "") {
      throw usage(
        spec,
        `Lambda cannot load a handler from ${fileName}: a dot in the handler ends the file name; rename the file without extra dots`,
      );
    }
    const chosenExport = exportName ?? (isPython ? "lambda_handler" : "handler");
    if (!(isPython ? PYTHON_FUNCTION : NODE_EXPORT).test(chosenExport)) {
      throw usage(
        spec,
        `${JSON.stringify(chosenExport)} is not a ${isPython ? "Python function" : "JavaScript export"} name`,
      );
    }
    runtime = isPython ? DEFAULT_PYTHON_RUNTIME : DEFAULT_NODE_RUNTIME;
    handler = `${moduleName}.${chosenExport}`;
    name = moduleName;
  } else {
    throw usage(
      spec,
      `cannot tell the runtime of ${fileName}: expected a ${NODE_EXTENSIONS.join(", ")} or ${PYTHON_EXTENSION} file, or an executable named ${CUSTOM_RUNTIME_FILE}`,
    );
  }

  const definition: FunctionDefinition = {
    name: functionNameFrom(name),
    runtime,
    handler,
    codeDir,
    memoryMb: DEFAULTS.memoryMb,
    timeoutSeconds: DEFAULTS.timeoutSeconds,
    environment: {},
    architecture: DEFAULTS.architecture,
    ephemeralStorageMb: DEFAULTS.ephemeralStorageMb,
    logFormat: "Text",
    description: "",
    ...checkedOverrides(spec, overrides),
  };
  return { definition, path, exportName };
}

/** Files Lambda's own notation may mean, in the order Lambda's Node.js runtime tries them, Python last. */
const LAMBDA_NOTATION_EXTENSIONS = [".js", ".mjs", ".cjs", PYTHON_EXTENSION];
const LANGUAGE_EXTENSIONS = [...NODE_EXTENSIONS, PYTHON_EXTENSION];

/**
 * `app.handler`, as a template's Handler says it, read as `app.mjs:handler`
 * (or .js, .cjs, .py) when exactly one such file is there; a hint at our
 * notation when none or both a Node.js and a Python file are.
 */
function fromLambdaNotation(spec: string): string | undefined {
  const slash = Math.max(spec.lastIndexOf("/"), spec.lastIndexOf("\\"));
  const dot = spec.indexOf(".", slash + 1);
  if (dot <= slash + 1 || dot === spec.length - 1) return undefined;
  const modulePath = spec.slice(0, dot);
  const exportName = spec.slice(dot + 1);
  // A missing app.mjs is a missing file, not export "mjs" of app.
  if (!NODE_EXPORT.test(exportName) || LANGUAGE_EXTENSIONS.includes(`.${exportName.toLowerCase()}`))
    return undefined;
  const found = LAMBDA_NOTATION_EXTENSIONS.filter((extension) => {
    try {
      return statSync(resolvePath(modulePath + extension)).isFile();
    } catch {
      return false;
    }
  });
  const node = found.find((extension) => extension !== PYTHON_EXTENSION);
  const python = found.includes(PYTHON_EXTENSION);
  if (node !== undefined && !python) return `${modulePath}${node}:${exportName}`;
  if (python && node === undefined) return `${modulePath}${PYTHON_EXTENSION}:${exportName}`;
  throw usage(
    spec,
    node !== undefined
      ? `both ${modulePath}${node} and ${modulePath}.py are there: name the file, e.g. ${modulePath}${node}:${exportName}`
      : `no such file ${spec}; in Lambda's notation (module.export) that is ${modulePath}.mjs:${exportName} here, and no ${LAMBDA_NOTATION_EXTENSIONS.map((extension) => modulePath + extension).join(", ")} exists`,
  );
}

function ensureExecutable(spec: string, path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw usage(spec, `${path} is not executable; run chmod +x on it`);
  }
}

/** Overrides that are set, with the numbers checked against Lambda's ranges. */
function checkedOverrides(spec: string, overrides: HandlerSpecOverrides): HandlerSpecOverrides {
  const check = (label: string, value: number | undefined, range: Range) => {
    if (value !== undefined && !isWithin(range, value)) {
      throw usage(spec, `${label} ${value} is not valid: expected ${describeRange(range)}`);
    }
  };
  check("memory", overrides.memoryMb, MEMORY_MB);
  check("timeout", overrides.timeoutSeconds, TIMEOUT_SECONDS);
  check("ephemeral storage", overrides.ephemeralStorageMb, EPHEMERAL_STORAGE_MB);
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}
