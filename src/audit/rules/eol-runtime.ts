/**
 * eol-runtime: a deprecated runtime gets no security patches or support, and
 * soon cannot be updated; one close to its date needs planning now.
 */
import { isDeprecated, runtimeFacts } from "../../lambda/runtimes.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

/** Days before deprecation from which a runtime is reported as a warning. */
export const WARN_DAYS_BEFORE_DEPRECATION = 180;

const DAY_MS = 86_400_000;

/** What to move a container-only runtime to, per family (only .NET has container-only runtimes). */
const NEWEST_ZIP: Record<string, string> = {
  dotnet: "dotnet10",
  nodejs: "nodejs24.x",
  python: "python3.14",
  java: "java25",
  ruby: "ruby4.0",
  go: "provided.al2023",
  provided: "provided.al2023",
};

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The rule, judging against the day `today` returns (YYYY-MM-DD); tests pass a fixed day. */
export function createEolRuntimeRule(today: () => string = todayUtc): AuditRule {
  return {
    meta: {
      id: "eol-runtime",
      severity: "error",
      title: "Runtime deprecated or close to deprecation",
      rationale:
        "A deprecated runtime no longer gets security patches or support, and Lambda then blocks creating and updating functions on it; moving to a newer runtime usually also brings a faster language version.",
      fix: "Move to the newest runtime of the language (and test): for example nodejs22.x or later, python3.13, java21.",
      docs: docsFor("eol-runtime"),
    },
    check(context) {
      const day = today();
      return context.functions.flatMap((fn): RuleFinding[] => {
        // An image brings its own runtime; a stray Runtime beside it is not what runs.
        if (fn.properties.PackageType === "Image") return [];
        const runtime = fn.properties.Runtime;
        const facts = typeof runtime === "string" ? runtimeFacts(runtime) : undefined;
        if (facts === undefined) return [];
        const path = context.propertyPath(fn.logicalId, ["Runtime"]);
        if (facts.containerOnly) {
          // Lambda refuses such a Runtime on a zip function, so the deploy fails before any date matters.
          const status = isDeprecated(facts, day)
            ? `deprecated since ${facts.deprecation}`
            : `deprecated on ${facts.deprecation}`;
          return [
            {
              resource: fn.logicalId,
              path,
              message: `${fn.logicalId} runs on ${facts.id}, which Lambda offers only as a container base image (${status}), not as a zip runtime: deploy it as an image or move to a zip runtime such as ${NEWEST_ZIP[facts.family]}.`,
              severity: "error",
            },
          ];
        }
        const blocks = [
          facts.blockCreate && `creating functions is blocked from ${facts.blockCreate}`,
          facts.blockUpdate && `updating them from ${facts.blockUpdate}`,
        ]
          .filter(Boolean)
          .join(", ");
        const blocked = blocks ? ` (${blocks})` : "";
        if (isDeprecated(facts, day)) {
          return [
            {
              resource: fn.logicalId,
              path,
              message: `${fn.logicalId} runs on ${facts.id}, deprecated since ${facts.deprecation}${blocked}: it gets no more security patches.`,
              severity: "error",
            },
          ];
        }
        const daysLeft = Math.round((Date.parse(facts.deprecation) - Date.parse(day)) / DAY_MS);
        if (daysLeft > WARN_DAYS_BEFORE_DEPRECATION) return [];
        return [
          {
            resource: fn.logicalId,
            path,
            message: `${fn.logicalId} runs on ${facts.id}, deprecated on ${facts.deprecation} (in ${daysLeft} days)${blocked}: plan the upgrade.`,
            severity: "warning",
          },
        ];
      });
    },
  };
}

export const eolRuntime: AuditRule = createEolRuntimeRule();
