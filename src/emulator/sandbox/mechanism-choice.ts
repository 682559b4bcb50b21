/** Which mechanism the caller wants: an explicit option wins over the environment variable. */
import { z } from "zod";
import { FORCEABLE_MECHANISMS, type ForcedMechanism } from "./types.js";

export const SANDBOX_ENV_VAR = "LAMBDA_OPTIMIZER_SANDBOX";

/** "cgroup, duty-cycle or portable", for messages. */
export const FORCEABLE_LIST = `${FORCEABLE_MECHANISMS.slice(0, -1).join(", ")} or ${FORCEABLE_MECHANISMS.at(-1)}`;

/** A mechanism a caller may force, as an option (tune's `target.sandbox`). */
export const ForcedMechanismSchema = z.enum(FORCEABLE_MECHANISMS, {
  error: `expected ${FORCEABLE_LIST}`,
});

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
  if (!(FORCEABLE_MECHANISMS as readonly string[]).includes(fromEnv)) {
    throw new Error(
      `${SANDBOX_ENV_VAR}=${fromEnv} is not a sandbox mechanism: use ${FORCEABLE_LIST}, or unset it to detect`,
    );
  }
  return { forced: fromEnv as ForcedMechanism, source: SANDBOX_ENV_VAR };
}
