/**
 * From a template's functions, or from a plain folder of handlers, to the
 * FunctionCode units the code rules check: the deployment folder (SAM
 * CodeUri, CloudFormation Code, CDK's asset path), the handler's file and
 * export, the local modules it imports, what the template says of the
 * function, and its package. What cannot be followed (code in S3, a missing
 * folder, a runtime without code rules) becomes a note, never an error.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { splitHandler } from "../../lambda/handler-setting.js";
import { DEFAULTS } from "../../lambda/limits.js";
import { isPlainObject } from "../../plain-object.js";
import { isIntrinsic } from "../../template/intrinsics.js";
import { referencedResource, referencesResource } from "../../template/references.js";
import type { AuditContext, FunctionResource, TemplateResource } from "../audit-context.js";
import {
  asynchronousTriggers,
  customResourcesServed,
  functionUrlModes,
  hasSnapStart,
  numberOf,
  polledTriggers,
  propertyAt,
  stringOf,
  synchronousTriggers,
  type UrlMode,
} from "../function-facts.js";
import { eventSourceMappings } from "../rules/esm-config.js";
import type { SourceKind } from "../rules/esm-settings.js";
import type { CodeLanguage } from "./code-model.js";
import type { FunctionCode, FunctionConfig, Workload } from "./function-code.js";
import { isFile, ModuleResolver } from "./module-graph.js";
import { type PackageFacts, scanPackage } from "./package-scan.js";
import { codePaths, findHandler } from "./reachability.js";
import {
  type AuditNote,
  isSourceFile,
  JAVASCRIPT_EXTENSIONS,
  type SourceCache,
} from "./source-cache.js";

/** Sources whose mapping can report partial batch failures (FunctionResponseTypes: ReportBatchItemFailures). */
const PARTIAL_BATCH_KINDS: ReadonlySet<SourceKind> = new Set(["sqs", "kinesis", "dynamodb"]);

/** A template's Function URLs and REST methods, by which its functions are called. */
interface TemplateCallers {
  readonly urlModes: ReadonlyMap<string, UrlMode>;
  readonly restMethods: readonly TemplateResource[];
}

/** What the command line says of every function (for plain folders, or to override a template). */
export interface CodeOptions {
  /** `--managed-instances`: treat functions as running on Lambda Managed Instances. */
  readonly managedInstances?: boolean;
  /** `--snapstart`: treat functions as having SnapStart on. */
  readonly snapStart?: boolean;
  /** A plain folder's handlers are named by their path relative to this (default: the process's folder). */
  readonly cwd?: string;
  /** `--payload`, `--invocations`: the traffic every function is priced with. */
  readonly workload?: Workload;
}

/** Reads code for many functions, sharing parsed files and package scans between them. */
export class CodeLoader {
  private readonly packages = new Map<string, PackageFacts>();
  private readonly resolver = new ModuleResolver();

  constructor(
    private readonly sources: SourceCache,
    private readonly options: CodeOptions = {},
  ) {}

  get notes(): AuditNote[] {
    return this.sources.notes;
  }

  /** The code of each function in a template that has local code in a language with code rules. */
  fromTemplate(context: AuditContext): FunctionCode[] {
    // What the template says of every function's callers, read once for all of them.
    const callers: TemplateCallers = {
      urlModes: functionUrlModes(context),
      restMethods: context.resourcesOfType("AWS::ApiGateway::Method"),
    };
    return context.functions.flatMap((fn) => {
      const code = this.templateFunction(context, fn, callers);
      return code ? [code] : [];
    });
  }

  private templateFunction(
    context: AuditContext,
    fn: FunctionResource,
    callers: TemplateCallers,
  ): FunctionCode | undefined {
    const runtime = stringOf(fn.properties.Runtime);
    const handler = stringOf(fn.properties.Handler);
    if (!runtime || !handler) return undefined; // an image, or not a function we can follow
    const language = languageOfRuntime(runtime);
    if (!language) {
      this.note(
        context.file,
        `${fn.logicalId}: code rules cover Node.js and Python, not ${runtime}; its code was not checked`,
      );
      return undefined;
    }
    const codeRoot = codeFolder(context, fn);
    if (codeRoot === undefined) {
      this.note(
        context.file,
        `${fn.logicalId}: its code is not in a local folder (S3 or inline); its code was not checked`,
      );
      return undefined;
    }
    if (!isFolder(codeRoot)) {
      this.note(
        context.file,
        `${fn.logicalId}: its code folder ${codeRoot} does not exist (not built yet?); its code was not checked`,
      );
      return undefined;
    }
    const buildMethod = stringOf(propertyAt(fn.resource, ["Metadata", "BuildMethod"]));
    return this.load({
      resource: fn.logicalId,
      template: context.file,
      runtime,
      language,
      codeRoot,
      handler,
      ...(buildMethod ? { buildMethod } : {}),
      config: this.templateConfig(context, fn, callers),
      layers: localLayers(context, fn),
    });
  }

