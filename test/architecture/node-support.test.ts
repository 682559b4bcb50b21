/**
 * lambda-optimizer runs on Node.js 20 and 22 (package.json `engines`), and the AWS SDK for
 * JavaScript v3 announced that its releases published after the first week of January 2027 need
 * Node.js 22. These checks keep an install on Node.js 20 from pulling such a release:
 *
 * - the SDK clients we depend on are ranged below a version published before that date (an upper
 *   bound, so `npm install` or a regenerated lock cannot float past it);
 * - every `@aws-sdk/*` and `@smithy/*` package the lock file pins, our own and the ones they pull
 *   in with their own caret ranges, still declares that it runs on our oldest Node.js major.
 *   A lock regenerated on Node.js 22 after the cut-off fails here, naming the package.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Manifest {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}
interface LockEntry {
  version?: string;
  engines?: { node?: string };
}

const readJson = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../${name}`, import.meta.url), "utf8")) as T;

const manifest = readJson<Manifest>("package.json");
const lock = readJson<{ packages: Record<string, LockEntry> }>("package-lock.json");

/** The oldest Node.js major we support: the N of package.json's `engines.node` ">=N". */
function oldestSupportedMajor(): number {
  const range = manifest.engines?.node ?? "";
  const match = /^>=\s*(\d+)$/.exec(range);
  if (!match) throw new Error(`package.json engines.node is "${range}", expected ">=N"`);
  return Number(match[1]);
}

/**
 * The lowest major a ">=N" or ">=N.M.P" engines range admits; undefined for any other form (the
 * AWS packages use only this one, so another form is a change a person must look at).
 */
function lowestMajor(range: string): number | undefined {
  const match = /^>=\s*(\d+)(?:\.\d+){0,2}$/.exec(range.trim());
  return match ? Number(match[1]) : undefined;
}

/** "3.1164.0" as a number comparable with others of the 3.x line. */
function minorOf(version: string): number {
  return Number(version.split(".")[1]);
}

describe("Node.js support of the AWS SDK we install", () => {
  it("supports Node.js 20 and later", () => {
    expect(oldestSupportedMajor()).toBe(20);
  });

  it("bounds every @aws-sdk client from above, and the lock stays inside the bound", () => {
    const clients = Object.entries(manifest.dependencies ?? {}).filter(([name]) =>
      name.startsWith("@aws-sdk/"),
    );
    expect(clients.map(([name]) => name)).toEqual([
      "@aws-sdk/client-cloudwatch",
      "@aws-sdk/client-cloudwatch-logs",
      "@aws-sdk/client-lambda",
      "@aws-sdk/client-sqs",
    ]);
    for (const [name, range] of clients) {
      const bound = /^>=3\.\d+\.\d+ <(3\.\d+\.0)$/.exec(range);
      expect(bound, `${name} "${range}" has no upper bound ">=3.A.0 <3.B.0"`).not.toBeNull();
      const locked = lock.packages[`node_modules/${name}`]?.version ?? "";
      expect(minorOf(locked), `${name} locked at ${locked}, bound ${range}`).toBeLessThan(
        minorOf(bound![1]!),
      );
    }
  });

  it("locks only @aws-sdk and @smithy packages that declare they run on our oldest major", () => {
    const oldest = oldestSupportedMajor();
    const sdkEntries = Object.entries(lock.packages).filter(([path]) =>
      /node_modules\/@(aws-sdk|smithy)\/[^/]+$/.test(path),
    );
    // The clients, their core, credentials and signing: a lock without them is not ours.
    expect(sdkEntries.length).toBeGreaterThanOrEqual(20);
    const refusing = sdkEntries
      .map(([path, entry]) => ({ path, range: entry.engines?.node ?? "(none)" }))
      .filter(({ range }) => {
        const lowest = lowestMajor(range);
        return lowest === undefined || lowest > oldest;
      })
      .map(({ path, range }) => `${path.replace(/^.*node_modules\//, "")} engines.node ${range}`);
    expect(refusing).toEqual([]);
  });

  it("reads the engines ranges the SDK publishes", () => {
    expect(lowestMajor(">=20.0.0")).toBe(20);
    expect(lowestMajor(">=18")).toBe(18);
    expect(lowestMajor(">=22.0.0")).toBe(22);
    expect(lowestMajor("^20.19.0 || >=22.12.0")).toBeUndefined();
  });
});
