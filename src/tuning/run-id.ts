/**
 * A tune's id: when it started (UTC, to the second) and a random suffix, so two
 * runs started in the same second never share a journal, a version mark or a
 * saved result's name. "20260115T100000-a1b2c3".
 */
import { randomBytes } from "node:crypto";

export function newRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
}
