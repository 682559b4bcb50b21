/** The `estimate_cost` tool. Placeholder: its helper replaces this file. */
import { z } from "zod";
import { defineTool } from "../tool.js";

export const estimateCostTool = defineTool({
  name: "estimate_cost",
  title: "estimate_cost",
  description: "Not built yet.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run() {
    throw new Error("estimate_cost is not built yet");
  },
});
