import { truncateSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FILE_START } from "../../../src/audit/code/code-rule.js";
import { arm64Blocked } from "../../../src/audit/code-rules/arm64-blocked.js";
import { PACKAGE_RULES } from "../../../src/audit/code-rules/package-rules.js";
import { packageSize } from "../../../src/audit/code-rules/package-size.js";
import { sdkV2Bundled } from "../../../src/audit/code-rules/sdk-v2-bundled.js";
import {
  fakeElf,
  functionCodeFor,
  moduleWithImports,
  put,
  putWheel,
  tempFolders,
} from "./function-code-fixture.js";

const folders = tempFolders();
afterEach(() => folders.cleanup());

const MB = 1024 * 1024;

describe("PACKAGE_RULES", () => {
  it("holds the three package rules, each with its docs page", () => {
    expect(PACKAGE_RULES.map((rule) => rule.meta.id)).toEqual([
      "sdk-v2-bundled",
      "package-size",
      "arm64-blocked",
    ]);
    for (const rule of PACKAGE_RULES) expect(rule.meta.docs).toBe(`docs/rules/${rule.meta.id}.md`);
  });
});

describe("sdk-v2-bundled", () => {
  it("reports the dependency's line, the installed package and each import", () => {
    const root = folders.make();
    const packageJson = put(
      root,
      "package.json",
      '{\n  "dependencies": {\n    "uuid": "^9.0.0",\n    "aws-sdk": "^2.1692.0"\n  }\n}\n',
    );
    const installed = put(
      root,
      "node_modules/aws-sdk/package.json",
      '{"name":"aws-sdk","version":"2.1692.0"}',
    );
    const index = join(root, "index.js");
    const db = join(root, "db.js");
    const fn = functionCodeFor(root, {
      modules: [
        moduleWithImports(index, [
          { specifier: "aws-sdk", line: 1 },
          { specifier: "./db", line: 2 },
        ]),
        moduleWithImports(db, [{ specifier: "aws-sdk/clients/dynamodb", line: 3 }]),
      ],
    });
    const findings = sdkV2Bundled.check(fn);
    expect(findings.map((finding) => [finding.file, finding.position.line])).toEqual([
      [packageJson, 4],
      [installed, 1],
      [index, 1],
      [db, 3],
    ]);
    expect(findings[0]?.message).toMatch(/aws-sdk \^2\.1692\.0.*end-of-support.*98 MB/);
    expect(findings[1]?.message).toContain("node_modules/aws-sdk 2.1692.0");
    expect(findings[3]?.message).toContain('"aws-sdk/clients/dynamodb"');
    expect(findings[0]?.fix).toMatch(/@aws-sdk\/client-s3.*nodejs18\.x/);
  });

  it("reports one finding per file and line", () => {
    const root = folders.make();
    const index = join(root, "index.js");
    const fn = functionCodeFor(root, {
      modules: [
        moduleWithImports(index, [
          { specifier: "aws-sdk", line: 1 },
          { specifier: "aws-sdk/global", line: 1 },
        ]),
      ],
    });
    expect(sdkV2Bundled.check(fn)).toHaveLength(1);
  });

  it("accepts v3 clients, look-alike names and aws-sdk as a devDependency only", () => {
    const root = folders.make();
    put(
      root,
      "package.json",
      JSON.stringify({
        dependencies: { "@aws-sdk/client-s3": "^3.600.0", "aws-sdk-client-mock": "^4.0.0" },
        devDependencies: { "aws-sdk": "^2.1692.0" },
      }),
    );
    put(root, "node_modules/@aws-sdk/client-s3/package.json", '{"version":"3.600.0"}');
    const fn = functionCodeFor(root, {
      modules: [
        moduleWithImports(join(root, "index.js"), [
          { specifier: "@aws-sdk/client-s3", line: 1 },
          { specifier: "aws-sdk-client-mock", line: 2 },
        ]),
      ],
    });
    expect(sdkV2Bundled.check(fn)).toEqual([]);
  });

  it("leaves Python functions alone", () => {
    const root = folders.make();
    put(root, "node_modules/aws-sdk/package.json", '{"version":"2.1692.0"}');
    expect(sdkV2Bundled.check(functionCodeFor(root, { language: "python" }))).toEqual([]);
  });
});

