/** The `get_metrics` tool. Placeholder: its helper replaces this file. */
import { z } from "zod";
import { defineTool } from "../tool.js";

export const getMetricsTool = defineTool({
  name: "get_metrics",
  title: "get_metrics",
  description: "Not built yet.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run() {
    throw new Error("get_metrics is not built yet");
  },
});
