/**
 * arm64-candidate: a function on x86_64 (Lambda's default) pays about 20% more
 * per GB-second than on arm64. The guide also says to consider arm64 for
 * faster cold starts: where a saved tune run measured the function's cold
 * starts on both architectures (`tune --arch x86_64,arm64` on AWS; a local run
 * models the other architecture, so it never counts), the finding quotes both.
 */

import { formatMs, formatPercent } from "../../format.js";
import { isPlainObject } from "../../plain-object.js";
import { arm64SavingPerGbSecond, BUNDLED_PRICE_TABLE } from "../../pricing/price-table.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import type { MeasuredInitOnBoth } from "../measured-init.js";
import { type AuditRule, docsFor } from "../rule.js";

/** "20%": arm64's saving per GB-second at the bundled us-east-1 prices. */
const SAVING = formatPercent(arm64SavingPerGbSecond(BUNDLED_PRICE_TABLE, "us-east-1").share, 0);
const LAYER_TYPES = new Set(["AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"]);

/**
 * The function's layers that come from outside the template (an ARN, a
 * parameter, an import): whether they have an arm64 build is not something
 * the template can say, and an x86-only layer (a native image library, say)
 * breaks the function on arm64.
 */
function outsideLayers(context: AuditContext, fn: FunctionResource): string[] {
  const layers = fn.properties.Layers;
  if (layers === undefined) return [];
  if (!Array.isArray(layers)) return ["(chosen by a condition)"];
  return layers.flatMap((layer) => {
    const id = isPlainObject(layer) && typeof layer.Ref === "string" ? layer.Ref : undefined;
    const declared = id === undefined ? undefined : context.resource(id);
    if (declared && LAYER_TYPES.has(declared.type)) return []; // its content is the template's own
    return [typeof layer === "string" ? layer : (id ?? JSON.stringify(layer))];
  });
}

export const arm64Candidate: AuditRule = {
  meta: {
    id: "arm64-candidate",
    severity: "warning",
    title: "Function on x86_64 that could run on arm64",
    rationale: `Graviton (arm64) costs about ${SAVING} less per GB-second than x86_64 and is often as fast or faster.`,
    fix: "Set Architectures: [arm64] after checking native dependencies are built for arm64, and measure both with `lambda-optimizer tune --arch x86_64,arm64`.",
    docs: docsFor("arm64-candidate"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (fn.properties.PackageType === "Image") return []; // an image is built for one architecture
      const architectures = fn.properties.Architectures;
      const onX86 =
        architectures === undefined ||
        (Array.isArray(architectures) && architectures[0] === "x86_64");
      if (!onX86) return [];
      const path = context.propertyPath(fn.logicalId, ["Architectures"]);
      const where = `${fn.logicalId} runs on x86_64${architectures === undefined ? " (the default)" : ""}`;
      const layers = outsideLayers(context, fn);
      const measured = context.environment.measuredInit?.onBothArchitectures(fn, context.file);
      const coldStarts = measured ? ` ${describeColdStarts(measured)}` : "";
      if (layers.length > 0) {
        // Not a recommendation to move: the layers may hold x86-only binaries.
        const named = layers.join(", ");
        return [
          {
            resource: fn.logicalId,
            path,
            severity: "info" as const,
            message: `${where} with ${layers.length === 1 ? "a layer" : "layers"} from outside this template (${named}): arm64 would cost about ${SAVING} less per GB-second only if ${layers.length === 1 ? "that layer has" : "each layer has"} an arm64 build.${coldStarts}`,
            fix: `Check that ${layers.length === 1 ? `layer ${named} has` : `layers ${named} each have`} an arm64 build (its publisher's CompatibleArchitectures, or \`aws lambda get-layer-version-by-arn\`), switch to it, then set Architectures: [arm64] and measure both with \`lambda-optimizer tune --arch x86_64,arm64\`.`,
          },
        ];
      }
      return [
        {
          resource: fn.logicalId,
          path,
          message: `${where}: arm64 would cost about ${SAVING} less per GB-second. Native dependencies must be built for arm64.${coldStarts}`,
        },
      ];
    });
  },
};

/**
 * "A tune run measured its cold starts on both at 1024 MB: init 610 ms at p50 on arm64 against
 * 745 ms on x86_64, 18% faster (3 and 3 cold starts; tune run … on AWS, 2026-11-30)."
 */
function describeColdStarts(measured: MeasuredInitOnBoth): string {
  const arm = measured.arm64.initMsP50;
  const x86 = measured.x86_64.initMsP50;
  const change =
    arm === x86
      ? "the same"
      : `${formatPercent(Math.abs(arm - x86) / x86, 0)} ${arm < x86 ? "faster" : "slower"}`;
  const where = measured.kind === "aws" ? "on AWS" : "on the local emulator";
  return `A tune run measured its cold starts on both at ${measured.memoryMb} MB: init ${formatMs(arm)} ms at p50 on arm64 against ${formatMs(x86)} ms on x86_64, ${change} (${measured.arm64.coldStarts} and ${measured.x86_64.coldStarts} cold starts; tune run ${measured.file} ${where}, ${measured.createdAt.slice(0, 10)}).`;
}
