import { describe, expect, it } from "vitest";
import { snapstartUniqueness } from "../../../src/audit/code-rules/snapstart-uniqueness.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const rule = snapstartUniqueness;
const SNAPSTART = { SnapStart: { ApplyOn: "PublishedVersions" }, AutoPublishAlias: "live" };
const PY_SNAP = { runtime: "python3.12", handler: "app.handler", properties: SNAPSTART };

describe("snapstart-uniqueness: Python", () => {
  const files = {
    "app.py": `import uuid

INSTANCE_ID = str(uuid.uuid4())


def handler(event, context):
    return INSTANCE_ID
`,
  };

  it("reports a UUID computed at init with SnapStart as an error, at the call", async () => {
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "uuid.uuid4()")]);
    expect(findings[0]).toMatchObject({ ruleId: "snapstart-uniqueness", severity: "error" });
    expect(findings[0]!.message).toContain("a random UUID");
  });

  it("reports it as info on python3.12 without SnapStart (it could be turned on)", async () => {
    const findings = await runCodeRule(rule, {
      runtime: "python3.12",
      handler: "app.handler",
      files,
    });
    expect(findings.map(place)).toEqual([at(files, "app.py", "uuid.uuid4()")]);
    expect(findings[0]!.severity).toBe("info");
  });

  it("reports nothing on python3.11, which has no SnapStart", async () => {
    expect(
      await runCodeRule(rule, { runtime: "python3.11", handler: "app.handler", files }),
    ).toEqual([]);
  });

  it("does not report a UUID computed in the handler", async () => {
    const inHandler = {
      "app.py": `import uuid
import random
import time


def handler(event, context):
    return str(uuid.uuid4()), random.random(), time.time()
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files: inHandler })).toEqual([]);
  });

  it("reports an aliased import (`from uuid import uuid4 as make_id`)", async () => {
    const aliased = {
      "app.py": `from uuid import uuid4 as make_id

RUN = make_id()


def handler(event, context):
    return RUN
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files: aliased });
    expect(findings.map(place)).toEqual([at(aliased, "app.py", "make_id()")]);
  });

  it("reports random, time and datetime values at init, not random.seed", async () => {
    const many = {
      "app.py": `import random
import time
from datetime import datetime

random.seed(42)
JITTER = random.random()
STARTED = time.time()
BOOT = datetime.now()


def handler(event, context):
    return JITTER, STARTED, BOOT
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files: many });
    expect(findings.map(place)).toEqual([
      at(many, "app.py", "random.random()"),
      at(many, "app.py", "time.time()"),
      at(many, "app.py", "datetime.now()"),
    ]);
  });

  it("reports a value computed by a function only called at module scope (init path)", async () => {
    const viaFunction = {
      "app.py": `import uuid


def new_id():
    return uuid.uuid4().hex


ID = new_id()


def handler(event, context):
    return ID
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files: viaFunction });
    expect(findings.map(place)).toEqual([at(viaFunction, "app.py", "uuid.uuid4()")]);
  });

  it("reports a value computed at init of another local module (`from .ids import RUN_ID`)", async () => {
    const twoModules = {
      "app.py": `from .ids import RUN_ID


def handler(event, context):
    return RUN_ID
`,
      "ids.py": `import os

RUN_ID = os.urandom(8).hex()
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files: twoModules });
    expect(findings.map(place)).toEqual([at(twoModules, "ids.py", "os.urandom(8)")]);
  });

  it("does not report a value computed in a function registered with @register_after_restore", async () => {
    const restored = {
      "app.py": `import uuid
from snapshot_restore_py import register_after_restore

INSTANCE_ID = None


@register_after_restore
def refresh():
    global INSTANCE_ID
    INSTANCE_ID = str(uuid.uuid4())


def handler(event, context):
    return INSTANCE_ID
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files: restored })).toEqual([]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line snapstart-uniqueness`, not by another id", async () => {
    const suppressed = {
      "app.py": `import uuid

# lambda-optimizer-disable-next-line snapstart-uniqueness
A = uuid.uuid4()
# lambda-optimizer-disable-next-line snapstart-restore-hook
B = uuid.uuid1()


def handler(event, context):
    return A, B
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files: suppressed });
    expect(findings.map(place)).toEqual([at(suppressed, "app.py", "uuid.uuid1()")]);
  });

  it("reports info for a Python handler in a plain folder (the runtime is unknown)", async () => {
    const findings = await runCodeRuleOnFolder(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "uuid.uuid4()", "")]);
    expect(findings[0]!.severity).toBe("info");
  });
});

