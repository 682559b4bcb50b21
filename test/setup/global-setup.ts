/**
 * vitest globalSetup: builds AWS's Node.js Runtime Interface Client once before any test runs and
 * hands its location to the tests.
 *
 * In a test:
 *   import { inject } from "vitest";
 *   const { ricEntry, version } = inject("awsLambdaRic");
 */
import type { TestProject } from "vitest/node";
import { ensureRuntimeInterfaceClient, type RuntimeInterfaceClient } from "./ensure-ric.js";

declare module "vitest" {
  export interface ProvidedContext {
    awsLambdaRic: RuntimeInterfaceClient;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const ric = await ensureRuntimeInterfaceClient();
  project.provide("awsLambdaRic", ric);
}
