/** The `power_tune` tool. Placeholder: its helper replaces this file. */
import { z } from "zod";
import { defineTool } from "../tool.js";

export const powerTuneTool = defineTool({
  name: "power_tune",
  title: "power_tune",
  description: "Not built yet.",
  input: z.object({}).strict(),
  output: z.object({}),
  annotations: { readOnlyHint: true },
  async run() {
    throw new Error("power_tune is not built yet");
  },
});
