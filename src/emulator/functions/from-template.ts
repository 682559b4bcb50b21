/**
 * The functions a SAM or CloudFormation template defines, as the emulator
 * runs them: Globals merged, intrinsics resolved, defaults filled in, code
 * found on disk. A problem with the whole template throws; a problem with one
 * function (a container image, code in S3, a bad MemorySize) only marks that
 * function unavailable, so the others still run, and selecting it throws
 * the reason.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve as resolvePath } from "node:path";
import {
  DEFAULTS,
  describeRange,
  EPHEMERAL_STORAGE_MB,
  isWithin,
  MEMORY_MB,
  type Range,
  TIMEOUT_SECONDS,
} from "../../lambda/limits.js";
import { runtimeFacts } from "../../lambda/runtimes.js";
import { isPlainObject } from "../../plain-object.js";
import { type Architecture, isArchitecture } from "../../pricing/price-table.js";
import { intrinsicName } from "../../template/intrinsics.js";
import { type ParsedTemplate, parseTemplate } from "../../template/parse-template.js";
import { type ResolveOptions, resolveTemplate } from "../../template/resolve.js";
import { applyGlobals, propertySourcePath, SERVERLESS_FUNCTION } from "../../template/sam.js";
import { formatLocation, TemplateError } from "../../template/template-error.js";
import type { FunctionDefinition, LogFormat } from "./function-definition.js";
import { functionUrlSettings, withUrlResources } from "./function-url-from-template.js";

export const LAMBDA_FUNCTION = "AWS::Lambda::Function";

export interface FunctionsFromTemplateOptions {
  /** Parameter values by name (AWS::Region etc. accepted too), as `sam deploy --parameter-overrides`. */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /** Variables the user sets (`--env NAME=VALUE`), over every function's own. */
  readonly environmentOverrides?: Readonly<Record<string, string>>;
}

/** A function the template defines that cannot run here, and why. */
export interface UnavailableFunction {
  readonly name: string;
  readonly logicalId: string;
  readonly error: TemplateError;
}

export interface TemplateFunctions {
  /** Absolute path of the template. */
  readonly templatePath: string;
  /** In template order. */
  readonly functions: readonly FunctionDefinition[];
  readonly unavailable: readonly UnavailableFunction[];
  /** Settings that were skipped or guessed, each naming its file and line. */
  readonly warnings: readonly string[];
}

export function functionsFromTemplate(
  templatePath: string,
  options: FunctionsFromTemplateOptions = {},
): TemplateFunctions {
  const parsed = parseTemplate(templatePath);
  if (!isPlainObject(parsed.template.Resources)) {
    throw new TemplateError(
      parsed.locationOf(["Resources"]),
      "the template has no Resources section (a mapping of logical ids to resources)",
    );
  }
  const resolveOptions: ResolveOptions = { parameterOverrides: options.parameterOverrides ?? {} };
  const resolved = resolveTemplate(applyGlobals(parsed.template), resolveOptions);
  const resources = resolved.Resources as Record<string, unknown>;

  const functions: FunctionDefinition[] = [];
  const unavailable: UnavailableFunction[] = [];
  const warnings = [...parsed.warnings];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isPlainObject(resource)) continue;
    if (resource.Type !== SERVERLESS_FUNCTION && resource.Type !== LAMBDA_FUNCTION) continue;
    const properties = isPlainObject(resource.Properties) ? resource.Properties : {};
    const metadata = isPlainObject(resource.Metadata) ? resource.Metadata : {};
    const reader = new FunctionReader(
      parsed,
      logicalId,
      properties,
      metadata,
      warnings,
      options.environmentOverrides ?? {},
    );
    try {
      functions.push(
        resource.Type === SERVERLESS_FUNCTION ? reader.serverless() : reader.cloudFormation(),
      );
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      unavailable.push({ name: reader.name, logicalId, error });
    }
  }
  warnAboutDuplicateNames(functions, parsed, warnings);
  return {
    templatePath: parsed.file,
    functions: withUrlResources(functions, resources, parsed, warnings),
    unavailable,
    warnings,
  };
}

