/**
 * snapstart-unpublished: SnapStart applies to published versions only; a
 * function that is never published (invoked as $LATEST) gets no snapshot and
 * keeps its full cold starts.
 */
import { hasSnapStart, resourcesForFunction } from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

export const snapstartUnpublished: AuditRule = {
  meta: {
    id: "snapstart-unpublished",
    severity: "error",
    title: "SnapStart on a function that is never published",
    rationale:
      "SnapStart snapshots published versions only: invoked as $LATEST, the function pays its full initialisation on every cold start as if SnapStart were off.",
    fix: "Publish versions and invoke through them: AutoPublishAlias in SAM, an AWS::Lambda::Version (and an alias) in CloudFormation.",
    docs: docsFor("snapstart-unpublished"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (!hasSnapStart(fn)) return [];
      if (fn.flavour === "sam" && fn.properties.AutoPublishAlias !== undefined) return [];
      if (resourcesForFunction(context, fn, "AWS::Lambda::Version").length > 0) return [];
      const how =
        fn.flavour === "sam"
          ? "Add AutoPublishAlias (e.g. live) and invoke the alias."
          : "Add an AWS::Lambda::Version of the function (and an AWS::Lambda::Alias to it) and invoke that.";
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, ["SnapStart", "ApplyOn"]),
          message: `${fn.logicalId} turns SnapStart on but no version of it is published${fn.flavour === "sam" ? " (no AutoPublishAlias)" : " (no AWS::Lambda::Version)"}: invocations of $LATEST get no snapshot.`,
          fix: how,
        },
      ];
    });
  },
};
