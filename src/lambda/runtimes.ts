/**
 * Lambda's managed runtimes: language, OS, SnapStart support and the
 * deprecation schedule. Dates are ISO (YYYY-MM-DD), read from AWS's
 * per-language pages on the date below; AWS moves them often (nodejs20.x,
 * dotnet8 and java17 all moved in 2025–2026), so `doctor`-style checks should
 * say the date their facts were read.
 *
 * Every runtime id Lambda has had is here, deprecated ones included, so that
 * an old template is judged rather than passed over. The deprecated rows were
 * added on 2026-12-02 from AWS's runtimes page
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, the
 * "Deprecated runtimes" table and its older "Runtime support policy" edition,
 * runtime-support-policy.html) and cross-checked against cfn-lint's
 * src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json (commit 136b684)
 * and tflint-ruleset-aws's deprecated-runtime rule. Where they disagree, AWS's
 * page wins and the row says why.
 */

export const RUNTIMES_READ_ON = "2026-11-28";

const PAGES = {
  nodejs: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html",
  python: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html",
  java: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-java.html",
  dotnet: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-csharp.html",
  ruby: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-ruby.html",
  provided: "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-provided.html",
  deprecated:
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated",
} as const;

export const SNAPSTART_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html";

export type RuntimeFamily = "nodejs" | "python" | "java" | "dotnet" | "ruby" | "go" | "provided";

export interface RuntimeFacts {
  readonly id: string;
  readonly family: RuntimeFamily;
  /** Language version, e.g. "22" for nodejs22.x, "3.12" for python3.12. */
  readonly version: string;
  readonly os: "AL1" | "AL2" | "AL2023";
  readonly deprecation: string;
  readonly blockCreate: string | null;
  readonly blockUpdate: string | null;
  /** Managed SnapStart: Java 11 and later, Python 3.12 and later, .NET 8 and later. */
  readonly snapStart: boolean;
  /** Only usable as a container image base, not as a zip runtime. */
  readonly containerOnly?: boolean;
  readonly source: string;
}

type Row = [
  id: string,
  family: RuntimeFamily,
  version: string,
  os: RuntimeFacts["os"],
  deprecation: string,
  blockCreate: string | null,
  blockUpdate: string | null,
];

