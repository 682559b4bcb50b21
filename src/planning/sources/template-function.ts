/**
 * `plan --template T --function F`: the function's memory, architecture,
 * runtime and /tmp size as the template declares them: an
 * AWS::Serverless::Function with Globals applied, or an AWS::Lambda::Function.
 * Only literal values count: a value behind an intrinsic (a parameter, a
 * condition) is known once deployed, and the planner then takes the fact
 * from the traffic or the options. A literal Lambda would refuse is the
 * template's mistake, reported at its line.
 */
import { closestName } from "../../closest-name.js";
import { UsageError } from "../../errors.js";
import {
  describeRange,
  EPHEMERAL_STORAGE_MB,
  isWithin,
  MEMORY_MB,
  type Range,
} from "../../lambda/limits.js";
import { isPlainObject } from "../../plain-object.js";
import { ARCHITECTURES, isArchitecture } from "../../pricing/price-table.js";
import { type ParsedTemplate, parseTemplate } from "../../template/parse-template.js";
import { listSamFunctions, propertySourcePath } from "../../template/sam.js";
import { TemplateError } from "../../template/template-error.js";
import type { ObservedFunction } from "../traffic-profile.js";

const LAMBDA_FUNCTION = "AWS::Lambda::Function";

interface DeclaredFunction {
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
}

/** Throws a UsageError (a TemplateError for the file itself) naming the template. */
export function functionFromTemplate(templateFile: string, functionName: string): ObservedFunction {
  const parsed = parseTemplate(templateFile);
  const functions = declaredFunctions(parsed.template);
  const found =
    functions.find((candidate) => candidate.logicalId === functionName) ??
    functions.find((candidate) => candidate.properties.FunctionName === functionName);
  if (!found) throw unknownFunction(templateFile, functionName, functions);
  const { logicalId, properties } = found;
  const read = new LiteralReader(parsed, logicalId);
  const memoryMb = read.number(properties.MemorySize, ["MemorySize"], MEMORY_MB);
  const architectures = properties.Architectures;
  // SAM concatenates a list in Globals with the function's own, so the function's comes last.
  const architecture = Array.isArray(architectures) ? architectures.at(-1) : undefined;
  if (typeof architecture === "string" && !isArchitecture(architecture))
    throw read.invalid(
      ["Architectures"],
      `Architectures ${JSON.stringify(architecture)} is not valid: expected ${ARCHITECTURES.join(" or ")}`,
    );
  const runtime = typeof properties.Runtime === "string" ? properties.Runtime : undefined;
  const storage = isPlainObject(properties.EphemeralStorage)
    ? properties.EphemeralStorage.Size
    : undefined;
  const ephemeralStorageMb = read.number(
    storage,
    ["EphemeralStorage", "Size"],
    EPHEMERAL_STORAGE_MB,
  );
  return {
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(typeof architecture === "string" && isArchitecture(architecture) ? { architecture } : {}),
    ...(runtime !== undefined ? { runtime } : {}),
    ...(ephemeralStorageMb !== undefined ? { ephemeralStorageMb } : {}),
  };
}

/** Every Lambda function in template order: SAM's with Globals merged, CloudFormation's as written. */
function declaredFunctions(template: Record<string, unknown>): DeclaredFunction[] {
  const sam = new Map(listSamFunctions(template).map((fn) => [fn.logicalId, fn.properties]));
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  const functions: DeclaredFunction[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const properties =
      sam.get(logicalId) ??
      (isPlainObject(resource) && resource.Type === LAMBDA_FUNCTION
        ? isPlainObject(resource.Properties)
          ? resource.Properties
          : {}
        : undefined);
    if (properties) functions.push({ logicalId, properties });
  }
  return functions;
}

function unknownFunction(
  templateFile: string,
  functionName: string,
  functions: readonly DeclaredFunction[],
): UsageError {
  if (functions.length === 0)
    return new UsageError(
      `${templateFile}: no function ${JSON.stringify(functionName)}: the template defines no AWS::Serverless::Function or AWS::Lambda::Function`,
    );
  const ids = functions.map((fn) => fn.logicalId);
  const closest = closestName(functionName, ids);
  return new UsageError(
    `${templateFile}: no function ${JSON.stringify(functionName)}: expected the logical id of one of ${ids.join(", ")}${closest ? ` (did you mean ${closest}?)` : ""}`,
  );
}

/** Reads literal property values of one function, and refuses those Lambda would, at their line. */
class LiteralReader {
  constructor(
    private readonly parsed: ParsedTemplate,
    private readonly logicalId: string,
  ) {}

  /** A number or numeric string (CloudFormation takes both); undefined for an intrinsic or nothing. */
  number(value: unknown, path: readonly string[], range: Range): number | undefined {
    const literal =
      typeof value === "number"
        ? value
        : typeof value === "string" && value.trim() !== ""
          ? Number(value)
          : undefined;
    if (literal === undefined) return undefined;
    if (!isWithin(range, literal))
      throw this.invalid(
        path,
        `${path.join(".")} ${JSON.stringify(value)} is not valid: expected ${describeRange(range)}`,
      );
    return literal;
  }

  invalid(path: readonly string[], problem: string): TemplateError {
    const where = propertySourcePath(this.parsed.template, this.logicalId, path);
    return new TemplateError(this.parsed.locationOf(where), `${this.logicalId}: ${problem}`);
  }
}
