/**
 * `--fix` over the corpus in test/fixtures/template-corpus (120 templates in the
 * layouts real ones use: see its README): every fixed file parses, keeps its
 * resources and values except the fixed paths, keeps every untouched line
 * byte for byte, and gives cfn-lint no error it did not give before.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { diffArrays, diffChars } from "diff";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import { fixTemplateFiles } from "../../src/audit/fix/fix-files.js";
import { TEMPLATE_RULES } from "../../src/audit/rules/index.js";
import { TunedMemoryIndex } from "../../src/audit/tuned-memory.js";
import { parseTemplateText } from "../../src/template/parse-template.js";
import { tuneEveryFunction } from "./tune-run-file.js";

const CORPUS = fileURLToPath(new URL("../fixtures/template-corpus/", import.meta.url));
const FIXABLE = TEMPLATE_RULES.filter((rule) =>
  ["arm64-candidate", "memory-default", "log-retention", "esm-config"].includes(rule.meta.id),
);

/** cfn-lint over many files in one process: its E-rule errors per file, line numbers left out (fixes move lines). */
function cfnLintErrors(files: readonly string[]): Promise<Map<string, Set<string>>> {
  return new Promise((resolve, reject) => {
    // Warnings and informational rules are not compared: leaving them out saves time.
    const child = spawn("cfn-lint", [
      "--format",
      "parseable",
      "--ignore-checks",
      "W",
      "I",
      "--",
      ...files,
    ]);
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", () => {
      const errors = new Map<string, Set<string>>();
      for (const line of out.split("\n")) {
        // file:line:column:endLine:endColumn:rule:message
        const match = /^(.*?):\d+:\d+:\d+:\d+:(E\d+):(.*)$/.exec(line);
        if (!match) continue;
        const [, file, rule, message] = match;
        const set = errors.get(file!) ?? new Set<string>();
        errors.set(file!, set.add(`${rule} ${message}`));
      }
      resolve(errors);
    });
  });
}

/** Whether `candidate` is `line` with text inserted (and x86_64 made arm64): nothing of it removed. */
function isInsertionInto(line: string, candidate: string): boolean {
  return diffChars(line.replaceAll("x86_64", "arm64"), candidate).every((part) => !part.removed);
}

type Template = { Resources: Record<string, Record<string, unknown>> } & Record<string, unknown>;

describe("--fix over the template-corpus corpus", () => {
  it("breaks no template", async () => {
    const root = mkdtempSync(join(tmpdir(), "lo-fix-corpus-"));
    const before = join(root, "before");
    const after = join(root, "after");
    mkdirSync(before);
    cpSync(CORPUS, after, { recursive: true });
    const names = readdirSync(CORPUS).filter((name) => /\.(ya?ml|json)$/.test(name));
    expect(names.length).toBeGreaterThanOrEqual(100);
    for (const name of names) cpSync(join(CORPUS, name), join(before, name));

    const files = names.map((name) => join(after, name));
    // Every function tuned to 512 MB by a saved run, so memory-default has a size to write.
    for (const file of files) tuneEveryFunction(file, 512);
    const report = auditTemplates(files, {
      rules: FIXABLE,
      cwd: after,
      tunedMemory: new TunedMemoryIndex(after),
    });
    expect(report.errors).toEqual([]);
    // Every function's code taken as checked, so arm64 is applied wherever the template allows.
    const codeChecked = new Set(report.findings.map((finding) => finding.resource));
    const results = fixTemplateFiles(files, report.findings, {
      cwd: after,
      facts: () => ({ codeChecked }),
    });
    const fixed = results.filter((result) => result.status === "fixed");
    // Files the fixes did not touch are checked byte for byte below; only fixed ones are linted.
    const linted = fixed.map((result) => result.file);
    const lint = Promise.all([
      cfnLintErrors(linted.map((name) => join(before, name))),
      cfnLintErrors(linted.map((name) => join(after, name))),
    ]);

    expect(results.filter((result) => !["fixed", "unchanged"].includes(result.status))).toEqual([]);
    const applied = fixed.flatMap((result) => result.applied.map((fix) => fix.ruleId));
    // Enough edits of each kind to mean something.
    for (const rule of ["arm64-candidate", "memory-default", "log-retention"]) {
      expect(applied.filter((id) => id === rule).length).toBeGreaterThanOrEqual(20);
    }
    expect(results.flatMap((result) => result.suggested).length).toBeGreaterThan(10);

    for (const name of names) {
      const original = readFileSync(join(before, name), "utf8");
      const text = readFileSync(join(after, name), "utf8");
      const result = fixed.find((candidate) => candidate.file === name);
      if (!result) {
        expect(text, name).toBe(original);
        continue;
      }
      // Untouched lines byte for byte: a removed line only comes back edited in place
      // (x86_64 -> arm64, an entry added inside a flow map, or a comma before a JSON addition).
      const newline = original.includes("\r\n") ? "\r\n" : "\n";
      const changes = diffArrays(original.split(newline), text.split(newline));
      const added = changes.filter((change) => change.added).flatMap((change) => change.value);
      for (const change of changes.filter((candidate) => candidate.removed)) {
        for (const line of change.value) {
          const editedInPlace = added.some((candidate) => isInsertionInto(line, candidate));
          expect(editedInPlace, `${name}: line changed: ${line}`).toBe(true);
        }
      }
      // Same resources and values, except the fixed paths.
      const was = parseTemplateText(original, name).template as Template;
      const now = parseTemplateText(text, name).template as Template;
      const expected = structuredClone(was);
      for (const fix of result.applied) {
        const resource = expected.Resources[fix.resource]!;
        const properties = (resource.Properties ?? {}) as Record<string, unknown>;
        if (fix.ruleId === "arm64-candidate") properties.Architectures = ["arm64"];
        if (fix.ruleId === "memory-default") properties.MemorySize = 512;
        if (fix.ruleId === "log-retention") {
          if (resource.Type === "AWS::Logs::LogGroup") properties.RetentionInDays = 30;
          else {
            const added = Object.keys(now.Resources).find(
              (id) => !(id in was.Resources) && id.startsWith(`${fix.resource}LogGroup`),
            )!;
            expected.Resources[added] = now.Resources[added]!;
            expect(now.Resources[added], name).toEqual({
              Type: "AWS::Logs::LogGroup",
              Properties: {
                LogGroupName: { "Fn::Sub": `/aws/lambda/\${${fix.resource}}` },
                RetentionInDays: 30,
              },
            });
          }
        }
        if (Object.keys(properties).length > 0) resource.Properties = properties;
      }
      expect(isDeepStrictEqual(now, expected), `${name}: values other than the fixes changed`).toBe(
        true,
      );
    }

    const [lintBefore, lintAfter] = await lint;
    expect(linted.length).toBeGreaterThanOrEqual(80);
    for (const name of linted) {
      const was = lintBefore.get(join(before, name)) ?? new Set();
      const fresh = [...(lintAfter.get(join(after, name)) ?? [])].filter(
        (error) => !was.has(error),
      );
      expect(fresh, `${name}: new cfn-lint errors`).toEqual([]);
    }
  }, 180_000);
});
