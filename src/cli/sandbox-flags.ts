/** The sandbox flags `invoke` and `emulate` share. */
import type { ForcedMechanism } from "../emulator/sandbox/index.js";
import { invalid } from "./option-parsers.js";

export const SANDBOX_FLAG_HELP =
  "CPU/memory limiting: cgroup or duty-cycle (default: cgroup where this process may create one)";

export function parseSandboxMechanism(value: string | undefined): ForcedMechanism | undefined {
  if (value === undefined) return undefined;
  if (value === "cgroup" || value === "duty-cycle") return value;
  throw invalid("--sandbox", value, "cgroup or duty-cycle");
}
