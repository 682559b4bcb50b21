/**
 * A library result as `--json` prints it (src/cli/format.ts): numbers to 15
 * significant digits, binary floating-point noise dropped; and without the
 * moment it was made, which two runs never share.
 */
export function asPrintedWithoutTime(document: unknown): unknown {
  const { createdAt: _createdAt, ...rest } = JSON.parse(
    JSON.stringify(document, (_key, value: unknown) =>
      typeof value === "number" && Number.isFinite(value) ? Number(value.toPrecision(15)) : value,
    ),
  ) as { createdAt?: string };
  return rest;
}
