/** `audit`'s options: the defaults every surface gets, and each check in both surfaces' names. */
import { describe, expect, it } from "vitest";
import { AuditOptionsSchema } from "../../src/audit/audit-options.js";
import { UsageError } from "../../src/errors.js";
import { fieldName, flagName, type OptionName, parseOptions } from "../../src/options.js";

function messageOf(input: unknown, nameOf: OptionName = fieldName): string {
  try {
    parseOptions(AuditOptionsSchema, input, nameOf);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe("audit options: defaults", () => {
  it("audits the current folder, templates and code, fixing nothing", () => {
    expect(parseOptions(AuditOptionsSchema, {})).toEqual({
      paths: ["."],
      code: true,
      managedInstances: false,
      snapStart: false,
      fix: false,
      dryRun: false,
    });
  });

  it("leaves the severities unset, for the project's config file to fill (planAudit)", () => {
    const options = parseOptions(AuditOptionsSchema, { paths: ["infra"] });
    expect(options.severityThreshold).toBeUndefined();
    expect(options.minSeverity).toBeUndefined();
  });
});

describe("audit options: each check, named as the caller names it", () => {
  it.each([
    [
      { severityThreshold: "fatal" },
      'severityThreshold "fatal" is not valid: expected error, warning, info, none',
      '--severity-threshold "fatal" is not valid: expected error, warning, info, none',
    ],
    [
      { minSeverity: "debug" },
      'minSeverity "debug" is not valid: expected error, warning, info',
      '--min-severity "debug" is not valid: expected error, warning, info',
    ],
    [
      { rules: ["memory-default", "arm64-candidat"] },
      'rules "arm64-candidat" is not valid: expected a rule id: the closest is arm64-candidate (all are in docs/rules/)',
      '--rules "arm64-candidat" is not valid: expected a rule id: the closest is arm64-candidate (all are in docs/rules/)',
    ],
    [
      { disable: ["zzzzzzzz"] },
      'disable "zzzzzzzz" is not valid: expected a rule id, such as arm64-candidate, memory-default, timeout-max (all are in docs/rules/)',
      '--disable "zzzzzzzz" is not valid: expected a rule id, such as arm64-candidate, memory-default, timeout-max (all are in docs/rules/)',
    ],
    [
      { stage: "staging" },
      'stage "staging" is not valid: expected development, production',
      '--stage "staging" is not valid: expected development, production',
    ],
    [{ dryRun: true }, "dryRun goes with fix", "--dry-run goes with --fix"],
    [
      { payload: "{}", payloadFile: "event.json" },
      "give payload or payloadFile, not both",
      "give --payload or --payload-file, not both",
    ],
    [
      { invocations: 5_000_000 },
      "invocations prices a logged event: give the event too, with payload or payloadFile",
      "--invocations prices a logged event: give the event too, with --payload or --payload-file",
    ],
    [
      { payload: "{}", invocations: 2.5 },
      "invocations 2.5 is not valid: expected a whole number of invocations a month, ≥ 0",
      "--invocations 2.5 is not valid: expected a whole number of invocations a month, ≥ 0",
    ],
  ])("%j", (input, library, cli) => {
    expect(messageOf(input)).toBe(library);
    expect(messageOf(input, flagName)).toBe(cli);
  });

  it("refuses an unknown option with the closest known one", () => {
    expect(messageOf({ snapstart: true })).toBe(
      "unknown option snapstart: the closest is snapStart",
    );
    expect(messageOf({ managedInstance: true })).toBe(
      "unknown option managedInstance: the closest is managedInstances",
    );
  });

  it("paths: at least one (the CLI's default, the current folder, comes from leaving them out)", () => {
    expect(messageOf({ paths: [] })).toBe(
      "paths [] is not valid: expected at least one file or folder",
    );
  });
});
