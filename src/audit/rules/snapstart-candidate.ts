/**
 * snapstart-candidate: a function that callers wait for, on a fast-starting
 * runtime with SnapStart (Python 3.12+), and with neither SnapStart nor
 * provisioned concurrency: its cold starts are as slow as its initialisation,
 * which SnapStart can skip when it is heavy (large libraries, models loaded
 * at init).
 *
 * The slow-starting runtimes that have SnapStart (Java 11+, .NET 8+) are
 * slow-start-sync's, at warning: there a cold start is slow whatever the code
 * does, and that finding names SnapStart among its options. Between the two
 * rules a function gets one finding, not two.
 */
import { isSlowStarting, runtimeFacts } from "../../lambda/runtimes.js";
import {
  hasSnapStart,
  numberOf,
  propertyAt,
  provisionedConcurrency,
  waitingCallers,
} from "../function-facts.js";
import { describeMeasuredInit } from "../measured-init.js";
import { type AuditRule, docsFor } from "../rule.js";

export const snapstartCandidate: AuditRule = {
  meta: {
    id: "snapstart-candidate",
    severity: "info",
    title: "Synchronously invoked Python function that could use SnapStart",
    rationale:
      "Callers of an API or function URL wait through every cold start, which on Python is as long as the function's initialisation; SnapStart restores a snapshot of the initialised function instead, which pays when that initialisation is heavy (large libraries, models, framework setup).",
    fix: "Measure cold starts (`lambda-optimizer metrics`, or the Init Duration of a `tune` run); if initialisation is heavy, set SnapStart: {ApplyOn: PublishedVersions} and publish versions (AutoPublishAlias in SAM).",
    docs: docsFor("snapstart-candidate"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (hasSnapStart(fn) || fn.properties.PackageType === "Image") return [];
      const runtime = fn.properties.Runtime;
      const facts = typeof runtime === "string" ? runtimeFacts(runtime) : undefined;
      if (facts === undefined || !facts.snapStart) return [];
      // Java and .NET: slow-start-sync reports them, SnapStart among its options.
      if (isSlowStarting(facts)) return [];
      if (provisionedConcurrency(context, fn).length > 0) return [];
      // Settings SnapStart cannot live with: snapstart-incompatible would fire on the advice.
      const fileSystems = fn.properties.FileSystemConfigs;
      if (Array.isArray(fileSystems) && fileSystems.length > 0) return [];
      const ephemeral = numberOf(propertyAt(fn.properties, ["EphemeralStorage", "Size"]));
      if (ephemeral !== undefined && ephemeral > 512) return [];
      const triggers = waitingCallers(context, fn);
      if (triggers.length === 0) return [];
      const measured = context.environment.measuredInit?.forFunction(fn, context.file);
      const initialisation = measured
        ? `its initialisation (${describeMeasuredInit(measured)})`
        : "its initialisation; if that is heavy (large libraries, models, framework setup), SnapStart restores a snapshot instead";
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, ["SnapStart"]),
          message: `${fn.logicalId} is invoked synchronously (${triggers.join(", ")}) on ${facts.id} without SnapStart or provisioned concurrency: callers wait through ${initialisation}. On Python, SnapStart bills snapshot caching and each restore: see docs/pricing.md for both prices.`,
        },
      ];
    });
  },
};
