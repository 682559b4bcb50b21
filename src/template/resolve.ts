/**
 * Resolve a template's intrinsic functions as far as can be done without
 * deploying it: parameters (their Default, or an override), pseudo parameters,
 * Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If with its condition,
 * Fn::FindInMap, Fn::Base64 and the condition functions. What only exists once
 * deployed (Fn::GetAtt, Fn::ImportValue, a Ref to a resource, a parameter
 * with no value) is left as it is, with what could be resolved inside it
 * resolved, so `isResolved` tells the caller whether a value is usable.
 */

import { isPlainObject } from "../plain-object.js";
import { containsIntrinsic, intrinsicName } from "./intrinsics.js";
import { NO_VALUE_REF, type PseudoParameterValues, pseudoParameters } from "./pseudo-parameters.js";

export interface ResolveOptions {
  /**
   * Parameter values by name, as `sam deploy --parameter-overrides` takes them.
   * AWS::Region, AWS::AccountId and AWS::StackName are accepted here too.
   */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  readonly pseudoParameters?: PseudoParameterValues;
}

export interface Resolver {
  /** The value with everything resolvable resolved; undefined when it is Ref AWS::NoValue. */
  resolve(value: unknown): unknown;
  /** A condition's value, or undefined when it depends on something unknown before deployment. */
  condition(name: string): boolean | undefined;
  /** Parameter values in effect (override, else Default); parameters with neither are absent. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** True when nothing in the value waits for deployment (no intrinsic is left). */
export function isResolved(value: unknown): boolean {
  return !containsIntrinsic(value);
}

const NO_VALUE = Symbol(NO_VALUE_REF);

function section(template: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = template[name];
  return isPlainObject(value) ? value : {};
}

/** List-typed parameters: Ref gives a list, split from the comma-separated value. */
function isListType(type: unknown): boolean {
  return typeof type === "string" && (type === "CommaDelimitedList" || type.startsWith("List<"));
}

function parameterValues(
  declared: Record<string, unknown>,
  overrides: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, declaration] of Object.entries(declared)) {
    const type = isPlainObject(declaration) ? declaration.Type : undefined;
    const override = overrides[name];
    // An SSM-typed parameter's Default is the name of an SSM parameter, not its value.
    const isSsm = typeof type === "string" && type.startsWith("AWS::SSM::Parameter::Value<");
    const value =
      override ??
      (isPlainObject(declaration) && !isSsm && "Default" in declaration
        ? declaration.Default
        : undefined);
    if (value === undefined) continue;
    values[name] = isListType(type) && typeof value === "string" ? value.split(",") : value;
  }
  return values;
}

