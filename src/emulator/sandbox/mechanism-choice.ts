/** Which mechanism the caller wants: an explicit option wins over the environment variable. */
import { z } from "zod";
import type { ForcedMechanism } from "./types.js";

export const SANDBOX_ENV_VAR = "LAMBDA_OPTIMIZER_SANDBOX";

const FORCEABLE = ["cgroup", "duty-cycle"] as const satisfies readonly ForcedMechanism[];

/** A mechanism a caller may force, as an option (tune's `target.sandbox`). */
export const ForcedMechanismSchema = z.enum(FORCEABLE, { error: "expected cgroup or duty-cycle" });

export interface MechanismChoice {
  readonly forced?: ForcedMechanism;
  /** Where the forcing came from, for the report's reason. */
  readonly source?: string;
}

export function chooseMechanism(
  force: ForcedMechanism | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MechanismChoice {
  if (force !== undefined) return { forced: force, source: "the force option" };
  const fromEnv = env[SANDBOX_ENV_VAR];
  if (fromEnv === undefined || fromEnv === "") return {};
  if (!(FORCEABLE as readonly string[]).includes(fromEnv)) {
    throw new Error(
      `${SANDBOX_ENV_VAR}=${fromEnv} is not a sandbox mechanism: use "cgroup" or "duty-cycle", or unset it to detect`,
    );
  }
  return { forced: fromEnv as ForcedMechanism, source: SANDBOX_ENV_VAR };
}
