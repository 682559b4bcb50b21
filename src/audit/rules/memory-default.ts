/** memory-default: MemorySize left unset gives 128 MB, and with it 7% of a vCPU. */
import { type AuditRule, docsFor } from "../rule.js";

export const memoryDefault: AuditRule = {
  meta: {
    id: "memory-default",
    severity: "warning",
    title: "MemorySize not set",
    rationale:
      "Without MemorySize a function gets 128 MB, and CPU in proportion (about 7% of a vCPU): most functions are slower and often dearer there than at a measured size.",
    fix: "Set MemorySize to the size `lambda-optimizer tune` recommends.",
    docs: docsFor("memory-default"),
  },
  check(context) {
    return context.functions
      .filter((fn) => fn.properties.MemorySize === undefined)
      .map((fn) => ({
        resource: fn.logicalId,
        path: context.propertyPath(fn.logicalId, ["MemorySize"]),
        message: `${fn.logicalId} has no MemorySize, so it runs at 128 MB with about 7% of a vCPU.`,
      }));
  },
};
