/** The `esm_optimize` tool. Placeholder: its helper replaces this file. */
import { z } from "zod";
import { defineTool } from "../tool.js";

export const esmOptimizeTool = defineTool({
  name: "esm_optimize",
  title: "esm_optimize",
  description: "Not built yet.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run() {
    throw new Error("esm_optimize is not built yet");
  },
});