describe("package-size", () => {
  it("reports a package above 50 MB at package.json, in MB", () => {
    const root = folders.make();
    const packageJson = put(root, "package.json", "{}");
    truncateSync(put(root, "assets/model.bin"), 60 * MB); // sparse: 60 MB apparent
    const findings = packageSize.check(functionCodeFor(root));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: packageJson, position: FILE_START });
    expect(findings[0]?.message).toMatch(/60\.0 MB unzipped in 2 files.*250 MB/);
    expect(findings[0]?.severity).toBeUndefined();
  });

  it("counts layers toward the limit in the message", () => {
    const root = folders.make();
    const layer = folders.make();
    truncateSync(put(root, "big.bin"), 51 * MB);
    truncateSync(put(layer, "nodejs/lib.bin"), 100 * MB);
    const findings = packageSize.check(functionCodeFor(root, { layers: [layer] }));
    expect(findings[0]?.message).toContain("151.0 MB with its layers");
  });

  it("points at the entry module without package.json, else at the folder", () => {
    const root = folders.make();
    truncateSync(put(root, "big.bin"), 51 * MB);
    const app = join(root, "app.py");
    const withModule = functionCodeFor(root, {
      language: "python",
      modules: [moduleWithImports(app, [], "python")],
    });
    expect(packageSize.check(withModule)[0]?.file).toBe(app);
    expect(packageSize.check(functionCodeFor(root))[0]?.file).toBe(root);
  });

  it("accepts a package of 50 MB", () => {
    const root = folders.make();
    truncateSync(put(root, "big.bin"), 50 * MB);
    expect(packageSize.check(functionCodeFor(root))).toEqual([]);
  });

  it("names shipped devDependencies, five then a count, at the first one's line", () => {
    const root = folders.make();
    const names = ["a", "b", "c", "d", "e", "f", "g"];
    const packageJson = put(
      root,
      "package.json",
      JSON.stringify(
        {
          dependencies: { lodash: "4" },
          devDependencies: Object.fromEntries(names.map((n) => [n, "1"])),
        },
        null,
        2,
      ),
    );
    for (const name of names) put(root, `node_modules/${name}/package.json`, "{}");
    truncateSync(put(root, "node_modules/a/big.js"), 2 * MB);
    put(root, "node_modules/lodash/package.json", "{}");
    const findings = packageSize.check(functionCodeFor(root));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: packageJson, position: { line: 6, column: 1 } });
    expect(findings[0]?.message).toMatch(/7 devDependencies \(a, b, c, d, e and 2 more\), 2\.0 MB/);
    expect(findings[0]?.severity).toBeUndefined(); // over 1 MB: a warning
  });

  it("reports tests and docs, as info when they are small", () => {
    const root = folders.make();
    put(root, "index.js", "");
    put(root, "tests/unit/handler.test.js", "x".repeat(2000));
    put(root, "handler.spec.js", "");
    truncateSync(put(root, "docs/video.mp4"), 3 * MB);
    const index = join(root, "index.js");
    const findings = packageSize.check(
      functionCodeFor(root, { modules: [moduleWithImports(index, [])] }),
    );
    expect(findings.map((finding) => [finding.file, finding.message, finding.severity])).toEqual([
      [index, "The package ships tests (handler.spec.js, tests/), 2 KB.", "info"],
      [index, "The package ships documentation or examples (docs/), 3.0 MB.", undefined],
    ]);
  });

  it("reports nothing for a small, clean package", () => {
    const root = folders.make();
    put(root, "package.json", JSON.stringify({ devDependencies: { typescript: "5" } }));
    put(root, "index.js", "");
    put(root, "node_modules/uuid/package.json", "{}");
    expect(packageSize.check(functionCodeFor(root))).toEqual([]);
  });
});