  private templateConfig(
    context: AuditContext,
    fn: FunctionResource,
    callers: TemplateCallers,
  ): FunctionConfig {
    const architectures = fn.properties.Architectures;
    const managed = propertyAt(fn.properties, [
      "CapacityProviderConfig",
      "LambdaManagedInstancesCapacityProviderConfig",
    ]);
    const maxConcurrency = numberOf(propertyAt(managed, ["PerExecutionEnvironmentMaxConcurrency"]));
    const urlMode = callers.urlModes.get(fn.logicalId)?.mode;
    const customResources = customResourcesServed(context, fn);
    const environmentVariables = environmentVariableNames(fn);
    const memoryMb =
      fn.properties.MemorySize === undefined
        ? DEFAULTS.memoryMb
        : numberOf(fn.properties.MemorySize);
    return {
      architecture:
        Array.isArray(architectures) && architectures[0] === "arm64" ? "arm64" : "x86_64",
      snapStart: hasSnapStart(fn) || this.options.snapStart === true,
      ...(isPlainObject(managed)
        ? { managedInstances: maxConcurrency === undefined ? {} : { maxConcurrency } }
        : this.options.managedInstances
          ? { managedInstances: {} }
          : {}),
      triggers: {
        synchronous: synchronousTriggers(context, fn),
        asynchronous: asynchronousTriggers(context, fn),
        polled: polledTriggers(context, fn),
        partialBatch: eventSourceMappings(context)
          .filter((source) => source.fn === fn && PARTIAL_BATCH_KINDS.has(source.kind))
          .map((source) => source.label),
      },
      ...(urlMode ? { functionUrlInvokeMode: urlMode } : {}),
      bufferedRestMethods: callers.restMethods
        .filter((method) => {
          const integration = method.properties.Integration;
          return (
            isPlainObject(integration) &&
            referencesResource(integration.Uri, fn.logicalId) &&
            integration.ResponseTransferMode !== "STREAM"
          );
        })
        .map((method) => method.logicalId),
      ...(customResources.length > 0 ? { customResources } : {}),
      ...(memoryMb !== undefined ? { memoryMb } : {}),
      ...(environmentVariables ? { environmentVariables } : {}),
      ...(this.options.workload ? { workload: this.options.workload } : {}),
    };
  }

  /**
   * Every handler in a folder that has no template (or in one source file):
   * each source file's exported functions named `handler`, `lambda_handler`,
   * `..._handler` or `...Handler`.
   */
  fromFolder(path: string): FunctionCode[] {
    const single = statSync(path).isFile();
    const root = single ? dirname(resolve(path)) : resolve(path);
    const found: FunctionCode[] = [];
    const vendored = (folder: string, name: string) => this.resolver.isVendored(folder, name);
    for (const file of single ? [resolve(path)] : sourceFilesUnder(root, vendored)) {
      const module = this.sources.load(file);
      if (!module) continue;
      for (const [name, exported] of module.exports) {
        if (exported.functionIndex === undefined || !isHandlerName(name)) continue;
        const modulePath = relative(root, file).replace(/\.[^.]+$/, "");
        found.push(
          this.load({
            resource: `${relative(this.options.cwd ?? process.cwd(), file) || basename(file)}:${name}`,
            language: module.language,
            codeRoot: root,
            handler: `${modulePath}.${name}`,
            config: {
              architecture: "x86_64",
              snapStart: this.options.snapStart === true,
              ...(this.options.managedInstances ? { managedInstances: {} } : {}),
              triggers: { synchronous: [], asynchronous: [], polled: [], partialBatch: [] },
              bufferedRestMethods: [],
              ...(this.options.workload ? { workload: this.options.workload } : {}),
            },
            layers: [],
          })!,
        );
      }
    }
    return found;
  }

  private load(
    unit: Omit<FunctionCode, "modules" | "package" | "handlerPath" | "initPath" | "handlerSite"> & {
      readonly layers: readonly string[];
    },
  ): FunctionCode {
    const { layers, ...rest } = unit;
    const packageFacts = this.packageOf(unit.codeRoot, layers);
    const entryFile = handlerFile(unit.codeRoot, unit.handler, unit.language);
    const entry = entryFile ? this.sources.load(entryFile) : undefined;
    if (!entry) {
      if (!entryFile) {
        // Handler: run.sh names a script that starts the app (Lambda Web Adapter, a custom bootstrap).
        const script = isFile(join(unit.codeRoot, unit.handler));
        this.note(
          unit.template ?? unit.codeRoot,
          script
            ? `${unit.resource}: handler ${unit.handler} is a script that starts the app (Lambda Web Adapter?); the code it runs was not checked`
            : `${unit.resource}: no file for handler ${unit.handler} under ${unit.codeRoot}; its code was not checked`,
        );
      }
      const empty = new Map();
      return { ...rest, modules: [], package: packageFacts, handlerPath: empty, initPath: empty };
    }
    const graph = this.resolver.graph(entry, unit.codeRoot, this.sources);
    // The export the runtime calls: the first name of its export path ("handlers" of "handlers.main").
    const { exportPath } = splitHandler(unit.handler, runtimeLanguage(unit.language));
    const { handler, site } = findHandler(graph, exportPath.split(".")[0]!);
    const paths = codePaths(graph, handler);
    return {
      ...rest,
      modules: graph.modules,
      ...(site ? { handlerSite: site } : {}),
      package: packageFacts,
      ...paths,
    };
  }

