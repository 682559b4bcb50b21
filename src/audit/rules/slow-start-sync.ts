/**
 * slow-start-sync: a function someone waits for (an API, a function URL, a
 * load balancer, a Cognito trigger, an AppSync resolver) on a slow-starting
 * runtime (Java, .NET) with nothing that hides its cold starts — no SnapStart,
 * no provisioned concurrency, no Managed Instances — makes a caller wait
 * through a virtual machine's start on every scale-out. The guide: "Choose a
 * fast-starting runtime (Python, Node.js) for latency-sensitive paths".
 *
 * snapstart-candidate is the other half: SnapStart on the runtimes that start
 * fast anyway (Python 3.12+), where only heavy initialisation makes it pay.
 * Between them a function gets one finding, not two.
 *
 * Where a saved tune run measured the function's cold starts, the finding
 * quotes their Init Duration (measured-init.ts), so the cost is a figure,
 * not a generality. For runtimes whose start-up the template cannot tell —
 * Ruby, a custom runtime (provided.*), a container image, which brings its
 * own — only such a measurement can say; they are reported when it shows a
 * median Init Duration of MEASURED_SLOW_INIT_MS or more.
 */
import { isSlowStarting, type RuntimeFacts, runtimeFacts } from "../../lambda/runtimes.js";
import { isPlainObject } from "../../plain-object.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import {
  hasSnapStart,
  numberOf,
  propertyAt,
  provisionedConcurrency,
  waitingCallers,
} from "../function-facts.js";
import { describeMeasuredInit, type MeasuredInit } from "../measured-init.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

/** The SnapStart runtime to move to, per slow-starting family, when the function's own has none. */
const FIRST_WITH_SNAPSTART: Record<string, string> = {
  java: "java21 (Java 11 and later have SnapStart)",
  dotnet: "dotnet8 or later (.NET 8 and later have SnapStart)",
};

/** What a cold start does on each slow-starting family, for messages. */
const WHAT_STARTS: Record<string, string> = {
  java: "the JVM starting and loading classes",
  dotnet: "the .NET runtime starting and JIT-compiling",
};

/**
 * A measured median Init Duration that counts as a slow start on a runtime the template cannot
 * judge: a second, several times what Node.js and Python commonly take to start, and the order of
 * a JVM's start that the rule exists for.
 */
export const MEASURED_SLOW_INIT_MS = 1000;

/** Families whose start-up depends on what the function brings (a gem set, a binary): known only by measuring. */
const JUDGED_BY_MEASUREMENT: ReadonlySet<string> = new Set(["ruby", "provided"]);

export const slowStartSync: AuditRule = {
  meta: {
    id: "slow-start-sync",
    severity: "warning",
    title: "Slow-starting runtime on a path someone waits for, with nothing hiding its cold starts",
    rationale:
      "Java and .NET start a virtual machine and load their code before the handler runs, so their cold starts commonly take seconds; a caller that waits (an API, a function URL, a load balancer, a Cognito trigger) waits through each one.",
    fix: "Turn on SnapStart (ApplyOn: PublishedVersions, with published versions), add provisioned concurrency where a strict latency objective justifies its hourly charge, or move the latency-sensitive path to a fast-starting runtime (Node.js, Python).",
    docs: docsFor("slow-start-sync"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (hidesColdStarts(context, fn)) return [];
      const callers = waitingCallers(context, fn);
      if (callers.length === 0) return [];
      const runtime = fn.properties.Runtime;
      const facts = typeof runtime === "string" ? runtimeFacts(runtime) : undefined;
      const image = fn.properties.PackageType === "Image";
      if (!image && facts !== undefined && isSlowStarting(facts)) {
        // Offered only as an image base (dotnet9): a zip function cannot deploy on it, which eol-runtime reports.
        if (facts.containerOnly) return [];
        return [findingFor(context, fn, facts, callers)];
      }
      if (image || (facts !== undefined && JUDGED_BY_MEASUREMENT.has(facts.family))) {
        const measured = context.environment.measuredInit?.forFunction(fn, context.file);
        if (measured === undefined || measured.initMsP50 < MEASURED_SLOW_INIT_MS) return [];
        const what = image ? "a container image" : `${facts!.id}`;
        return [measuredFinding(context, fn, what, callers, measured)];
      }
      return [];
    });
  },
};

