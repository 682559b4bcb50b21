/**
 * A Python deployment folder's requirements.txt: the distributions `sam build`
 * (and `pip install -r`) installs into the package. Only the names and their
 * version specifiers are read; options (`-r other.txt`, `--index-url`),
 * comments and blank lines are skipped, as is anything that is not a name
 * (a URL, a local path).
 */

/** One requirement line. */
export interface Requirement {
  /** The name as written: "Pillow", "aws-lambda-powertools[tracer]" without the extras. */
  readonly name: string;
  /** PEP 503's normalized form, by which two files name the same distribution: "pillow", "aws-lambda-powertools". */
  readonly normalized: string;
  /** The version specifier as written ("==10.4.0", ">=2,<3"); empty when there is none. */
  readonly specifier: string;
  /** 1-based line. */
  readonly line: number;
}

export interface RequirementsFacts {
  /** Absolute path. */
  readonly file: string;
  readonly requirements: readonly Requirement[];
}

/** PEP 508's name, then optional extras, then the specifier up to an environment marker or comment. */
const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*([^;#]*)/;

export function parseRequirements(file: string, text: string): RequirementsFacts {
  const requirements: Requirement[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("-")) return;
    const match = REQUIREMENT.exec(line);
    if (!match?.[1] || /^[a-z+]+:\/\//i.test(line)) return;
    const specifier = (match[2] ?? "").trim();
    if (specifier.startsWith("@")) return; // `name @ https://…`: a direct reference, not a release
    requirements.push({
      name: match[1],
      normalized: normalizeDistributionName(match[1]),
      specifier: specifier.replace(/\s+/g, ""),
      line: index + 1,
    });
  });
  return { file, requirements };
}

/** PEP 503: case-insensitive, runs of `-`, `_` and `.` are one `-`. */
export function normalizeDistributionName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
