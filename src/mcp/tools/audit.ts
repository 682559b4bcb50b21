/** The `audit` tool. Placeholder: its helper replaces this file. */
import { z } from "zod";
import { defineTool } from "../tool.js";

export const auditTool = defineTool({
  name: "audit",
  title: "audit",
  description: "Not built yet.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run() {
    throw new Error("audit is not built yet");
  },
});