/**
 * SnapStart restores a snapshot instead of initialising; provisioned concurrency and Managed
 * Instances keep environments initialised ahead of the request. Any one of them answers the rule.
 */
function hidesColdStarts(context: AuditContext, fn: FunctionResource): boolean {
  return (
    hasSnapStart(fn) ||
    provisionedConcurrency(context, fn).length > 0 ||
    isPlainObject(fn.properties.CapacityProviderConfig)
  );
}

function findingFor(
  context: AuditContext,
  fn: FunctionResource,
  facts: RuntimeFacts,
  callers: readonly string[],
): RuleFinding {
  const measured = context.environment.measuredInit?.forFunction(fn, context.file);
  const coldStart = measured
    ? describeMeasuredInit(measured)
    : `${WHAT_STARTS[facts.family]}, commonly seconds`;
  const options = [
    snapStartOption(fn, facts),
    "provisioned concurrency, for a strict latency objective (billed every hour it is configured)",
    "a fast-starting runtime (Node.js, Python) for this path",
  ];
  return {
    resource: fn.logicalId,
    path: context.propertyPath(fn.logicalId, ["Runtime"]),
    message: `${fn.logicalId} runs on ${facts.id}, a slow-starting runtime, and is invoked synchronously (${callers.join(", ")}) with neither SnapStart nor provisioned concurrency: callers wait through every cold start (${coldStart}). Options: ${options.join("; ")}.`,
  };
}

/** A runtime or image the template cannot judge, slow by what a tune run measured. */
function measuredFinding(
  context: AuditContext,
  fn: FunctionResource,
  what: string,
  callers: readonly string[],
  measured: MeasuredInit,
): RuleFinding {
  const options = [
    "provisioned concurrency, for a strict latency objective (billed every hour it is configured)",
    "a fast-starting runtime (Node.js, Python) for this path",
    what === "a container image"
      ? "a smaller image, or a zip package on a managed runtime"
      : "less work before the handler (fewer libraries loaded at start)",
  ];
  const at = fn.properties.PackageType === "Image" ? ["PackageType"] : ["Runtime"];
  return {
    resource: fn.logicalId,
    path: context.propertyPath(fn.logicalId, at),
    message: `${fn.logicalId} runs on ${what}, whose start-up the template does not tell, and a saved tune run measured slow cold starts (${describeMeasuredInit(measured)}); it is invoked synchronously (${callers.join(", ")}) with no provisioned concurrency, and SnapStart is not offered for ${what}: callers wait through each cold start. Options: ${options.join("; ")}.`,
  };
}

/** SnapStart as the runtime allows it: how to turn it on, what it costs, or why it cannot be. */
function snapStartOption(fn: FunctionResource, facts: RuntimeFacts): string {
  const blocker = snapStartBlocker(fn);
  if (blocker) return `SnapStart only without ${blocker}, which it does not support`;
  if (!facts.snapStart) {
    return `SnapStart after moving to ${FIRST_WITH_SNAPSTART[facts.family]}, since ${facts.id} has none`;
  }
  const publish = fn.flavour === "sam" ? "AutoPublishAlias" : "an AWS::Lambda::Version";
  const price =
    facts.family === "java"
      ? "no extra charge on Java"
      : "billed for snapshot caching and each restore on .NET (docs/pricing.md)";
  return `SnapStart (SnapStart: {ApplyOn: PublishedVersions} with ${publish}; ${price})`;
}

/** A setting of the function that SnapStart cannot live with (snapstart-incompatible's list). */
function snapStartBlocker(fn: FunctionResource): string | undefined {
  const fileSystems = fn.properties.FileSystemConfigs;
  if (Array.isArray(fileSystems) && fileSystems.length > 0)
    return "its EFS mount (FileSystemConfigs)";
  const ephemeral = numberOf(propertyAt(fn.properties, ["EphemeralStorage", "Size"]));
  if (ephemeral !== undefined && ephemeral > 512) return `its ${ephemeral} MB of ephemeral storage`;
  return undefined;
}
