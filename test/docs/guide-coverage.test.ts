/**
 * docs/guide-coverage.md maps every point of the optimization guide to what implements it. Each
 * name in it — a rule id, a metrics recommendation, an MCP tool, a command and its flags, a test
 * file and the test's name, a link — is checked here against the code, so the matrix cannot
 * claim what the product does not do, and the README's share of fully covered lines is the
 * matrix's own count.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { RULE_IDS } from "../../src/audit/rule-ids.js";
import { buildProgram } from "../../src/cli/main.js";
import { TOOLS } from "../../src/mcp/tools/index.js";
import { METRICS_RULES } from "../../src/metrics/rules/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DOCS = join(ROOT, "docs");
const MATRIX_FILE = join(DOCS, "guide-coverage.md");

const STATUSES = ["full", "partial", "out of scope"] as const;
type Status = (typeof STATUSES)[number];

const NONE = "—";
/**
 * The README's sentence: the link to the matrix, then, in the same paragraph, its share of fully
 * covered lines.
 */
const README_SHARE =
  /\(docs\/guide-coverage\.md\)(?:(?!\n\n)[\s\S])*?(\d+) of (\d+) lines \((\d+)%\) fully covered/;

interface MatrixRow {
  readonly number: number;
  /** The guide's headings above the row, "Cost Optimization › Key Cost Levers". */
  readonly section: string;
  readonly point: string;
  readonly implementedBy: string;
  readonly tests: string;
  readonly coverage: string;
  readonly missing: string;
}

/** The rows of every table on the page whose first cell is a row number. */
function parseMatrix(text: string): MatrixRow[] {
  const rows: MatrixRow[] = [];
  let chapter = "";
  let part = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("## ")) [chapter, part] = [line.slice(3).trim(), ""];
    else if (line.startsWith("### ")) part = line.slice(4).trim();
    const numbered = /^\|\s*(\d+)\s*\|/.exec(line);
    if (!numbered) continue;
    const cells = line
      .replace(/^\|/, "")
      .replace(/\|\s*$/, "")
      .split("|")
      .map((cell) => cell.trim());
    if (cells.length !== 6)
      throw new Error(`row ${numbered[1]} has ${cells.length} cells, not 6: ${line.slice(0, 80)}`);
    rows.push({
      number: Number(numbered[1]),
      section: part ? `${chapter} › ${part}` : chapter,
      point: cells[1]!,
      implementedBy: cells[2]!,
      tests: cells[3]!,
      coverage: cells[4]!,
      missing: cells[5]!,
    });
  }
  return rows;
}

function label(row: MatrixRow): string {
  return `row ${row.number} (${row.section}: "${row.point}")`;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function headingSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings, outside code blocks. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("```")) inCode = !inCode;
    const heading = /^#{1,6} (.+)$/.exec(line);
    if (!inCode && heading) anchors.add(headingSlug(heading[1]!.trim()));
  }
  return anchors;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether a test file declares an `it` or `test` (with any modifier) of exactly this name. */
function declaresTest(source: string, name: string): boolean {
  return new RegExp(`\\b(?:it|test)(?:\\.\\w+)*\\(\\s*(["'\`])${escapeRegExp(name)}\\1`).test(
    source,
  );
}

/** A command by its path (`esm optimize`), from the program the CLI builds. */
function findCommand(program: Command, path: readonly string[]): Command | undefined {
  let command: Command | undefined = program;
  for (const name of path) command = command?.commands.find((sub) => sub.name() === name);
  return command === program ? undefined : command;
}