function isScalarValue(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

export function createResolver(
  template: Record<string, unknown>,
  options: ResolveOptions = {},
): Resolver {
  const overrides = options.parameterOverrides ?? {};
  const parameters = parameterValues(section(template, "Parameters"), overrides);
  const pseudo = pseudoParameters({
    region: overrides["AWS::Region"],
    accountId: overrides["AWS::AccountId"],
    stackName: overrides["AWS::StackName"],
    ...options.pseudoParameters,
  });
  const mappings = section(template, "Mappings");
  const conditions = section(template, "Conditions");
  const conditionValues = new Map<string, boolean | undefined>();
  const evaluating = new Set<string>();

  function refValue(name: unknown): unknown {
    if (typeof name !== "string") return undefined;
    if (name === NO_VALUE_REF) return NO_VALUE;
    if (name in pseudo) return pseudo[name];
    return parameters[name];
  }

  function condition(name: string): boolean | undefined {
    if (conditionValues.has(name)) return conditionValues.get(name);
    // A cycle is a template error CloudFormation reports; here it is simply unknown.
    if (evaluating.has(name) || !(name in conditions)) return undefined;
    evaluating.add(name);
    const value = evaluateCondition(conditions[name]);
    evaluating.delete(name);
    conditionValues.set(name, value);
    return value;
  }

  /** A condition expression: {Condition: name}, or a condition function. */
  function evaluateCondition(expression: unknown): boolean | undefined {
    if (isPlainObject(expression) && typeof expression.Condition === "string") {
      return condition(expression.Condition);
    }
    const value = resolveAny(expression);
    return typeof value === "boolean" ? value : undefined;
  }

  function resolveAny(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map(resolveAny).filter((item) => item !== NO_VALUE);
    }
    if (!isPlainObject(value)) return value;
    const name = intrinsicName(value);
    if (name !== undefined) return resolveIntrinsic(name, value[name]);
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const itemValue = resolveAny(item);
      if (itemValue !== NO_VALUE) resolved[key] = itemValue;
    }
    return resolved;
  }

  /** Inside a kept intrinsic, NoValue has to stay written out: there is no key to drop. */
  function keep(name: string, argument: unknown): Record<string, unknown> {
    return { [name]: argument === NO_VALUE ? { Ref: NO_VALUE_REF } : argument };
  }

  function resolveIntrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case "Ref": {
        const value = refValue(argument);
        return value === undefined ? keep(name, argument) : value;
      }
      case "Fn::Sub":
        return resolveSub(argument);
      case "Fn::Join":
        return resolveJoin(argument);
      case "Fn::Select":
        return resolveSelect(argument);
      case "Fn::Split":
        return resolveSplit(argument);
      case "Fn::If":
        return resolveIf(argument);
      case "Fn::Equals":
        return resolveEquals(argument);
      case "Fn::And":
      case "Fn::Or":
      case "Fn::Not":
        return resolveLogic(name, argument);
      case "Fn::FindInMap":
        return resolveFindInMap(argument);
      case "Fn::Base64": {
        const text = resolveAny(argument);
        return typeof text === "string"
          ? Buffer.from(text, "utf8").toString("base64")
          : keep(name, text);
      }
      default:
        // GetAtt, ImportValue, GetAZs, Cidr, Transform, ...: only known once deployed.
        return keep(name, resolveAny(argument));
    }
  }

  function resolveSub(argument: unknown): unknown {
    const [text, variableMap] = Array.isArray(argument) ? argument : [argument, undefined];
    const resolvedText = resolveAny(text);
    if (typeof resolvedText !== "string") return keep("Fn::Sub", resolveAny(argument));
    const variables = isPlainObject(variableMap) ? resolveAny(variableMap) : {};
    const unresolvedVariables: Record<string, unknown> = {};
    const lookUp = (variable: string): string | undefined => {
      const value =
        isPlainObject(variables) && variable in variables
          ? variables[variable]
          : variable.includes(".")
            ? undefined // Resource.Attribute: a GetAtt
            : refValue(variable);
      if (isScalarValue(value)) return String(value);
      if (isPlainObject(variables) && variable in variables) {
        unresolvedVariables[variable] = variables[variable];
      }
      return undefined;
    };

    let complete = true;
    const substituted = resolvedText.replace(/\$\{([^}]*)\}/g, (whole, variable: string) => {
      if (variable.startsWith("!")) return whole;
      const value = lookUp(variable.trim());
      if (value === undefined) complete = false;
      return value ?? whole;
    });
    if (complete) return substituted.replace(/\$\{!([^}]*)\}/g, "$${$1}");
    return Object.keys(unresolvedVariables).length > 0
      ? keep("Fn::Sub", [substituted, unresolvedVariables])
      : keep("Fn::Sub", substituted);
  }

  function resolveJoin(argument: unknown): unknown {
    const resolved = resolveAny(argument);
    if (Array.isArray(resolved) && resolved.length === 2) {
      const [delimiter, items] = resolved;
      if (typeof delimiter === "string" && Array.isArray(items) && items.every(isScalarValue)) {
        return items.map(String).join(delimiter);
      }
    }
    return keep("Fn::Join", resolved);
  }

  function resolveSelect(argument: unknown): unknown {
    const resolved = resolveAny(argument);
    if (Array.isArray(resolved) && resolved.length === 2) {
      const [index, items] = resolved;
      const position = Number(index);
      if (
        isScalarValue(index) &&
        Number.isInteger(position) &&
        Array.isArray(items) &&
        position >= 0 &&
        position < items.length
      ) {
        return items[position];
      }
    }
    return keep("Fn::Select", resolved);
  }

  function resolveSplit(argument: unknown): unknown {
    const resolved = resolveAny(argument);
    if (Array.isArray(resolved) && resolved.length === 2) {
      const [delimiter, text] = resolved;
      if (typeof delimiter === "string" && typeof text === "string") return text.split(delimiter);
    }
    return keep("Fn::Split", resolved);
  }

  function resolveIf(argument: unknown): unknown {
    if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== "string") {
      return keep("Fn::If", resolveAny(argument));
    }
    const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
    const value = condition(name);
    if (value === true) return resolveAny(whenTrue);
    if (value === false) return resolveAny(whenFalse);
    const branches = [resolveAny(whenTrue), resolveAny(whenFalse)].map((branch) =>
      branch === NO_VALUE ? { Ref: NO_VALUE_REF } : branch,
    );
    return keep("Fn::If", [name, ...branches]);
  }

  function resolveEquals(argument: unknown): unknown {
    const resolved = resolveAny(argument);
    if (Array.isArray(resolved) && resolved.length === 2) {
      const [left, right] = resolved;
      // CloudFormation compares the values as strings: a Number parameter equals "3".
      if (isScalarValue(left) && isScalarValue(right)) return String(left) === String(right);
    }
    return keep("Fn::Equals", resolved);
  }

  function resolveLogic(name: string, argument: unknown): unknown {
    const operands = Array.isArray(argument) ? argument : [argument];
    const values = operands.map(evaluateCondition);
    if (name === "Fn::Not") {
      const [only] = values;
      return only === undefined ? keep(name, operands.map(keepCondition)) : !only;
    }
    // One false decides an And, one true decides an Or.
    const decisive = name !== "Fn::And";
    if (values.includes(decisive)) return decisive;
    if (values.every((value) => value === !decisive)) return !decisive;
    return keep(name, operands.map(keepCondition));
  }

  /** An operand left in an unresolved And/Or/Not, with what is known filled in. */
  function keepCondition(operand: unknown): unknown {
    if (isPlainObject(operand) && typeof operand.Condition === "string") return operand;
    return resolveAny(operand);
  }

  function resolveFindInMap(argument: unknown): unknown {
    const resolved = resolveAny(argument);
    if (!Array.isArray(resolved) || resolved.length < 3) return keep("Fn::FindInMap", resolved);
    const [mapName, topKey, secondKey, options] = resolved;
    if (isScalarValue(mapName) && isScalarValue(topKey) && isScalarValue(secondKey)) {
      const map = mappings[String(mapName)];
      const top = isPlainObject(map) ? map[String(topKey)] : undefined;
      if (isPlainObject(top) && String(secondKey) in top) {
        return resolveAny(top[String(secondKey)]);
      }
      // AWS::LanguageExtensions' fallback when the keys are not in the map.
      if (isPlainObject(options) && "DefaultValue" in options) return options.DefaultValue;
    }
    return keep("Fn::FindInMap", resolved);
  }

  return {
    resolve(value) {
      const resolved = resolveAny(value);
      return resolved === NO_VALUE ? undefined : resolved;
    },
    condition,
    parameters,
  };
}

