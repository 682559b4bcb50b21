/** The --json output every command shares. */

/** The --json contract: one document on stdout and nothing else there. */
export function printJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, withoutFloatNoise, 2)}\n`);
}

/** 16.666700000000002 -> 16.6667: binary floating-point noise is not information. */
function withoutFloatNoise(_key: string, value: unknown): unknown {
  return typeof value === "number" && Number.isFinite(value)
    ? Number(value.toPrecision(15))
    : value;
}
