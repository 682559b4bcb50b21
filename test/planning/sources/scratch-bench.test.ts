import { it } from "vitest";
import { readProfileFile } from "../../../src/planning/sources/profile-file.js";
it("bench", async () => {
for (let i = 0; i < 8; i++) { const t = performance.now(); await readProfileFile("/tmp/p43200.csv"); console.log((performance.now() - t).toFixed(1), "ms"); }
});
