/**
 * The events a tuning run sends. One payload is sent every time; weighted
 * payloads fill the `num` invocations in proportion to their weights, as AWS
 * Lambda Power Tuning does: each payload gets floor(weight × num / total)
 * slots, and the last payload fills what rounding left over.
 */
export interface WeightedPayload {
  readonly payload: Uint8Array;
  readonly weight: number;
}

export class PayloadWeightError extends Error {
  override readonly name = "PayloadWeightError";
}

/**
 * The event of each of `num` invocations. `numName` is how the caller names
 * num in a message (the options' checks pass a placeholder each surface fills:
 * `--num` on the command line).
 */
export function payloadSlots(
  payloads: readonly WeightedPayload[],
  num: number,
  numName = "num",
): Uint8Array[] {
  if (payloads.length === 0) throw new PayloadWeightError("no payload given");
  if (payloads.length === 1) return Array.from({ length: num }, () => payloads[0]!.payload);
  if (num < payloads.length) {
    throw new PayloadWeightError(
      `${payloads.length} weighted payloads need at least as many invocations; ${numName} is ${num}`,
    );
  }
  const total = payloads.reduce((sum, entry) => sum + entry.weight, 0);
  const slots: Uint8Array[] = [];
  for (const [index, entry] of payloads.entries()) {
    const count = Math.floor((entry.weight * num) / total);
    if (count < 1) {
      throw new PayloadWeightError(
        `payload ${index + 1} (weight ${entry.weight}) gets no invocation out of ${num}: raise ${numName} or its weight`,
      );
    }
    for (let slot = 0; slot < count; slot++) slots.push(entry.payload);
  }
  while (slots.length < num) slots.push(payloads[payloads.length - 1]!.payload);
  return slots;
}
