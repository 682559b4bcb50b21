/** The code rules that read what the deployment package ships (PackageFacts), not the source. */
import type { CodeRule } from "../code/code-rule.js";
import { arm64Blocked } from "./arm64-blocked.js";
import { packageSize } from "./package-size.js";
import { sdkV2Bundled } from "./sdk-v2-bundled.js";

export const PACKAGE_RULES: readonly CodeRule[] = [sdkV2Bundled, packageSize, arm64Blocked];
