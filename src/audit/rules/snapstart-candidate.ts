/**
 * snapstart-candidate: a function that callers wait for, on a runtime with
 * SnapStart, and with neither SnapStart nor provisioned concurrency, makes
 * some callers wait through a full cold start.
 */
import { runtimeFacts } from "../../lambda/runtimes.js";
import {
  hasSnapStart,
  numberOf,
  propertyAt,
  provisionedConcurrency,
  synchronousTriggers,
} from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

export const snapstartCandidate: AuditRule = {
  meta: {
    id: "snapstart-candidate",
    severity: "info",
    title: "Synchronously invoked function that could use SnapStart",
    rationale:
      "Callers of an API or function URL wait through every cold start; SnapStart restores a snapshot of the initialised function instead, often cutting Java cold starts from seconds to a few hundred milliseconds.",
    fix: "Set SnapStart: {ApplyOn: PublishedVersions} and publish versions (AutoPublishAlias in SAM); measure cold starts before and after with `lambda-optimizer metrics`.",
    docs: docsFor("snapstart-candidate"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (hasSnapStart(fn) || fn.properties.PackageType === "Image") return [];
      const runtime = fn.properties.Runtime;
      const facts = typeof runtime === "string" ? runtimeFacts(runtime) : undefined;
      if (facts === undefined || !facts.snapStart) return [];
      if (provisionedConcurrency(context, fn).length > 0) return [];
      // Settings SnapStart cannot live with: snapstart-incompatible would fire on the advice.
      const fileSystems = fn.properties.FileSystemConfigs;
      if (Array.isArray(fileSystems) && fileSystems.length > 0) return [];
      const ephemeral = numberOf(propertyAt(fn.properties, ["EphemeralStorage", "Size"]));
      if (ephemeral !== undefined && ephemeral > 512) return [];
      const triggers = synchronousTriggers(context, fn);
      if (triggers.length === 0) return [];
      const pricing =
        facts.family === "java"
          ? "SnapStart on Java has no extra charge."
          : "On Python and .NET, SnapStart bills snapshot caching and each restore: see docs/pricing.md for both prices.";
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, ["SnapStart"]),
          message: `${fn.logicalId} is invoked synchronously (${triggers.join(", ")}) on ${facts.id} without SnapStart or provisioned concurrency: callers wait through full cold starts. ${pricing}`,
        },
      ];
    });
  },
};
