/** arm64-candidate: a function on x86_64 (Lambda's default) pays about 20% more per GB-second than on arm64. */
import { arm64SavingPercent, BUNDLED_PRICE_TABLE } from "../../pricing/price-table.js";
import { type AuditRule, docsFor } from "../rule.js";

const SAVING = arm64SavingPercent(BUNDLED_PRICE_TABLE, "us-east-1");

export const arm64Candidate: AuditRule = {
  meta: {
    id: "arm64-candidate",
    severity: "warning",
    title: "Function on x86_64 that could run on arm64",
    rationale: `Graviton (arm64) costs about ${SAVING}% less per GB-second than x86_64 and is often as fast or faster.`,
    fix: "Set Architectures: [arm64] after checking native dependencies are built for arm64, and measure both with `lambda-optimizer tune --arch x86_64,arm64`.",
    docs: docsFor("arm64-candidate"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (fn.properties.PackageType === "Image") return []; // an image is built for one architecture
      const architectures = fn.properties.Architectures;
      const onX86 =
        architectures === undefined ||
        (Array.isArray(architectures) && architectures[0] === "x86_64");
      if (!onX86) return [];
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, ["Architectures"]),
          message: `${fn.logicalId} runs on x86_64${architectures === undefined ? " (the default)" : ""}: arm64 would cost about ${SAVING}% less per GB-second. Native dependencies must be built for arm64.`,
        },
      ];
    });
  },
};
