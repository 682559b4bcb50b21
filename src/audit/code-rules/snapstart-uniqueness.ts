/**
 * snapstart-uniqueness: a unique value (UUID, random number, timestamp)
 * computed at init. With SnapStart, init runs once before the snapshot and
 * every environment restored from it starts with the same value: ids collide,
 * "random" seeds repeat, the start time is hours old.
 */

import type { CodeRule } from "../code/code-rule.js";
import { initCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import {
  callText,
  canUseSnapStart,
  insideAny,
  restoreHooks,
  uniqueValue,
} from "./code-patterns.js";

export const snapstartUniqueness: CodeRule = {
  meta: {
    id: "snapstart-uniqueness",
    severity: "error",
    title: "Unique value computed at init, frozen into a SnapStart snapshot",
    rationale:
      "SnapStart snapshots memory after init and restores it into every new environment, so a UUID, random number or timestamp computed at init is the same in all of them.",
    fix: "Compute unique values inside the handler (per request), or after restore (Python: a function registered with `snapshot_restore_py.register_after_restore`).",
    docs: docsFor("snapstart-uniqueness"),
  },
  check(fn) {
    // Info when SnapStart is not on yet; nothing where it cannot be.
    if (!canUseSnapStart(fn)) return [];
    const hooks = new Map(fn.modules.map((module) => [module, restoreHooks(module)]));
    return initCalls(fn).flatMap(({ module, item: call }) => {
      const value = uniqueValue(call);
      // A restore hook runs in each restored environment: the right place for unique values.
      if (!value || insideAny(module, call.scope, hooks.get(module)!)) return [];
      return [
        {
          file: module.file,
          position: call.position,
          severity: fn.config.snapStart ? ("error" as const) : ("info" as const),
          message: fn.config.snapStart
            ? `${callText(call)} computes ${value} at init: SnapStart freezes it into the snapshot, so every restored environment shares it.`
            : `${callText(call)} computes ${value} at init: if SnapStart is turned on, every restored environment will share it.`,
        },
      ];
    });
  },
};