/**
 * The template with every resource's Properties and every output's Value
 * resolved; resources and outputs whose Condition is known to be false are
 * left out, as CloudFormation would not create them. Other sections are kept
 * as they are.
 */
export function resolveTemplate(
  template: Record<string, unknown>,
  options: ResolveOptions = {},
): Record<string, unknown> {
  const resolver = createResolver(template, options);
  const keepEntry = (entry: unknown) =>
    !(
      isPlainObject(entry) &&
      typeof entry.Condition === "string" &&
      resolver.condition(entry.Condition) === false
    );

  const resources: Record<string, unknown> = {};
  for (const [logicalId, resource] of Object.entries(section(template, "Resources"))) {
    if (!keepEntry(resource)) continue;
    resources[logicalId] =
      isPlainObject(resource) && "Properties" in resource
        ? { ...resource, Properties: resolver.resolve(resource.Properties) ?? {} }
        : resource;
  }
  const resolved: Record<string, unknown> = { ...template, Resources: resources };

  if (isPlainObject(template.Outputs)) {
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(template.Outputs)) {
      if (!keepEntry(output)) continue;
      outputs[name] = isPlainObject(output)
        ? { ...output, Value: resolver.resolve(output.Value) }
        : output;
    }
    resolved.Outputs = outputs;
  }
  return resolved;
}
