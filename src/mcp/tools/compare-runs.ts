/** The `compare_runs` tool. Placeholder: its helper replaces this file. */
import { z } from "zod";
import { defineTool } from "../tool.js";

export const compareRunsTool = defineTool({
  name: "compare_runs",
  title: "compare_runs",
  description: "Not built yet.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run() {
    throw new Error("compare_runs is not built yet");
  },
});