describe("arm64-blocked", () => {
  it("reports an x86-64 addon as info on x86_64, naming the file", () => {
    const root = folders.make();
    const addon = put(root, "node_modules/sharp/build/Release/sharp.node", fakeElf(62));
    const findings = arm64Blocked.check(functionCodeFor(root));
    expect(findings).toEqual([
      expect.objectContaining({ file: addon, position: FILE_START, severity: "info" }),
    ]);
    expect(findings[0]?.message).toMatch(
      /Native addon node_modules\/sharp\/build\/Release\/sharp\.node is built for x86-64 only.*x86_64/,
    );
  });

  it("is an error when the function already runs on arm64", () => {
    const root = folders.make();
    put(root, "bin/ffmpeg", fakeElf(62));
    const findings = arm64Blocked.check(functionCodeFor(root, { architecture: "arm64" }));
    expect(findings.map((finding) => finding.severity)).toEqual(["error"]);
    expect(findings[0]?.message).toMatch(/Executable bin\/ffmpeg.*cannot load/);
  });

  it("accepts aarch64 binaries, non-ELF files and portable wheels", () => {
    const root = folders.make();
    put(root, "node_modules/@img/sharp-linux-arm64/lib/sharp.node", fakeElf(183));
    put(root, "lib/libvips.so.42", fakeElf(183));
    put(root, "README", "no binary here, just words and words and words");
    putWheel(root, "pydantic_core-2.23.0.dist-info", ["cp312-cp312-manylinux_2_17_aarch64"], []);
    putWheel(root, "requests-2.32.0.dist-info", ["py3-none-any"], []);
    expect(arm64Blocked.check(functionCodeFor(root, { architecture: "arm64" }))).toEqual([]);
  });

  it("reports an x86 wheel once, not each library it installed", () => {
    const root = folders.make();
    putWheel(
      root,
      "numpy-2.1.0.dist-info",
      ["cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64"],
      [
        "numpy/_core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so",
        "numpy.libs/libscipy_openblas64_.so",
      ],
    );
    put(root, "numpy/_core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so", fakeElf(62));
    put(root, "numpy.libs/libscipy_openblas64_.so", fakeElf(62));
    const findings = arm64Blocked.check(functionCodeFor(root, { language: "python" }));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.file).toBe(join(root, "numpy-2.1.0.dist-info/WHEEL"));
    expect(findings[0]?.message).toMatch(/numpy 2\.1\.0.*x86 wheel.*manylinux2014_x86_64/);
    expect(findings[0]?.fix).toContain("--platform manylinux2014_aarch64");
  });

  it("names the layer of a binary in a layer", () => {
    const root = folders.make();
    const layer = folders.make();
    put(root, "index.js", "");
    put(layer, "nodejs/node_modules/bcrypt/lib/binding/bcrypt_lib.node", fakeElf(62));
    const findings = arm64Blocked.check(functionCodeFor(root, { layers: [layer] }));
    expect(findings[0]?.message).toContain(
      `nodejs/node_modules/bcrypt/lib/binding/bcrypt_lib.node in layer ${layer}`,
    );
  });

  it("lists ten binaries, then sums up the rest in one finding", () => {
    const root = folders.make();
    for (let i = 0; i < 13; i++) put(root, `lib/lib${String(i).padStart(2, "0")}.so`, fakeElf(62));
    const findings = arm64Blocked.check(functionCodeFor(root));
    expect(findings).toHaveLength(11);
    expect(findings[10]?.message).toMatch(/^3 more x86-only native files/);
    expect(findings.every((finding) => finding.severity === "info")).toBe(true);
  });
});
