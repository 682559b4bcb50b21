/**
 * arm64-blocked: native code built only for x86 in the deployment package or
 * its local layers. On an x86_64 function it is what stands between the
 * function and arm64's lower price (info); on an arm64 function it fails to
 * load (error). The audit uses this rule's findings to hold back
 * arm64-candidate for the same function.
 */

import { sep } from "node:path";
import { formatPercent } from "../../format.js";
import { arm64SavingPerGbSecond, BUNDLED_PRICE_TABLE } from "../../pricing/price-table.js";
import type { CodeFinding, CodeRule } from "../code/code-rule.js";
import { FILE_START } from "../code/code-rule.js";
import { elfMachineName, isX86Machine } from "../code/elf.js";
import type { FunctionCode } from "../code/function-code.js";
import type { NativeBinary, WheelFacts } from "../code/package-scan.js";
import { docsFor } from "../rule.js";

/** arm64's saving per GB-second, from the bundled price table (as arm64-candidate says it). */
/** "20%": arm64's saving per GB-second at the bundled us-east-1 prices. */
const SAVING = formatPercent(arm64SavingPerGbSecond(BUNDLED_PRICE_TABLE, "us-east-1").share, 0);

/** Findings per function before the rest are summed up in one. */
const MAX_LISTED = 10;

export const arm64Blocked: CodeRule = {
  meta: {
    id: "arm64-blocked",
    severity: "info",
    title: "Native code built only for x86_64",
    rationale: `A native Node.js addon, shared library, executable or Python wheel built for x86 loads on no arm64 CPU: it keeps an x86_64 function from moving to arm64 (about ${SAVING} cheaper per GB-second), and breaks a function already on arm64.`,
    fix: "Install the arm64 build of the dependency (`npm install --os=linux --cpu=arm64` for packages published per platform, `pip install --platform manylinux2014_aarch64 --only-binary=:all:`, or `sam build --use-container` with Architectures: [arm64]), or replace it with a pure JavaScript/Python one.",
    docs: docsFor("arm64-blocked"),
  },
  check(fn) {
    const onArm = fn.config.architecture === "arm64";
    const blockers = [
      ...fn.package.wheels
        .filter((wheel) => wheel.x86Only)
        .map((wheel) => wheelBlocker(wheel, onArm)),
      ...x86Binaries(fn).map((binary) => binaryBlocker(binary, onArm)),
    ];
    const findings: CodeFinding[] = blockers.slice(0, MAX_LISTED).map((blocker) => ({
      ...blocker,
      severity: onArm ? "error" : "info",
    }));
    const rest = blockers.length - MAX_LISTED;
    if (rest > 0) {
      findings.push({
        file: blockers[MAX_LISTED]!.file,
        position: FILE_START,
        message: `${rest} more x86-only native file${rest === 1 ? "" : "s"} in the package or its layers (not listed one by one).`,
        severity: onArm ? "error" : "info",
      });
    }
    return findings;
  },
};

/**
 * ELF files for x86, except those a reported wheel installed (the wheel's
 * finding names them all). Files for aarch64 or other CPUs are not reported;
 * a package that ships both builds (sharp's @img/sharp-linux-x64 and
 * -arm64) still has its x86 file reported, as it is shipped.
 */
function x86Binaries(fn: FunctionCode): NativeBinary[] {
  const x86Wheels = fn.package.wheels
    .filter((wheel) => wheel.x86Only)
    .flatMap((wheel) => wheel.topLevel);
  const inWheel = (file: string) =>
    x86Wheels.some((top) => file === top || file.startsWith(top + sep));
  return fn.package.binaries.filter(
    (binary) =>
      binary.elf !== undefined && isX86Machine(binary.elf.machine) && !inWheel(binary.file),
  );
}

function where(item: { relative: string; layer?: string }): string {
  return item.layer === undefined ? item.relative : `${item.relative} in layer ${item.layer}`;
}

function consequence(onArm: boolean): string {
  return onArm
    ? "the function runs on arm64, where it cannot load"
    : `it keeps the function on x86_64 (arm64 costs about ${SAVING} less per GB-second)`;
}

function binaryBlocker(binary: NativeBinary, onArm: boolean): Omit<CodeFinding, "severity"> {
  const what = {
    addon: "Native addon",
    "shared-library": "Shared library",
    executable: "Executable",
  }[binary.kind];
  return {
    file: binary.file,
    position: FILE_START,
    message: `${what} ${where(binary)} is built for ${elfMachineName(binary.elf!.machine)} only: ${consequence(onArm)}.`,
  };
}

function wheelBlocker(wheel: WheelFacts, onArm: boolean): Omit<CodeFinding, "severity"> {
  return {
    file: wheel.file,
    position: FILE_START,
    message: `Python package ${wheel.distribution} ${wheel.version} (${where(wheel)}) was installed from an x86 wheel (${wheel.tags.join(", ")}): ${consequence(onArm)}.`,
    fix: `Reinstall it for arm64: pip install --platform manylinux2014_aarch64 --only-binary=:all: ${wheel.distribution}==${wheel.version} --target <folder>, or build with \`sam build --use-container\` and Architectures: [arm64].`,
  };
}
