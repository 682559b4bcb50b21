/** The sandbox: CPU and memory limits for an execution environment's process tree. */
export { detectSandbox } from "./detect.js";
export { SANDBOX_ENV_VAR } from "./mechanism-choice.js";
export { createSandbox } from "./sandbox.js";
export type {
  ForcedMechanism,
  MemoryEnforcement,
  Sandbox,
  SandboxLimits,
  SandboxMechanism,
  SandboxOptions,
  SandboxReport,
  SandboxSpawnOptions,
} from "./types.js";
export { SandboxReportSchema } from "./types.js";
