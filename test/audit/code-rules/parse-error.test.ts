import { describe, expect, it } from "vitest";
import { initInHandler } from "../../../src/audit/code-rules/init-in-handler.js";
import { parseError } from "../../../src/audit/code-rules/parse-error.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = parseError;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("parse-error: JavaScript (ESM)", () => {
  it("reports a syntax error at the parser's position", async () => {
    const files = {
      "index.mjs": `export const handler = async (event) => {
  const total = event.a + ;
  return total;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", ";\n  return")]);
    expect(findings[0]).toMatchObject({ ruleId: "parse-error", severity: "info" });
    expect(findings[0]!.message).toMatch(/^JavaScript\/TypeScript syntax error: /);
  });

  it("reports nothing for valid modern syntax (top-level await, private fields, optional chaining)", async () => {
    const files = {
      "index.mjs": `const config = await Promise.resolve({ a: { b: 1 } });
class Counter {
  #count = 0;
  static #instances = 0;
  bump() {
    return ++this.#count;
  }
}
export const handler = async (event) => config?.a?.b ?? event?.x ?? new Counter().bump();
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("goes on: other rules still report in the other files of the function", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
import { helper } from "./broken.mjs";
export const handler = async () => {
  const s3 = new S3Client({});
  return helper(s3);
};
`,
      "broken.mjs": `export function helper(x) {
  return x +;
}
`,
    };
    const findings = await runCodeRule([rule, initInHandler], { files });
    expect(findings.map((finding) => [finding.ruleId, place(finding)])).toEqual([
      ["parse-error", at(files, "broken.mjs", ";\n}")],
      ["init-in-handler", at(files, "index.mjs", "new S3Client")],
    ]);
  });

  it("is suppressed by a disable-next-line comment naming it, not by another id", async () => {
    const suppressed = {
      "index.mjs": `export const handler = async () => {
  // lambda-optimizer-disable-next-line parse-error
  return 1 +;
};
`,
    };
    expect(await runCodeRule(rule, { files: suppressed })).toEqual([]);
    const other = {
      "index.mjs": `export const handler = async () => {
  // lambda-optimizer-disable-next-line init-in-handler
  return 1 +;
};
`,
    };
    const findings = await runCodeRule(rule, { files: other });
    expect(findings.map(place)).toEqual([at(other, "index.mjs", ";\n};")]);
  });
});

describe("parse-error: JavaScript (CommonJS)", () => {
  it("reports an unclosed object literal (`exports.handler`)", async () => {
    const files = {
      "index.js": `exports.handler = async (event) => {
  return { ok: true
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    // oxc reports where it ran out of input: the end of the file.
    expect(findings.map(place)).toEqual([{ file: "fn/index.js", line: 4, column: 1 }]);
    expect(findings[0]!.message).toContain("Expected `}` but found `EOF`");
  });

  it("reports nothing for valid CommonJS (require, module.exports, a hashbang)", async () => {
    const files = {
      "index.js": `#!/usr/bin/env node
"use strict";
const path = require("node:path");
async function handler() {
  return path.join("a", "b");
}
module.exports = { handler };
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("parse-error: TypeScript", () => {
  it("reports a TypeScript syntax error in a module the handler imports (./lib/util.js -> util.ts)", async () => {
    const files = {
      "index.ts": `import { double } from "./lib/util.js";
export const handler = async (event: { n: number }): Promise<number> => double(event.n);
`,
      "lib/util.ts": `export function double(n: number): number {
  return n * 2
}}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map((finding) => finding.file)).toEqual(["fn/lib/util.ts"]);
    expect(findings.map(place)).toEqual([at(files, "lib/util.ts", "}\n")]);
  });

  it("reports nothing for valid TypeScript (generics, satisfies, enums, decorators, type-only imports)", async () => {
    const files = {
      "index.ts": `import type { Context } from "aws-lambda";
enum Kind {
  A = "a",
  B = "b",
}
function logged(_target: unknown, _context: ClassMethodDecoratorContext): void {}
class Service<T extends { id: string }> {
  @logged
  run(item: T): T {
    return item;
  }
}
const settings = { kind: Kind.A } satisfies { kind: Kind };
export const handler = async <E extends { id: string }>(event: E, _context: Context): Promise<E> =>
  new Service<E>().run(event as E) ?? (settings as unknown as E);
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("parse-error: Python", () => {
  it("reports a missing colon, with the Python label", async () => {
    const files = {
      "app.py": `def handler(event, context)
    return event
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    // tree-sitter's ERROR node starts at the statement it could not parse.
    expect(findings.map(place)).toEqual([at(files, "app.py", "def handler")]);
    expect(findings[0]!.message).toMatch(/^Python syntax error: /);
  });

  it("reports an unbalanced bracket at its position", async () => {
    const files = {
      "app.py": `import json


def handler(event, context):
    items = [1, 2, 3
    return json.dumps(items)
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "items = [")]);
  });

  it("reports nothing for valid modern Python (match, walrus, type parameters, f-strings, async)", async () => {
    const files = {
      "app.py": `from __future__ import annotations

import asyncio


def first[T](items: list[T]) -> T | None:
    return items[0] if items else None


async def fetch(n: int) -> int:
    await asyncio.sleep(0)
    return n


def handler(event: dict, context) -> str:
    match event:
        case {"kind": "a", **rest}:
            kind = f"a:{rest!r:>10}"
        case [x, *_]:
            kind = f"{x=}"
        case _:
            kind = "other"
    if (n := len(kind)) > 3:
        kind += str(asyncio.run(fetch(n)))
    return f"{kind} {first([1, 2])}"
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("goes on: other rules still report in the other files (`from .broken import helper`)", async () => {
    const files = {
      "app.py": `import boto3
from .broken import helper


def handler(event, context):
    s3 = boto3.client("s3")
    return helper(s3)
`,
      "broken.py": `def helper(x)
    return x
`,
    };
    const findings = await runCodeRule([rule, initInHandler], { ...PY, files });
    expect(findings.map((finding) => [finding.ruleId, place(finding)])).toEqual([
      ["init-in-handler", at(files, "app.py", 'boto3.client("s3")')],
      ["parse-error", at(files, "broken.py", "def helper")],
    ]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line parse-error`, not by another id", async () => {
    const suppressed = {
      "app.py": `# lambda-optimizer-disable-next-line parse-error
def handler(event, context)
    return event
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: suppressed })).toEqual([]);
    const other = {
      "app.py": `# lambda-optimizer-disable-next-line init-in-handler
def handler(event, context)
    return event
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files: other });
    expect(findings.map(place)).toEqual([at(other, "app.py", "def handler")]);
  });
});
