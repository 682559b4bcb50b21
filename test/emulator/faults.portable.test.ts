/**
 * The fault suite on the portable mechanism, forced on Linux as CI does: processes read through
 * ps, memory polled, no setpriv. The product's code sees no /proc here (proc-guard.ts), so a
 * pass proves the path needs none, and any attempt to read it fails the file.
 */
import { afterAll, expect, vi } from "vitest";
import { faultSuite } from "./fault-suite.js";
import { procReads } from "./proc-guard.js";

vi.mock("node:fs", async (original) =>
  (await import("./proc-guard.js")).guardFs(await original<object>()),
);
vi.mock("node:fs/promises", async (original) =>
  (await import("./proc-guard.js")).guardFs(await original<object>()),
);

faultSuite("portable");

afterAll(() => {
  expect(procReads()).toEqual([]);
});
