/** The `invoke_local` tool. Placeholder: its helper replaces this file. */
import { z } from "zod";
import { defineTool } from "../tool.js";

export const invokeLocalTool = defineTool({
  name: "invoke_local",
  title: "invoke_local",
  description: "Not built yet.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run() {
    throw new Error("invoke_local is not built yet");
  },
});
