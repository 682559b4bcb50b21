/**
 * Function URL configs (2021-10-31): Create/Get/Update/DeleteFunctionUrlConfig and
 * ListFunctionUrlConfigs with the AWS SDK's shapes. (Issue 17; to be written.)
 */
import type { Emulator } from "../emulator.js";
import type { DefineRoute } from "./lambda-api-server.js";

export function defineFunctionUrlRoutes(_route: DefineRoute, _emulator: Emulator): void {}
