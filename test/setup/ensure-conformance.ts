/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance), installed once into the
 * tests' cache (test/support/user-cache.ts) and never into the project's dependencies: it is a
 * tool the tests run against `lambda-optimizer mcp --http`, not code the project uses, and it
 * needs Node.js 22 where the project runs on 20.
 *
 * The install goes into a staging folder and is renamed into place in one step, as the emulator
 * fetches Node.js binaries (src/emulator/runtimes/node-binaries.ts): the folder is complete or
 * absent, and two test processes installing at once both end with one copy. It uses the same npm
 * client call as the emulator (npm-install.ts), so a registry mirror in .npmrc applies.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { officialNodeBinary } from "../../src/emulator/runtimes/node-binaries.js";
import { npmInstall } from "../../src/emulator/runtimes/npm-install.js";
import { TEST_CACHE_DIR } from "../support/user-cache.js";
import { HOST_NODE_MAJOR } from "./node-majors.js";

export const CONFORMANCE_PACKAGE = "@modelcontextprotocol/conformance";
export const CONFORMANCE_VERSION = "0.1.16";
/** The Node.js major the suite declares (engines: node >= 22). */
export const CONFORMANCE_NODE_MAJOR = 22;

export interface ConformanceSuite {
  /** The suite's CLI script: run `<node> <entry> server --url … --scenario …`. */
  readonly entry: string;
  /** A Node.js of major 22 or later to run it with. */
  readonly node: string;
}

export async function ensureConformanceSuite(
  cacheDir: string = TEST_CACHE_DIR,
): Promise<ConformanceSuite> {
  const node = await conformanceNode(cacheDir);
  const parent = join(cacheDir, "mcp-conformance");
  const folder = join(parent, CONFORMANCE_VERSION);
  const entry = join(folder, "node_modules", ...CONFORMANCE_PACKAGE.split("/"), "dist", "index.js");
  if (installedVersion(folder) === CONFORMANCE_VERSION && existsSync(entry)) return { entry, node };

  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.staging-${CONFORMANCE_VERSION}-`));
  try {
    await npmInstall(staging, [`${CONFORMANCE_PACKAGE}@${CONFORMANCE_VERSION}`]);
    if (installedVersion(staging) !== CONFORMANCE_VERSION) {
      throw new Error(
        `npm installed ${CONFORMANCE_PACKAGE}@${CONFORMANCE_VERSION} into ${staging}, but its package.json says ${installedVersion(staging) ?? "nothing"}`,
      );
    }
    try {
      await rename(staging, folder);
    } catch (error) {
      // Another process renamed its copy into place first: use that one.
      if (!existsSync(entry))
        throw new Error(`${folder} is there but holds no conformance suite: delete it`, {
          cause: error,
        });
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!existsSync(entry)) throw new Error(`the conformance suite's CLI is not at ${entry}`);
  return { entry, node };
}

function installedVersion(folder: string): string | undefined {
  try {
    const manifest = join(
      folder,
      "node_modules",
      ...CONFORMANCE_PACKAGE.split("/"),
      "package.json",
    );
    return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** This process's own Node.js when it is recent enough, else the official Node.js 22 from the npm registry. */
async function conformanceNode(cacheDir: string): Promise<string> {
  if (HOST_NODE_MAJOR >= CONFORMANCE_NODE_MAJOR) return process.execPath;
  const binary = await officialNodeBinary(CONFORMANCE_NODE_MAJOR, {
    cacheDir,
    log: (line) => process.stderr.write(`[node-binaries] ${line}\n`),
  });
  if ("unavailable" in binary) {
    throw new Error(
      `the MCP conformance suite needs Node.js ${CONFORMANCE_NODE_MAJOR}, which could not be had: ${binary.unavailable}`,
    );
  }
  return binary.command;
}