/** What is wrong with the names one row gives; empty when every one checks out. */
function problemsOf(row: MatrixRow, program: Command): string[] {
  const problems: string[] = [];
  const where = label(row);

  if (!(STATUSES as readonly string[]).includes(row.coverage))
    problems.push(`${where}: coverage "${row.coverage}" is not one of ${STATUSES.join(", ")}`);
  if (row.coverage === "full" && row.missing !== NONE)
    problems.push(`${where}: full, yet the last column says something is missing`);
  if (row.coverage !== "full" && (row.missing === NONE || row.missing === ""))
    problems.push(`${where}: ${row.coverage} must say what is missing or why`);

  for (const match of row.implementedBy.matchAll(/\[`([^`]+)`\]\(rules\/([^)]+)\.md\)/g)) {
    const [, id, page] = match as unknown as [string, string, string];
    if (id !== page) problems.push(`${where}: rule id "${id}" links rules/${page}.md`);
    if (!RULE_IDS.includes(id)) problems.push(`${where}: rule id "${id}" is not an audit rule`);
    if (!existsSync(join(DOCS, "rules", `${id}.md`)))
      problems.push(`${where}: rule id "${id}" has no docs/rules/${id}.md`);
  }

  const metricsIds = METRICS_RULES.map((rule) => rule.id);
  const metricsPage = readFileSync(join(DOCS, "metrics-rules.md"), "utf8");
  for (const [, id] of row.implementedBy.matchAll(/\[`([^`]+)`\]\(metrics-rules\.md\)/g)) {
    if (!metricsIds.includes(id!))
      problems.push(`${where}: metrics recommendation "${id}" is not one of metrics' rules`);
    else if (!metricsPage.includes(`\`${id}\``))
      problems.push(`${where}: metrics recommendation "${id}" is not on docs/metrics-rules.md`);
  }

  const toolNames = TOOLS.map((tool) => tool.name);
  for (const [, name] of row.implementedBy.matchAll(/\[`([^`]+)`\]\(mcp\.md#[^)]*\)/g))
    if (!toolNames.includes(name!)) problems.push(`${where}: MCP tool "${name}" does not exist`);

  for (const [, words] of row.implementedBy.matchAll(/`lambda-optimizer ([^`]+)`/g)) {
    const tokens = words!.trim().split(/\s+/);
    const path = tokens.filter((token) => !token.startsWith("-"));
    const flags = tokens.filter((token) => token.startsWith("-"));
    const command = findCommand(program, path);
    if (!command) {
      problems.push(`${where}: command "lambda-optimizer ${path.join(" ")}" does not exist`);
      continue;
    }
    const known = command.options.map((option) => option.long);
    for (const flag of flags)
      if (!known.includes(flag))
        problems.push(`${where}: "lambda-optimizer ${path.join(" ")}" has no flag ${flag}`);
    if (!row.implementedBy.includes(`(commands/${path[0]}.md`))
      problems.push(`${where}: names "lambda-optimizer ${path[0]}" but does not link its page`);
  }

  const testRefs = [...row.tests.matchAll(/`(test\/[^`]+)` › "([^"]+)"/g)];
  if (row.tests === NONE) {
    if (row.coverage !== "out of scope") problems.push(`${where}: names no test`);
  } else if (testRefs.length === 0) {
    problems.push(`${where}: no test written as \`test/file.test.ts\` › "name"`);
  }
  for (const [, file, name] of testRefs) {
    const path = join(ROOT, file!);
    if (!existsSync(path)) {
      problems.push(`${where}: test file ${file} does not exist`);
      continue;
    }
    if (!declaresTest(readFileSync(path, "utf8"), name!))
      problems.push(`${where}: ${file} has no test named "${name}"`);
  }

  for (const [, target] of `${row.implementedBy} ${row.missing}`.matchAll(/\]\(([^)]+)\)/g)) {
    const [file, anchor] = target!.split("#") as [string, string | undefined];
    const path = join(DOCS, file);
    if (!existsSync(path)) {
      problems.push(`${where}: link ${target} points at no file`);
      continue;
    }
    if (anchor !== undefined && !anchorsOf(path).has(anchor))
      problems.push(`${where}: link ${target} names no heading of docs/${file}`);
  }
  return problems;
}

/** How many rows have each coverage. */
function countByStatus(rows: readonly MatrixRow[]): Record<Status, number> {
  const counts: Record<Status, number> = { full: 0, partial: 0, "out of scope": 0 };
  for (const row of rows) if (row.coverage in counts) counts[row.coverage as Status] += 1;
  return counts;
}

const text = readFileSync(MATRIX_FILE, "utf8");
const rows = parseMatrix(text);
let program: Command;

beforeAll(async () => {
  program = await buildProgram();
});

describe("docs/guide-coverage.md", () => {
  it("numbers its rows 1, 2, 3… so that a failure can name one", () => {
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.map((row) => row.number)).toEqual(rows.map((_, index) => index + 1));
  });

  it("names only rules, recommendations, tools, commands, flags, tests and pages that exist", () => {
    expect(rows.flatMap((row) => problemsOf(row, program))).toEqual([]);
  });

  it("says in its header how many rows have each coverage", () => {
    const counts = countByStatus(rows);
    expect(text).toContain(
      `Counts: **${counts.full}** full, **${counts.partial}** partial, **${counts["out of scope"]}** out of scope, of **${rows.length}** rows.`,
    );
  });

  it("is quoted in the README with its own share of fully covered lines", () => {
    const quoted = README_SHARE.exec(readFileSync(join(ROOT, "README.md"), "utf8"));
    expect(
      quoted,
      "README.md links docs/guide-coverage.md and says 'N of M lines (P%) fully covered'",
    ).not.toBeNull();
    const full = countByStatus(rows).full;
    expect(quoted!.slice(1, 4).map(Number)).toEqual([
      full,
      rows.length,
      Math.round((100 * full) / rows.length),
    ]);
  });
});
