/**
 * snapstart-incompatible: SnapStart cannot be combined with provisioned
 * concurrency, EFS, more than 512 MB of ephemeral storage or container
 * images, and exists only on some runtimes; the deployment fails, or the
 * setting does nothing.
 */
import { runtimeFacts } from "../../lambda/runtimes.js";
import { hasSnapStart, numberOf, propertyAt, provisionedConcurrency } from "../function-facts.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

export const snapstartIncompatible: AuditRule = {
  meta: {
    id: "snapstart-incompatible",
    severity: "error",
    title: "SnapStart with a setting it does not support",
    rationale:
      "SnapStart does not work with provisioned concurrency, EFS, ephemeral storage above 512 MB, container images, or runtimes other than Java 11+, Python 3.12+ and .NET 8+: the deployment is rejected or the cold-start saving never comes.",
    fix: "Choose one: drop SnapStart, or drop the incompatible setting (use provisioned concurrency instead of SnapStart, S3 instead of EFS, at most 512 MB of /tmp, a zip package on a supported runtime).",
    docs: docsFor("snapstart-incompatible"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (!hasSnapStart(fn)) return [];
      const findings: RuleFinding[] = [];
      const report = (
        path: readonly (string | number)[],
        message: string,
        resource = fn.logicalId,
      ) =>
        findings.push({
          resource,
          path,
          message: `${fn.logicalId} has SnapStart on ${message}`,
        });
      for (const place of provisionedConcurrency(context, fn)) {
        report(
          place.path,
          `and provisioned concurrency${place.resource === fn.logicalId ? "" : ` (on ${place.resource})`}: the two cannot be combined; provisioned concurrency already removes cold starts.`,
          place.resource,
        );
      }
      const fileSystems = fn.properties.FileSystemConfigs;
      if (Array.isArray(fileSystems) && fileSystems.length > 0) {
        report(
          context.propertyPath(fn.logicalId, ["FileSystemConfigs"]),
          "and mounts EFS (FileSystemConfigs), which SnapStart does not support.",
        );
      }
      const ephemeral = numberOf(propertyAt(fn.properties, ["EphemeralStorage", "Size"]));
      if (ephemeral !== undefined && ephemeral > 512) {
        report(
          context.propertyPath(fn.logicalId, ["EphemeralStorage", "Size"]),
          `with ${ephemeral} MB of ephemeral storage; SnapStart supports at most 512 MB.`,
        );
      }
      if (fn.properties.PackageType === "Image") {
        report(
          context.propertyPath(fn.logicalId, ["PackageType"]),
          "on a container image (PackageType: Image); SnapStart needs a zip package on a managed runtime.",
        );
      } else {
        const runtime = fn.properties.Runtime;
        const facts = typeof runtime === "string" ? runtimeFacts(runtime) : undefined;
        if (facts !== undefined && !facts.snapStart) {
          report(
            context.propertyPath(fn.logicalId, ["Runtime"]),
            `on ${facts.id}, which has no SnapStart (Java 11+, Python 3.12+ and .NET 8+ have it).`,
          );
        }
      }
      return findings;
    });
  },
};