function warnAboutDuplicateNames(
  functions: readonly FunctionDefinition[],
  parsed: ParsedTemplate,
  warnings: string[],
): void {
  const seen = new Map<string, string>();
  for (const { name, logicalId } of functions) {
    const first = seen.get(name);
    if (first !== undefined) {
      const location = formatLocation(parsed.locationOf(["Resources", logicalId!]));
      warnings.push(
        `${location}: ${logicalId} and ${first} share the function name ${name}; select them by logical id`,
      );
    }
    seen.set(name, logicalId!);
  }
}

/** Short text for a value that did not resolve: "Fn::GetAtt Db.Endpoint.Address", "Ref Bucket". */
function describeUnresolved(value: unknown): string {
  const name = intrinsicName(value);
  if (name === undefined) return JSON.stringify(value) ?? String(value);
  const argument = (value as Record<string, unknown>)[name];
  if (typeof argument === "string") return `${name} ${argument}`;
  if (name === "Fn::GetAtt" && Array.isArray(argument)) return `${name} ${argument.join(".")}`;
  return `${name} ${JSON.stringify(argument)}`;
}

/** Reads one function's resolved properties; throws a TemplateError that names the function and line. */
class FunctionReader {
  readonly name: string;

  constructor(
    private readonly parsed: ParsedTemplate,
    private readonly logicalId: string,
    private readonly properties: Record<string, unknown>,
    private readonly metadata: Record<string, unknown>,
    private readonly warnings: string[],
    private readonly environmentOverrides: Readonly<Record<string, string>>,
  ) {
    const functionName = properties.FunctionName;
    this.name = typeof functionName === "string" ? functionName : logicalId;
  }

  serverless(): FunctionDefinition {
    this.refuseImage();
    const { CodeUri: codeUri, InlineCode: inlineCode } = this.properties;
    const runtime = this.runtime();
    const codeDir =
      inlineCode !== undefined
        ? this.inlineCodeDir("InlineCode", inlineCode, runtime)
        : this.localCodeDir("CodeUri", codeUri ?? ".");
    const functionUrl = this.functionUrl();
    return { ...this.definition(runtime, codeDir), ...(functionUrl ? { functionUrl } : {}) };
  }

  /** SAM's FunctionUrlConfig; one the emulator cannot read is left out, with a warning. */
  private functionUrl(): FunctionDefinition["functionUrl"] {
    const config = this.properties.FunctionUrlConfig;
    if (config === undefined) return undefined;
    const settings = functionUrlSettings(config);
    if (typeof settings !== "string") return settings;
    this.warn(["FunctionUrlConfig"], `function URL not served: ${settings}`);
    return undefined;
  }

  cloudFormation(): FunctionDefinition {
    this.refuseImage();
    const code = this.properties.Code;
    const runtime = this.runtime();
    if (isPlainObject(code) && "ZipFile" in code) {
      return this.definition(runtime, this.inlineCodeDir("Code.ZipFile", code.ZipFile, runtime));
    }
    if (isPlainObject(code) && "ImageUri" in code) {
      throw this.error(["Code", "ImageUri"], "its code is a container image (Code.ImageUri)");
    }
    if (code === undefined) throw this.error([], "it has no Code");
    const assetPath = this.cdkAssetPath();
    if (assetPath !== undefined && isPlainObject(code) && "S3Bucket" in code) {
      return this.definition(runtime, this.localCodeDir("Code", assetPath));
    }
    return this.definition(runtime, this.localCodeDir("Code", code));
  }

  /**
   * CDK uploads code to its asset bucket, but `cdk synth` leaves the folder in
   * cdk.out beside the template and names it in the resource's Metadata, so
   * the code can still be found locally (as SAM CLI does for CDK apps).
   */
  private cdkAssetPath(): string | undefined {
    const { "aws:asset:path": path, "aws:asset:property": property } = this.metadata;
    return typeof path === "string" && (property === undefined || property === "Code")
      ? path
      : undefined;
  }

