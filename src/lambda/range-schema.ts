/**
 * One of Lambda's ranges (limits.ts) as a zod number schema, so an options
 * schema refuses a value outside it in the words the CLI always used:
 * "expected a whole number from 128 to 10,240 MB". Built from min, max and
 * int rather than a refinement, so parseOptions names the option and the value.
 */
import { z } from "zod";
import { describeRange, type Range } from "./limits.js";

export function rangeSchema(range: Range) {
  const allowed = `expected ${describeRange(range)}`;
  const number = z.number({ error: allowed }).min(range.min, allowed).max(range.max, allowed);
  if (range.step === 0) return number;
  if (range.step === 1) return number.int(allowed);
  // Every range with a larger step starts on a multiple of it, so multipleOf is isWithin's test.
  return number.multipleOf(range.step, allowed);
}
