/**
 * snapstart-restore-hook: a SnapStart function that opens a connection or
 * fetches credentials at init without re-establishing them after restore.
 * The snapshot may be restored hours later into a new environment: sockets
 * are dead and temporary credentials or secrets may have expired.
 */
import type { CallSite } from "../code/code-model.js";
import type { CodeRule } from "../code/code-rule.js";
import { type FunctionCode, initCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import {
  callText,
  canUseSnapStart,
  configRead,
  connectionOpened,
  RESTORE_HOOKS,
} from "./code-patterns.js";

/** Credential fetches: STS and Cognito identity calls, by method name. */
const CREDENTIAL_METHODS = new Set([
  "assume_role",
  "get_session_token",
  "get_credentials_for_identity",
  "assumeRole",
]);

function hasRestoreHook(fn: FunctionCode): boolean {
  return fn.modules.some(
    (module) =>
      module.calls.some((call) => RESTORE_HOOKS.includes(call.qualifiedName)) ||
      module.functions.some((f) =>
        f.decorators.some((decorator) => RESTORE_HOOKS.includes(decorator)),
      ),
  );
}

function fetchesCredentials(fn: FunctionCode, call: CallSite): string | undefined {
  if (CREDENTIAL_METHODS.has(call.name) && call.callee !== call.name)
    return "temporary credentials";
  if (call.qualifiedName === "@aws-sdk/client-sts.AssumeRoleCommand")
    return "temporary credentials";
  return configRead(fn, call);
}

export const snapstartRestoreHook: CodeRule = {
  meta: {
    id: "snapstart-restore-hook",
    severity: "warning",
    title:
      "SnapStart function opens connections or fetches credentials at init with no restore hook",
    rationale:
      "A snapshot can be restored long after it was taken: connections opened at init are closed, and credentials or secrets fetched then may have expired or rotated.",
    fix: "Re-open connections and re-fetch credentials after restore: in Python, in a function decorated with `@register_after_restore` from `snapshot_restore_py`; or open them lazily in the handler.",
    docs: docsFor("snapstart-restore-hook"),
  },
  check(fn) {
    if (!fn.config.snapStart || !canUseSnapStart(fn) || hasRestoreHook(fn)) return [];
    return initCalls(fn).flatMap(({ module, item: call }) => {
      const opened = connectionOpened(call);
      const fetched = opened ? undefined : fetchesCredentials(fn, call);
      if (!opened && !fetched) return [];
      return [
        {
          file: module.file,
          position: call.position,
          message: opened
            ? `${callText(call)} opens ${opened} at init; after a SnapStart restore it may be closed, and nothing re-opens it.`
            : `${callText(call)} fetches ${fetched} at init; a SnapStart restore may run after they expire or rotate, and nothing fetches them again.`,
        },
      ];
    });
  },
};