  private definition(runtime: string, codeDir: string): FunctionDefinition {
    const { Description: description } = this.properties;
    return {
      name: this.name,
      logicalId: this.logicalId,
      runtime,
      handler: this.handler(runtime),
      codeDir,
      memoryMb: this.number(["MemorySize"], MEMORY_MB, DEFAULTS.memoryMb),
      timeoutSeconds: this.number(["Timeout"], TIMEOUT_SECONDS, DEFAULTS.timeoutSeconds),
      environment: this.environment(),
      architecture: this.architecture(),
      ephemeralStorageMb: this.number(
        ["EphemeralStorage", "Size"],
        EPHEMERAL_STORAGE_MB,
        DEFAULTS.ephemeralStorageMb,
      ),
      logFormat: this.logFormat(),
      description: typeof description === "string" ? description : "",
    };
  }

  private refuseImage(): void {
    if (this.properties.PackageType === "Image") {
      throw this.error(
        ["PackageType"],
        "it is a container image (PackageType Image); only .zip functions run here",
      );
    }
  }

  private runtime(): string {
    const runtime = this.properties.Runtime;
    if (typeof runtime !== "string") {
      throw this.error(
        ["Runtime"],
        runtime === undefined
          ? "it has no Runtime (set it on the function or in Globals.Function)"
          : `its Runtime (${describeUnresolved(runtime)}) does not resolve to a name`,
      );
    }
    if (runtimeFacts(runtime) === undefined) {
      this.warn(["Runtime"], `Runtime ${runtime} is not one of Lambda's runtimes`);
    }
    return runtime;
  }

  private handler(runtime: string): string {
    const handler = this.properties.Handler;
    if (typeof handler === "string") return handler;
    // A custom runtime's bootstrap ignores the handler, so its absence is no reason to refuse.
    if (handler === undefined && runtimeFacts(runtime)?.family === "provided") return "bootstrap";
    throw this.error(
      ["Handler"],
      handler === undefined
        ? "it has no Handler (set it on the function or in Globals.Function)"
        : `its Handler (${describeUnresolved(handler)}) does not resolve to a string`,
    );
  }

  /** A folder on disk, relative to the template's folder, as `sam build` and `aws cloudformation package` read it. */
  private localCodeDir(property: string, location: unknown): string {
    const path = [property];
    if (isPlainObject(location) && intrinsicName(location) === undefined) {
      throw this.error(path, `its code is in S3 (${property} ${JSON.stringify(location)})`);
    }
    if (typeof location !== "string") {
      throw this.error(
        path,
        `its ${property} (${describeUnresolved(location)}) does not resolve to a local folder`,
      );
    }
    if (location.startsWith("s3://")) throw this.error(path, `its code is in S3 (${location})`);
    const folder = resolvePath(dirname(this.parsed.file), location);
    if (!existsSync(folder)) {
      throw this.error(path, `its ${property} folder ${folder} does not exist`);
    }
    if (!statSync(folder).isDirectory()) {
      throw this.error(
        path,
        `its ${property} ${folder} is a file; point ${property} at the unpacked code folder`,
      );
    }
    return folder;
  }

