import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync, truncateSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { ELF_MACHINE, elfMachineName, parseElfHeader } from "../../../src/audit/code/elf.js";
import {
  dependencyKeyLines,
  isX86OnlyWheel,
  type PackageFacts,
  scanPackage,
} from "../../../src/audit/code/package-scan.js";
import { fakeElf, put, putWheel, tempFolders } from "../code-rules/function-code-fixture.js";

const folders = tempFolders();
afterEach(() => folders.cleanup());

/**
 * scanPackage run as a user that permissions apply to: root reads any
 * folder, so as root the scan runs in a child process as `nobody`, from a
 * bundle of the module.
 */
function scanAsUnprivileged(root: string): PackageFacts {
  if (process.getuid?.() !== 0) return scanPackage(root, []);
  const bundle = join(folders.make(), "package-scan.mjs");
  buildSync({
    entryPoints: [
      fileURLToPath(new URL("../../../src/audit/code/package-scan.ts", import.meta.url)),
    ],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: bundle,
    logLevel: "silent",
  });
  chmodSync(dirname(bundle), 0o755);
  const script = `import(${JSON.stringify(bundle)}).then((m) => process.stdout.write(JSON.stringify(m.scanPackage(${JSON.stringify(root)}, []))))`;
  const child = spawnSync(
    "setpriv",
    ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", script],
    { encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(`scan as nobody failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as PackageFacts;
}

const PACKAGE_JSON = `{
  "name": "orders",
  "dependencies": {
    "@aws-sdk/client-s3": "^3.600.0",
    "aws-sdk": "^2.1692.0"
  },
  "devDependencies": {
    "typescript": "^5.9.0",
    "vitest": "^4.0.0"
  }
}
`;

describe("parseElfHeader", () => {
  it("reads e_machine in the header's byte order", () => {
    expect(parseElfHeader(fakeElf(ELF_MACHINE.x86_64))).toEqual({
      bits: 64,
      endianness: "little",
      machine: 62,
    });
    const bigEndian32 = fakeElf(0);
    bigEndian32[4] = 1;
    bigEndian32[5] = 2;
    bigEndian32.writeUInt16BE(ELF_MACHINE.aarch64, 18);
    expect(parseElfHeader(bigEndian32)).toEqual({ bits: 32, endianness: "big", machine: 183 });
  });

  it("rejects what is not an ELF header", () => {
    expect(parseElfHeader(fakeElf(62).subarray(0, 19))).toBeUndefined();
    expect(parseElfHeader(Buffer.from("#!/bin/sh\necho hello there\n"))).toBeUndefined();
    const badClass = fakeElf(62);
    badClass[4] = 9;
    expect(parseElfHeader(badClass)).toBeUndefined();
  });

  it("names machines, unknown ones by number", () => {
    expect(elfMachineName(62)).toBe("x86-64");
    expect(elfMachineName(183)).toBe("aarch64");
    expect(elfMachineName(243)).toBe("machine 243");
  });
});

describe("dependencyKeyLines", () => {
  it("finds the line of each key of the top-level dependency objects only", () => {
    const text = `{
  "description": "braces { in \\"strings\\" } and [brackets]",
  "overrides": { "dependencies": { "nested": "1" } },
  "dependencies": {
    "a": "1",
    "@s/b": "2"
  },
  "devDependencies": { "c": "3" }
}`;
    const lines = dependencyKeyLines(text);
    expect([...(lines.get("dependencies") ?? [])]).toEqual([
      ["a", 5],
      ["@s/b", 6],
    ]);
    expect([...(lines.get("devDependencies") ?? [])]).toEqual([["c", 8]]);
  });
});

describe("isX86OnlyWheel", () => {
  it("is true only when every platform is x86", () => {
    expect(isX86OnlyWheel(["cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64"])).toBe(true);
    expect(isX86OnlyWheel(["cp312-cp312-manylinux_2_17_aarch64"])).toBe(false);
    expect(isX86OnlyWheel(["py3-none-any"])).toBe(false);
    expect(isX86OnlyWheel(["cp312-cp312-manylinux_2_17_x86_64", "py3-none-any"])).toBe(false);
    expect(isX86OnlyWheel([])).toBe(false);
  });
});

describe("scanPackage", () => {
  it("sums apparent sizes, a sparse file at its full length", () => {
    const root = folders.make();
    put(root, "index.js", "x".repeat(1000));
    const big = put(root, "data/model.bin");
    truncateSync(big, 60 * 1024 * 1024); // sparse: 60 MB apparent, almost nothing on disk
    const facts = scanPackage(root, []);
    expect(facts.totalBytes).toBe(60 * 1024 * 1024 + 1000);
    expect(facts.fileCount).toBe(2);
    expect(facts.truncated).toBe(false);
    expect(facts.packageJson).toBeUndefined();
  });

  it("reads package.json with each dependency's line, and the installed packages", () => {
    const root = folders.make();
    put(root, "package.json", PACKAGE_JSON);
    put(root, "node_modules/aws-sdk/package.json", '{"name":"aws-sdk","version":"2.1692.0"}');
    put(root, "node_modules/aws-sdk/lib/core.js", "x".repeat(5000));
    put(root, "node_modules/@aws-sdk/client-s3/package.json", '{"version":"3.600.0"}');
    put(root, "node_modules/.bin/tsc", "#!/usr/bin/env node\n");
    put(root, "node_modules/no-manifest/index.js", "");
    const facts = scanPackage(root, []);
    expect(facts.packageJson).toMatchObject({
      file: join(root, "package.json"),
      name: "orders",
      dependencies: [
        { name: "@aws-sdk/client-s3", range: "^3.600.0", line: 4 },
        { name: "aws-sdk", range: "^2.1692.0", line: 5 },
      ],
      devDependencies: [
        { name: "typescript", range: "^5.9.0", line: 8 },
        { name: "vitest", range: "^4.0.0", line: 9 },
      ],
    });
    expect(facts.installed.map((pkg) => [pkg.name, pkg.version])).toEqual([
      ["@aws-sdk/client-s3", "3.600.0"],
      ["aws-sdk", "2.1692.0"],
    ]);
    const awsSdk = facts.installed.find((pkg) => pkg.name === "aws-sdk")!;
    expect(awsSdk.packageJson).toBe(join(root, "node_modules/aws-sdk/package.json"));
    expect(awsSdk.bytes).toBe(5000 + '{"name":"aws-sdk","version":"2.1692.0"}'.length);
  });

  it("records a package.json that is not JSON, without dependencies", () => {
    const root = folders.make();
    put(root, "package.json", "{ not json");
    const facts = scanPackage(root, []);
    expect(facts.packageJson?.dependencies).toEqual([]);
    // JSON.parse's own words (Node 22 adds "(line 1 column 3)" after the position).
    expect(facts.packageJson).toMatchObject({ file: join(root, "package.json") });
    expect(facts.packageJson?.error).toMatch(
      /^Expected property name or '}' in JSON at position 2\b/,
    );
  });

  it("records a package.json that is JSON but not an object, saying so", () => {
    const root = folders.make();
    put(root, "package.json", '["express"]');
    const facts = scanPackage(root, []);
    expect(facts.packageJson).toMatchObject({ dependencies: [], error: "not a JSON object" });
  });

  it("lists installed devDependencies, except those production also needs", () => {
    const root = folders.make();
    put(
      root,
      "package.json",
      JSON.stringify({
        dependencies: { shared: "1" },
        devDependencies: { typescript: "5", shared: "1", hoisted: "1", missing: "1" },
      }),
    );
    for (const name of ["typescript", "shared", "hoisted"]) {
      put(root, `node_modules/${name}/package.json`, '{"version":"1.0.0"}');
    }
    // npm's hidden lockfile: `hoisted` is also a production package's dependency (no dev flag).
    put(
      root,
      "node_modules/.package-lock.json",
      JSON.stringify({
        packages: {
          "node_modules/typescript": { version: "1.0.0", dev: true },
          "node_modules/hoisted": { version: "1.0.0" },
        },
      }),
    );
    const facts = scanPackage(root, []);
    expect(facts.shippedDevDependencies.map((pkg) => pkg.name)).toEqual(["typescript"]);
  });

  it("finds tests and docs of the function's own code, not of its dependencies", () => {
    const root = folders.make();
    put(root, "app.js", "");
    put(root, "tests/unit/app.test.js", "x".repeat(300));
    put(root, "tests/helper.js", "x".repeat(100));
    put(root, "src/__tests__/a.js", "");
    put(root, "src/handler.test.ts", "");
    put(root, "src/handler.spec.mjs", "");
    put(root, "test_app.py", "");
    put(root, "app_test.py", "");
    put(root, "spec/openapi.yaml", "openapi: 3.0.0"); // a spec read at run time: not tests
    put(root, "lib/spec/user.spec.js", ""); // a spec folder of tests
    put(root, "docs/guide.md", "");
    put(root, "examples/event.json", "");
    put(root, "node_modules/left-pad/test/index.js", "");
    put(root, "node_modules/left-pad/docs/readme.md", "");
    // pip install -t: a vendored distribution and its tests are third-party code.
    putWheel(root, "requests-2.32.0.dist-info", ["py3-none-any"], ["requests/__init__.py"]);
    put(root, "requests/tests/test_api.py", "");
    put(root, "requests/__init__.py", "");
    put(root, ".git/tests/x.test.js", ""); // never shipped
    const facts = scanPackage(root, []);
    expect(facts.tests.map((item) => `${item.kind}:${item.relative}`)).toEqual([
      "file:app_test.py",
      "folder:lib/spec",
      "folder:src/__tests__",
      "file:src/handler.spec.mjs",
      "file:src/handler.test.ts",
      "file:test_app.py",
      "folder:tests",
    ]);
    expect(facts.tests.find((item) => item.relative === "tests")?.bytes).toBe(400);
    expect(facts.docs.map((item) => item.relative)).toEqual(["docs", "examples"]);
    expect(facts.binaries).toEqual([]);
  });

  it("finds native binaries by their ELF header, reading only candidates", () => {
    const root = folders.make();
    const layer = folders.make();
    put(root, "node_modules/sharp/build/Release/sharp-linux-x64.node", fakeElf(62));
    put(root, "lib/libvips.so.42", fakeElf(183));
    put(root, "bin/ffmpeg", fakeElf(62)); // no extension
    put(root, "LICENSE", "MIT License, the usual words and more words");
    put(root, "weird.js", fakeElf(62)); // not a candidate: never opened
    put(root, "mac.node", Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.alloc(60)]));
    put(root, "tiny", "ab");
    symlinkSync(join(root, "bin/ffmpeg"), join(root, "ffmpeg-link")); // the same binary: once
    const script = put(root, "run.sh", fakeElf(62));
    chmodSync(script, 0o755); // an executable with an extension is a candidate
    put(
      layer,
      "python/lib/python3.12/site-packages/_cffi_backend.cpython-312-x86_64-linux-gnu.so",
      fakeElf(62),
    );
    const facts = scanPackage(root, [layer]);
    expect(
      facts.binaries.map((binary) => [
        binary.relative,
        binary.kind,
        binary.elf?.machine,
        binary.layer,
      ]),
    ).toEqual([
      ["bin/ffmpeg", "executable", 62, undefined],
      ["lib/libvips.so.42", "shared-library", 183, undefined],
      ["mac.node", "addon", undefined, undefined],
      ["node_modules/sharp/build/Release/sharp-linux-x64.node", "addon", 62, undefined],
      [
        "python/lib/python3.12/site-packages/_cffi_backend.cpython-312-x86_64-linux-gnu.so",
        "shared-library",
        62,
        layer,
      ],
      ["run.sh", "executable", 62, undefined],
    ]);
    expect(facts.layers).toEqual([{ folder: layer, totalBytes: 64, fileCount: 1 }]);
    expect(facts.fileCount).toBe(9); // the link's bytes count: a zip copies them in
  });

  it("reads wheel tags and what each wheel installed", () => {
    const root = folders.make();
    putWheel(
      root,
      "numpy-2.1.0.dist-info",
      ["cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64"],
      ["numpy/__init__.py", "numpy.libs/libopenblas.so", "../../bin/f2py"],
    );
    putWheel(root, "pydantic_core-2.23.0.dist-info", ["cp312-cp312-manylinux_2_17_aarch64"], []);
    const facts = scanPackage(root, []);
    expect(facts.wheels.map((wheel) => [wheel.distribution, wheel.version, wheel.x86Only])).toEqual(
      [
        ["numpy", "2.1.0", true],
        ["pydantic_core", "2.23.0", false],
      ],
    );
    expect(facts.wheels[0]?.relative).toBe("numpy-2.1.0.dist-info/WHEEL");
    expect(facts.wheels[0]?.topLevel).toEqual([join(root, "numpy"), join(root, "numpy.libs")]);
  });

  it("survives symlink loops, and does not follow links out of the folder", () => {
    const root = folders.make();
    const outside = folders.make();
    put(outside, "secret.bin", "x".repeat(10_000));
    put(root, "a/file.js", "x".repeat(10));
    symlinkSync(join(root, "a"), join(root, "a/loop")); // a/loop -> a
    symlinkSync(root, join(root, "a/up")); // a/up -> root
    symlinkSync("/", join(root, "slash"));
    symlinkSync(outside, join(root, "outside"));
    symlinkSync(join(root, "a/file.js"), join(root, "copy.js")); // inside: a zip would copy it in
    symlinkSync(join(root, "gone"), join(root, "dangling"));
    const facts = scanPackage(root, []);
    expect(facts.totalBytes).toBe(20);
    expect(facts.fileCount).toBe(2);
    expect(facts.skipped.map((entry) => [entry.path, entry.reason])).toEqual(
      expect.arrayContaining([
        [join(root, "slash"), "symlink outside the folder"],
        [join(root, "outside"), "symlink outside the folder"],
        [join(root, "dangling"), "ENOENT"],
      ]),
    );
  });

  it("records an unreadable folder and goes on", () => {
    const root = folders.make();
    chmodSync(root, 0o755);
    put(root, "ok.js", "x");
    const locked = join(root, "locked");
    mkdirSync(locked);
    put(root, "locked/x.js", "x");
    chmodSync(locked, 0o000);
    try {
      const facts = scanAsUnprivileged(root);
      expect(facts.fileCount).toBe(1);
      expect(facts.skipped).toEqual([{ path: locked, reason: "EACCES" }]);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it("stops after the entry cap and says so", () => {
    const root = folders.make();
    for (let i = 0; i < 30; i++) put(root, `f${String(i).padStart(2, "0")}.js`, "x");
    const facts = scanPackage(root, [], { maxEntries: 10 });
    expect(facts.truncated).toBe(true);
    expect(facts.fileCount).toBe(10);
    expect(scanPackage(root, []).truncated).toBe(false);
  });

  it("returns empty facts for a folder that does not exist", () => {
    const facts = scanPackage("/nonexistent/lambda-optimizer-test", []);
    expect(facts).toMatchObject({ totalBytes: 0, fileCount: 0, installed: [], binaries: [] });
    expect(facts.skippedCount).toBe(1);
  });
});