const ROWS: Row[] = [
  // Supported runtimes (AWS's "Supported runtimes" table and the per-language pages).
  ["nodejs24.x", "nodejs", "24", "AL2023", "2028-04-30", "2028-06-01", "2028-07-01"],
  ["nodejs22.x", "nodejs", "22", "AL2023", "2027-04-30", "2027-06-01", "2027-07-01"],
  ["python3.14", "python", "3.14", "AL2023", "2029-06-30", "2029-07-31", "2029-08-31"],
  ["python3.13", "python", "3.13", "AL2023", "2029-06-30", "2029-07-31", "2029-08-31"],
  ["python3.12", "python", "3.12", "AL2023", "2028-10-31", "2028-11-30", "2029-01-10"],
  // python3.11, java17, java11 and java8.al2: AWS's page gives 2027-06-30. cfn-lint's and
  // tflint-ruleset-aws's tables say 2026-06-30, the date AWS's page gave before it moved the
  // Amazon Linux 2 runtimes a year later (a copy of AWS's table read on 2026-08-15 already
  // says 2027-06-30). We keep AWS's page.
  ["python3.11", "python", "3.11", "AL2", "2027-06-30", "2027-07-31", "2027-08-31"],
  ["python3.10", "python", "3.10", "AL2", "2026-10-31", "2026-11-30", "2027-01-15"],
  ["java25", "java", "25", "AL2023", "2029-06-30", "2029-07-31", "2029-08-31"],
  ["java21", "java", "21", "AL2023", "2029-06-30", "2029-07-31", "2029-08-31"],
  // The Amazon Linux 2023 builds of the older Java versions, for those who cannot move to
  // Java 21 before Amazon Linux 2 ends; block dates not read, so none claimed.
  ["java17.al2023", "java", "17", "AL2023", "2029-06-30", null, null],
  ["java11.al2023", "java", "11", "AL2023", "2029-06-30", null, null],
  ["java8.al2023", "java", "8", "AL2023", "2029-06-30", null, null],
  ["java17", "java", "17", "AL2", "2027-06-30", "2027-07-31", "2027-08-31"],
  ["java11", "java", "11", "AL2", "2027-06-30", "2027-07-31", "2027-08-31"],
  ["java8.al2", "java", "8", "AL2", "2027-06-30", "2027-07-31", "2027-08-31"],
  ["dotnet10", "dotnet", "10", "AL2023", "2028-11-14", "2028-12-14", "2029-01-15"],
  ["dotnet8", "dotnet", "8", "AL2023", "2026-11-10", "2027-02-01", "2027-03-03"],
  ["ruby4.0", "ruby", "4.0", "AL2023", "2029-03-31", "2029-04-30", "2029-05-31"],
  ["ruby3.4", "ruby", "3.4", "AL2023", "2028-03-31", "2028-04-30", "2028-05-31"],
  ["ruby3.3", "ruby", "3.3", "AL2023", "2027-03-31", "2027-04-30", "2027-05-31"],
  ["provided.al2023", "provided", "al2023", "AL2023", "2029-06-30", "2029-07-31", "2029-08-31"],
  // Container base images only: Lambda never offered them as zip runtimes, so there is no
  // create or update block to reach (AWS's tables say "N/A").
  ["dotnet9", "dotnet", "9", "AL2023", "2026-11-10", null, null],
  ["dotnet7", "dotnet", "7", "AL2", "2024-05-14", null, null],
  ["dotnet5.0", "dotnet", "5.0", "AL2", "2022-05-10", null, null],
  // Deprecated runtimes (AWS's "Deprecated runtimes" table), newest first.
  ["provided.al2", "provided", "al2", "AL2", "2026-07-31", "2026-08-31", "2026-09-30"],
  ["nodejs20.x", "nodejs", "20", "AL2023", "2026-04-30", "2026-08-31", "2026-09-30"],
  ["ruby3.2", "ruby", "3.2", "AL2", "2026-03-31", "2026-08-31", "2026-09-30"],
  ["python3.9", "python", "3.9", "AL2", "2025-12-15", "2026-02-03", "2026-03-09"],
  ["nodejs18.x", "nodejs", "18", "AL2", "2025-09-01", "2026-02-03", "2026-03-09"],
  // dotnet6: AWS moved its deprecation from 2024-11-12 (still in cfn-lint's table) to
  // 2024-12-20. Its block dates were once copied here from python3.8's row; no source has
  // them: cfn-lint (commit 136b684) has 2025-02-28 / 2025-05-31, an older edition; every
  // later one we found gives dotnet6 the block dates of dotnet8 (endoflife.ai's .NET table:
  // 2027-02-01 / 2027-03-03, what our dotnet8 row has from AWS's .NET page; a copy of AWS's
  // table in a public repository, 2026: 2027-07-29 / 2027-08-31 for both). So dotnet6 takes
  // dotnet8's, and the two move together. AWS's current page could not be read here
  // (checked 2026-12-02): re-read both rows there.
  ["dotnet6", "dotnet", "6", "AL2", "2024-12-20", "2027-02-01", "2027-03-03"],
  ["python3.8", "python", "3.8", "AL2", "2024-10-14", "2025-10-01", "2025-11-01"],
  ["nodejs16.x", "nodejs", "16", "AL2", "2024-06-12", "2025-10-01", "2025-11-01"],
  ["java8", "java", "8", "AL1", "2024-01-08", "2024-02-08", "2025-11-01"],
  ["go1.x", "go", "1", "AL1", "2024-01-08", "2024-02-08", "2025-11-01"],
  ["provided", "provided", "al1", "AL1", "2024-01-08", "2024-02-08", "2025-11-01"],
  // ruby2.7, nodejs14.x and python3.7 have always shared their block-update date with java8,
  // go1.x and provided (the runtimes deprecated around 2024-01-08): 2025-02-28 in cfn-lint's
  // older table, 2025-11-01 as read for the rows above; a 2026 copy of AWS's table has
  // 2027-08-31 for the whole group (ruby2.7 not listed). Checked 2026-12-02 against what
  // could be found, not against AWS's current page: re-read the group there.
  ["ruby2.7", "ruby", "2.7", "AL2", "2023-12-07", "2024-01-09", "2025-11-01"],
  ["nodejs14.x", "nodejs", "14", "AL2", "2023-12-04", "2024-01-09", "2025-11-01"],
  ["python3.7", "python", "3.7", "AL1", "2023-12-04", "2024-01-09", "2025-11-01"],
  ["dotnetcore3.1", "dotnet", "3.1", "AL2", "2023-04-03", "2023-04-03", "2023-05-03"],
  ["nodejs12.x", "nodejs", "12", "AL2", "2023-03-31", "2023-03-31", "2023-04-30"],
  ["python3.6", "python", "3.6", "AL1", "2022-07-18", "2022-07-18", "2022-08-29"],
  ["dotnetcore2.1", "dotnet", "2.1", "AL1", "2022-01-05", "2022-01-05", "2022-04-13"],
  ["nodejs10.x", "nodejs", "10", "AL2", "2021-07-30", "2021-07-30", "2022-02-14"],
  ["ruby2.5", "ruby", "2.5", "AL1", "2021-07-30", "2021-07-30", "2022-03-31"],
  ["python2.7", "python", "2.7", "AL1", "2021-07-15", "2021-07-15", "2022-05-30"],
  ["nodejs8.10", "nodejs", "8.10", "AL1", "2020-03-06", "2020-03-06", "2020-03-06"],
  ["nodejs4.3", "nodejs", "4.3", "AL1", "2020-03-05", "2020-03-05", "2020-03-05"],
  ["nodejs4.3-edge", "nodejs", "4.3", "AL1", "2020-03-05", "2018-12-15", "2019-04-30"],
  ["nodejs6.10", "nodejs", "6.10", "AL1", "2019-08-12", "2019-08-12", "2019-08-12"],
  ["dotnetcore1.0", "dotnet", "1.0", "AL1", "2019-06-27", "2019-06-27", "2019-07-30"],
  ["dotnetcore2.0", "dotnet", "2.0", "AL1", "2019-05-30", "2019-05-30", "2019-05-30"],
  ["nodejs", "nodejs", "0.10", "AL1", "2016-08-30", "2016-09-30", "2016-10-31"],
];