  /**
   * Inline source (Code.ZipFile, SAM's InlineCode) is saved as Lambda saves it,
   * index.js or index.py, in a folder named by its content so runs reuse it.
   */
  private inlineCodeDir(property: string, source: unknown, runtime: string): string {
    const path = property.split(".");
    if (typeof source !== "string") {
      throw this.error(
        path,
        `its ${property} (${describeUnresolved(source)}) does not resolve to source text`,
      );
    }
    const family = runtimeFacts(runtime)?.family;
    const fileName =
      family === "nodejs" ? "index.js" : family === "python" ? "index.py" : undefined;
    if (fileName === undefined) {
      throw this.error(path, `inline code needs a Node.js or Python runtime, not ${runtime}`);
    }
    const digest = createHash("sha256").update(fileName).update("\0").update(source).digest("hex");
    const folder = join(tmpdir(), "lambda-optimizer", "inline-code", digest.slice(0, 16));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, fileName), source);
    return folder;
  }

  /** A number setting; CloudFormation accepts "512" as well as 512. */
  private number(path: string[], range: Range, fallback: number): number {
    const value = this.value(path);
    const label = path.join(".");
    if (value === undefined) return fallback;
    if (typeof value === "object" && value !== null) {
      this.warn(
        path,
        `${label} (${describeUnresolved(value)}) is not known before deployment; using ${fallback} ${range.unit}`,
      );
      return fallback;
    }
    const number =
      typeof value === "number" || (typeof value === "string" && value.trim() !== "")
        ? Number(value)
        : Number.NaN;
    if (!isWithin(range, number)) {
      throw this.error(
        path,
        `${label} ${JSON.stringify(value)} is not valid: expected ${describeRange(range)}`,
      );
    }
    return number;
  }

  /** The template's variables with the user's over them: one the user sets is never missing. */
  private environment(): Record<string, string> {
    return { ...this.templateEnvironment(), ...this.environmentOverrides };
  }

  private templateEnvironment(): Record<string, string> {
    const variables = this.value(["Environment", "Variables"]);
    if (variables === undefined) return {};
    if (!isPlainObject(variables) || intrinsicName(variables) !== undefined) {
      this.warn(
        ["Environment", "Variables"],
        `Environment.Variables (${describeUnresolved(variables)}) is not a known mapping; no variables set`,
      );
      return {};
    }
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables)) {
      const resource = this.referencedResource(value);
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        // CloudFormation turns numbers and booleans into their text, as Lambda only keeps strings.
        environment[key] = String(value);
      } else if (resource !== undefined) {
        // As `sam local` does: a Ref to a resource of the template is its logical id,
        // e.g. the table name a local DynamoDB (moto_server, LocalStack) is given.
        environment[key] = resource;
      } else if (!(key in this.environmentOverrides)) {
        this.warn(
          ["Environment", "Variables", key],
          `environment variable ${key} is left out: its value (${describeUnresolved(value)}) is only known once deployed; set it with --env ${key}=VALUE if the function needs it`,
        );
      }
    }
    return environment;
  }

  /** The logical id a `Ref` to one of the template's resources names, else undefined. */
  private referencedResource(value: unknown): string | undefined {
    if (intrinsicName(value) !== "Ref") return undefined;
    const name = (value as { Ref: unknown }).Ref;
    const resources = this.parsed.template.Resources;
    return typeof name === "string" && isPlainObject(resources) && Object.hasOwn(resources, name)
      ? name
      : undefined;
  }

  private architecture(): Architecture {
    const path = ["Architectures"];
    const value = this.value(path);
    if (value === undefined) return DEFAULTS.architecture;
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((item) => typeof item === "string")
    ) {
      throw this.error(
        path,
        `Architectures ${JSON.stringify(value)} is not valid: expected [x86_64] or [arm64]`,
      );
    }
    const unknown = value.find((item) => !isArchitecture(item));
    if (unknown !== undefined) {
      throw this.error(
        path,
        `Architectures has ${JSON.stringify(unknown)}: expected x86_64 or arm64`,
      );
    }
    const distinct = [...new Set(value)];
    // SAM concatenates the Globals list with the function's, and Lambda takes only one.
    const chosen = value.at(-1) as Architecture;
    if (distinct.length > 1) {
      this.warn(
        path,
        `Architectures ${JSON.stringify(value)} has more than one (SAM appends the function's list to Globals'); using the function's ${chosen}`,
      );
    }
    return chosen;
  }

  private logFormat(): LogFormat {
    const path = ["LoggingConfig", "LogFormat"];
    const value = this.value(path);
    if (value === undefined) return "Text";
    if (value === "Text" || value === "JSON") return value;
    throw this.error(
      path,
      `LoggingConfig.LogFormat ${JSON.stringify(value)} is not valid: expected Text or JSON`,
    );
  }

  /** The resolved value at a path; an unresolved intrinsic on the way is returned as it is. */
  private value(path: readonly string[]): unknown {
    let current: unknown = this.properties;
    for (const step of path) {
      if (intrinsicName(current) !== undefined) return current;
      if (!isPlainObject(current)) return undefined;
      current = current[step];
    }
    return current;
  }

  private location(path: readonly string[]) {
    return this.parsed.locationOf(propertySourcePath(this.parsed.template, this.logicalId, path));
  }

  private error(path: readonly string[], problem: string): TemplateError {
    const label =
      this.name === this.logicalId ? this.logicalId : `${this.name} (${this.logicalId})`;
    return new TemplateError(
      this.location(path),
      `function ${label} cannot run locally: ${problem}`,
    );
  }

  private warn(path: readonly string[], problem: string): void {
    this.warnings.push(`${formatLocation(this.location(path))}: ${this.logicalId}: ${problem}`);
  }
}
