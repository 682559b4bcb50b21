/** How `lambda-optimizer mcp` serves: the transport and whether tools may change deployed functions. */
import { z } from "zod";

/** The Streamable HTTP port when none is given. */
export const DEFAULT_HTTP_PORT = 7311;

export const McpOptionsSchema = z
  .object({
    /** Serve Streamable HTTP on 127.0.0.1 instead of stdio. */
    http: z.boolean().default(false),
    /** The HTTP port (0: any free port, printed at start). */
    port: z
      .number({ error: "expected a port number from 0 to 65535" })
      .int("expected a port number from 0 to 65535")
      .min(0, "expected a port number from 0 to 65535")
      .max(65535, "expected a port number from 0 to 65535")
      .optional(),
    /** Let tools change deployed functions: power_tune on AWS, apply. */
    allowWrite: z.boolean().default(false),
  })
  .strict()
  .refine((options) => options.port === undefined || options.http, {
    message: "{port} is for the HTTP transport: give {http} with it",
  });

export type McpOptionsInput = z.input<typeof McpOptionsSchema>;
export type McpOptions = z.output<typeof McpOptionsSchema>;