/** Offered only as container base images (AWS lists them "container only"), never as zip runtimes. */
const CONTAINER_ONLY = new Set(["dotnet9", "dotnet7", "dotnet5.0"]);

/** Runtimes already deprecated are listed in the deprecated-runtimes table. */
function sourceFor(family: RuntimeFamily, deprecation: string): string {
  if (family === "go" || deprecation < RUNTIMES_READ_ON) return PAGES.deprecated;
  return PAGES[family];
}

function supportsSnapStart(family: RuntimeFamily, version: string): boolean {
  const number = Number.parseFloat(version);
  if (family === "java") return number >= 11;
  if (family === "python") return compareVersions(version, "3.12") >= 0;
  if (family === "dotnet") return number >= 8;
  return false;
}

/** Compare dotted versions numerically ("3.9" < "3.12"). */
function compareVersions(left: string, right: string): number {
  const a = left.split(".").map(Number);
  const b = right.split(".").map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export const RUNTIMES: readonly RuntimeFacts[] = ROWS.map(
  ([id, family, version, os, deprecation, blockCreate, blockUpdate]) => ({
    id,
    family,
    version,
    os,
    deprecation,
    blockCreate,
    blockUpdate,
    // SnapStart works on zip functions only, so a container-only runtime never has it.
    snapStart: !CONTAINER_ONLY.has(id) && supportsSnapStart(family, version),
    ...(CONTAINER_ONLY.has(id) ? { containerOnly: true } : {}),
    source: sourceFor(family, deprecation),
  }),
);

export function runtimeFacts(id: string): RuntimeFacts | undefined {
  return RUNTIMES.find((runtime) => runtime.id === id);
}

/** Whether a runtime is past its deprecation date on a given day (YYYY-MM-DD). */
export function isDeprecated(runtime: RuntimeFacts, today: string): boolean {
  return runtime.deprecation <= today;
}

/**
 * Runtimes whose cold start a waiting caller feels: Java and .NET start a
 * virtual machine, then load and JIT-compile the function's classes and its
 * framework before the handler runs, so their initialisation is commonly
 * measured in seconds where Node.js, Python, Ruby and compiled custom runtimes
 * (Go, Rust on provided.*) take tens to hundreds of milliseconds. The guide's
 * "fast-starting runtime (Python, Node.js) for latency-sensitive paths" is the
 * other side of this line.
 */
const SLOW_STARTING_FAMILIES: ReadonlySet<RuntimeFamily> = new Set(["java", "dotnet"]);

export function isSlowStarting(runtime: RuntimeFacts): boolean {
  return SLOW_STARTING_FAMILIES.has(runtime.family);
}
