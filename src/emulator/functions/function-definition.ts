/**
 * A function the emulator can run: the configuration Lambda keeps for it,
 * resolved to plain values (no intrinsic functions, no Globals, no defaults
 * left to fill in). Templates and handler specs both become this.
 */
import type { Architecture } from "../../pricing/price-table.js";
import type { FunctionUrlSettings } from "../function-url/function-url-settings.js";

export type LogFormat = "Text" | "JSON";

export interface FunctionDefinition {
  /** FunctionName: the template's FunctionName, else the logical id, else the handler file's name. */
  readonly name: string;
  /** The template's logical id, when the function came from a template. */
  readonly logicalId?: string;
  /**
   * The handler as the user named it, relative to the folder the command ran in
   * ("examples/io-bound/handler.mjs:handler"), for a function from a handler file. Recorded
   * beside its logs; the runtime never reads it.
   */
  readonly source?: string;
  /** nodejs22.x, python3.12, provided.al2023, ... */
  readonly runtime: string;
  /** Handler as Lambda reads it: "file.export" (Node), "module.function" (Python); free-form for provided. */
  readonly handler: string;
  /** Absolute path of the code folder: LAMBDA_TASK_ROOT. */
  readonly codeDir: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly architecture: Architecture;
  readonly ephemeralStorageMb: number;
  readonly logFormat: LogFormat;
  readonly description: string;
  /** The Function URL its template gives it (SAM FunctionUrlConfig, AWS::Lambda::Url), served at start. */
  readonly functionUrl?: FunctionUrlSettings;
}