  private packageOf(codeRoot: string, layers: readonly string[]): PackageFacts {
    const key = [codeRoot, ...layers].join("\0");
    const known = this.packages.get(key);
    if (known) return known;
    const facts = scanPackage(codeRoot, layers);
    this.packages.set(key, facts);
    return facts;
  }

  private note(file: string, message: string): void {
    this.sources.notes.push({ file, message });
  }
}

/** The names a template function's Environment.Variables sets; undefined when they are not written out. */
function environmentVariableNames(fn: FunctionResource): string[] | undefined {
  const environment = fn.properties.Environment;
  if (environment === undefined) return [];
  const variables = propertyAt(environment, ["Variables"]);
  if (isPlainObject(environment) && variables === undefined) return [];
  return isPlainObject(variables) && !isIntrinsic(variables) ? Object.keys(variables) : undefined;
}

function languageOfRuntime(runtime: string): CodeLanguage | undefined {
  if (runtime.startsWith("nodejs")) return "javascript";
  if (runtime.startsWith("python")) return "python";
  return undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A local path in a template (not s3://, not an object pointing at a bucket), resolved against the template's folder. */
function localPath(templateFile: string, value: unknown): string | undefined {
  if (typeof value !== "string" || /^s3:\/\//i.test(value) || value.trim() === "") return undefined;
  return resolve(dirname(templateFile), value);
}

/** The deployment folder: SAM CodeUri (default: the template's folder), CloudFormation Code as a path, or CDK's asset path. */
function codeFolder(context: AuditContext, fn: FunctionResource): string | undefined {
  const asset = stringOf(propertyAt(fn.resource, ["Metadata", "aws:asset:path"]));
  if (asset) return localPath(context.file, asset);
  if (fn.flavour === "sam") {
    if (fn.properties.InlineCode !== undefined || fn.properties.ImageUri !== undefined)
      return undefined;
    const codeUri = fn.properties.CodeUri;
    return codeUri === undefined
      ? dirname(resolve(context.file))
      : localPath(context.file, codeUri);
  }
  return localPath(context.file, fn.properties.Code);
}

/** Layers defined in the same template with local content. */
function localLayers(context: AuditContext, fn: FunctionResource): string[] {
  const layers = Array.isArray(fn.properties.Layers) ? fn.properties.Layers : [];
  return layers.flatMap((layer) => {
    const id = referencedResource(layer);
    const resource = id === undefined ? undefined : context.resource(id);
    if (!resource) return [];
    const asset = stringOf(propertyAt(resource.resource, ["Metadata", "aws:asset:path"]));
    const folder = localPath(
      context.file,
      asset ?? resource.properties.ContentUri ?? resource.properties.Content,
    );
    return folder && isFolder(folder) ? [folder] : [];
  });
}

/** The file a Handler setting names: "src/app.handler" -> src/app.{ts,js,...}; Python "pkg.mod.handler" -> pkg/mod.py. */
export function handlerFile(
  codeRoot: string,
  handler: string,
  language: CodeLanguage,
): string | undefined {
  const { modulePath, exportPath } = splitHandler(handler, runtimeLanguage(language));
  if (modulePath === "" || exportPath === "") return undefined;
  const candidates =
    language === "python"
      ? [join(codeRoot, `${modulePath.replace(/\./g, "/")}.py`)]
      : JAVASCRIPT_EXTENSIONS.map((extension) => join(codeRoot, modulePath + extension));
  return candidates.find(isFile);
}

function runtimeLanguage(language: CodeLanguage): "node" | "python" {
  return language === "python" ? "python" : "node";
}

function isHandlerName(name: string): boolean {
  return name === "handler" || /_handler$|Handler$/.test(name);
}

/** Folders a plain-folder audit does not look in for handlers. */
const SKIPPED_FOLDERS = new Set([
  "node_modules",
  "dist",
  "build",
  "cdk.out",
  "coverage",
  "test",
  "tests",
  "__tests__",
  "__pycache__",
  "site-packages",
]);

/** Source files under a folder (not tests, not dependencies), symlinked folders followed once. */
export function sourceFilesUnder(
  root: string,
  isVendored: (folder: string, name: string) => boolean,
): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = (folder: string): void => {
    let real: string;
    try {
      real = realpathSync(folder);
    } catch {
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.name.startsWith(".") || SKIPPED_FOLDERS.has(entry.name)) continue;
      // Packages pip installed beside the code are dependencies, not handlers.
      if (
        entry.name.endsWith(".dist-info") ||
        isVendored(folder, entry.name.replace(/\.py$/, ""))
      ) {
        continue;
      }
      if (entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path))) walk(path);
      else if (
        isSourceFile(entry.name) &&
        !/\.(test|spec)\.[^.]+$|^test_.*\.py$/.test(entry.name)
      ) {
        files.push(path);
      }
    }
  };
  walk(root);
  return files.sort();
}