describe("snapstart-uniqueness: JavaScript and TypeScript (Node.js has no SnapStart)", () => {
  it("reports nothing for randomUUID at init on nodejs22.x (ESM)", async () => {
    const files = {
      "index.mjs": `import { randomUUID } from "node:crypto";
const INSTANCE = randomUUID();
export const handler = async () => INSTANCE;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports nothing for uuid v4 at init on nodejs22.x (CommonJS)", async () => {
    const files = {
      "index.js": `const { v4: uuid } = require("uuid");
const INSTANCE = uuid();
exports.handler = async () => INSTANCE;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports nothing for Date.now() at init on nodejs22.x (TypeScript)", async () => {
    const files = {
      "index.ts": `import { v4 as uuid } from "uuid";
const STARTED: number = Date.now();
const ID: string = uuid();
export const handler = async (): Promise<[number, string]> => [STARTED, ID];
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports nothing for a JavaScript plain folder without --snapstart", async () => {
    const files = {
      "index.mjs": `const STARTED = Date.now();
export const handler = async () => STARTED;
`,
    };
    expect(await runCodeRuleOnFolder(rule, { files })).toEqual([]);
  });

  it("says nothing even with --snapstart on a plain folder: Node.js has no SnapStart", async () => {
    const files = {
      "index.ts": `import { v4 as uuid } from "uuid";
const ID: string = uuid();
export const handler = async (): Promise<string> => ID;
`,
    };
    expect(await runCodeRuleOnFolder(rule, { files, snapStart: true })).toEqual([]);
  });

  it("reports an error with --snapstart on a plain Python folder, aliases resolved", async () => {
    const files = {
      "app.py": `from uuid import uuid4 as make_id

ID = make_id()


def handler(event, context):
    return ID
`,
    };
    const findings = await runCodeRuleOnFolder(rule, { files, snapStart: true });
    expect(findings.map(place)).toEqual([at(files, "app.py", "make_id()", "")]);
    expect(findings[0]!.severity).toBe("error");
  });
});

describe("snapstart-uniqueness: Python code that runs at init without looking like it", () => {
  it("reports a default argument (evaluated when the def runs) and a class attribute", async () => {
    const files = {
      "app.py": `import time
import uuid


class Config:
    ID = uuid.uuid4()


def handler(event, context, started=time.time()):
    return Config.ID, started
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", "uuid.uuid4()"),
      at(files, "app.py", "time.time()"),
    ]);
  });

  it("does not report a lambda defined at module scope but called in the handler", async () => {
    const files = {
      "app.py": `import uuid

make_id = lambda: uuid.uuid4()


def handler(event, context):
    return make_id()
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files })).toEqual([]);
  });

  it("reports `from random import randint`, secrets and datetime.now(timezone.utc)", async () => {
    const files = {
      "app.py": `from datetime import datetime, timezone
from random import randint
import secrets

A = randint(1, 6)
B = secrets.token_hex(8)
C = datetime.now(timezone.utc)


def handler(event, context):
    return A, B, C
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", "randint(1, 6)"),
      at(files, "app.py", "secrets.token_hex(8)"),
      at(files, "app.py", "datetime.now(timezone.utc)"),
    ]);
  });
});

describe("snapstart-uniqueness: SnapStart set on a runtime without it", () => {
  it("reports nothing on nodejs22.x or python3.11 even with SnapStart in the template (snapstart-incompatible says so)", async () => {
    const js = {
      "index.mjs": `import { randomUUID } from "node:crypto";
const INSTANCE = randomUUID();
export const handler = async () => INSTANCE;
`,
    };
    expect(await runCodeRule(rule, { files: js, properties: SNAPSTART })).toEqual([]);
    const py = {
      "app.py": `import uuid

INSTANCE_ID = uuid.uuid4()


def handler(event, context):
    return INSTANCE_ID
`,
    };
    expect(
      await runCodeRule(rule, {
        runtime: "python3.11",
        handler: "app.handler",
        files: py,
        properties: SNAPSTART,
      }),
    ).toEqual([]);
  });
});
