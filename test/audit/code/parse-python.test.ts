/** Python source to the facts code rules match: each fact, its near misses, and robustness. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CallSite, CodeModule } from "../../../src/audit/code/code-model.js";
import { initPythonParser, parsePython } from "../../../src/audit/code/parse-python.js";
import { FIELDLESS_KINDS, LEAF_KINDS } from "../../../src/audit/code/python-syntax-tree.js";

beforeAll(initPythonParser);

/** Source written indented inside the test, with the indentation of its first line removed. */
function py(source: string): string {
  const lines = source.replace(/^\n/, "").split("\n");
  const indent = /^ */.exec(lines[0] ?? "")![0].length;
  return lines.map((line) => line.slice(indent)).join("\n");
}

function parse(source: string): CodeModule {
  return parsePython("app.py", py(source));
}

function call(module: CodeModule, callee: string, nth = 0): CallSite {
  const found = module.calls.filter((site) => site.callee === callee)[nth];
  if (!found)
    throw new Error(`no call ${callee} (#${nth}) in ${module.calls.map((c) => c.callee)}`);
  return found;
}

function fn(module: CodeModule, name: string): number {
  const index = module.functions.findIndex((f) => f.name === name);
  if (index < 0) throw new Error(`no function ${name}`);
  return index;
}

describe("parsePython: setup", () => {
  it("initPythonParser is idempotent and parsePython says when it was not awaited", async () => {
    await initPythonParser();
    await initPythonParser();
    vi.resetModules();
    const fresh = await import("../../../src/audit/code/parse-python.js");
    expect(() => fresh.parsePython("a.py", "x = 1")).toThrow(/initPythonParser/);
    await fresh.initPythonParser();
    expect(fresh.parsePython("a.py", "x = 1").moduleNames).toEqual(new Set(["x"]));
  });

  it("names the file and the language", () => {
    const module = parsePython("src/app.py", "x = 1\n");
    expect(module.file).toBe("src/app.py");
    expect(module.language).toBe("python");
    expect(module.parseError).toBeUndefined();
  });
});

describe("parsePython: imports", () => {
  it("records each import form with its bindings and position", () => {
    const module = parse(`
      import boto3
      import boto3 as b
      import os.path, json
      from uuid import uuid4, uuid1 as u
      from . import db
      from .db import get
      from ..lib.db import (put,
          delete as remove)
      from lib.db import get as fetch
      from x import *
    `);
    expect(
      module.imports.map((entry) => [entry.specifier, Object.fromEntries(entry.names)]),
    ).toEqual([
      ["boto3", { boto3: "*" }],
      ["boto3", { b: "*" }],
      ["os.path", { os: "*" }],
      ["json", { json: "*" }],
      ["uuid", { uuid4: "uuid4", u: "uuid1" }],
      [".", { db: "db" }],
      [".db", { get: "get" }],
      ["..lib.db", { put: "put", remove: "delete" }],
      ["lib.db", { fetch: "get" }],
      ["x", { "*": "*" }],
    ]);
    expect(module.imports[0]!.position).toEqual({ line: 1, column: 1 });
    expect(module.imports[4]!.position).toEqual({ line: 4, column: 1 });
  });

  it("records imports inside functions too, at their position", () => {
    const module = parse(`
      def handler(event, context):
          import boto3
          return boto3
    `);
    expect(module.imports).toEqual([
      { specifier: "boto3", names: new Map([["boto3", "*"]]), position: { line: 2, column: 5 } },
    ]);
    expect(module.moduleNames.has("boto3")).toBe(false);
  });
});

describe("parsePython: moduleNames", () => {
  it("holds imports, defs, classes and every kind of top-level assignment target", () => {
    const module = parse(`
      import os.path
      from uuid import uuid4 as make_id
      a, (b, c) = 1, (2, 3)
      [d, *rest] = [4, 5]
      typed: int = 1
      bare: int
      first = second = 0
      def handler(event, context):
          global counter
          local = 1
      class Repo:
          attribute = 1
      if os.path.exists("x"):
          under_if = 1
      try:
          under_try = 1
      except ImportError as error:
          pass
      with open("x") as handle:
          pass
      for item in []:
          pass
      squares = [n * n for n in range(3)]
      if (walrus := 1):
          pass
    `);
    expect([...module.moduleNames].sort()).toEqual(
      [
        "os",
        "make_id",
        "a",
        "b",
        "c",
        "d",
        "rest",
        "typed",
        "first",
        "second",
        "handler",
        "counter",
        "Repo",
        "under_if",
        "under_try",
        "error",
        "handle",
        "item",
        "squares",
        "walrus",
      ].sort(),
    );
  });
});

describe("parsePython: functions", () => {
  it("lists defs, methods, nested defs and lambdas with their parents and positions", () => {
    const module = parse(`
      def handler(event, context):
          def inner():
              return lambda x: x
          return inner
      class Repo:
          def save(self):
              pass
          class Inner:
              async def load(self):
                  pass
      callback = lambda event, context: None
      run(lambda: 1)
    `);
    expect(
      module.functions.map(({ name, parent, position }) => ({ name, parent, position })),
    ).toEqual([
      { name: "handler", parent: undefined, position: { line: 1, column: 1 } },
      { name: "inner", parent: 0, position: { line: 2, column: 5 } },
      { name: undefined, parent: 1, position: { line: 3, column: 16 } },
      { name: "Repo.save", parent: undefined, position: { line: 6, column: 5 } },
      { name: "Repo.Inner.load", parent: undefined, position: { line: 9, column: 9 } },
      { name: "callback", parent: undefined, position: { line: 11, column: 12 } },
      { name: undefined, parent: undefined, position: { line: 12, column: 5 } },
    ]);
  });

  it("qualifies decorators as call sites are", () => {
    const module = parse(`
      import functools
      from functools import lru_cache
      from hooks import register_after_restore as on_restore
      @functools.lru_cache(maxsize=1)
      def a(): pass
      @lru_cache
      def b(): pass
      @on_restore
      @app.route("/")
      def c(): pass
    `);
    expect(module.functions.map((f) => f.decorators)).toEqual([
      ["functools.lru_cache"],
      ["functools.lru_cache"],
      ["hooks.register_after_restore", "app.route"],
    ]);
  });

  it("references what its own body calls or passes by name, not what nested functions do", () => {
    const module = parse(`
      import db
      def handler(event, context):
          records = map(process_record, event["records"])
          user = db.get_user(event.user_id, key=settings.KEY)
          helper()
          helper()
          boto3.resource("dynamodb").Table("t")
          def nested():
              only_in_nested()
          return [transform(r) for r in records]
    `);
    expect(module.functions[fn(module, "handler")]!.references).toEqual([
      "map",
      "process_record",
      "db.get_user",
      "event.user_id",
      "settings.KEY",
      "helper",
      "boto3.resource",
      "transform",
      "r",
    ]);
    expect(module.functions[fn(module, "nested")]!.references).toEqual(["only_in_nested"]);
  });

  it("references at module scope go to moduleReferences", () => {
    const module = parse(`
      import logging
      logger = logging.getLogger(__name__)
      def handler(event, context):
          helper()
      app = wrap(handler)
    `);
    expect(module.moduleReferences).toEqual(["logging.getLogger", "__name__", "wrap", "handler"]);
  });
});

describe("parsePython: calls", () => {
  it("gives callee, name and qualifiedName through every import style", () => {
    const module = parse(`
      import boto3 as b
      import os.path
      import a.b.c as abc
      from uuid import uuid4
      from aws_lambda_powertools.utilities.parameters import get_parameter
      from .db import get
      from . import db
      b.client("s3")
      uuid4()
      get_parameter("/p")
      get(1)
      db.get(1)
      os.path.join("a")
      abc.run()
      print("x")
      self.table.scan()
    `);
    const named = module.calls.map(({ callee, name, qualifiedName }) => [
      callee,
      name,
      qualifiedName,
    ]);
    expect(named).toEqual([
      ["b.client", "client", "boto3.client"],
      ["uuid4", "uuid4", "uuid.uuid4"],
      [
        "get_parameter",
        "get_parameter",
        "aws_lambda_powertools.utilities.parameters.get_parameter",
      ],
      ["get", "get", ".db.get"],
      ["db.get", "get", ".db.get"],
      ["os.path.join", "join", "os.path.join"],
      ["abc.run", "run", "a.b.c.run"],
      ["print", "print", "print"],
      ["self.table.scan", "scan", "self.table.scan"],
    ]);
    expect(module.calls.every((site) => site.kind === "call")).toBe(true);
    expect(call(module, "b.client").position).toEqual({ line: 8, column: 1 });
  });

  it("writes call chains and other callees with () and [] for what is not a name", () => {
    const module = parse(`
      import boto3
      boto3.resource("dynamodb").Table("orders").scan()
      clients["s3"].get_object()
      ", ".join(parts)
      make()()
    `);
    expect(module.calls.map((site) => [site.callee, site.qualifiedName, site.name])).toEqual([
      ["boto3.resource().Table().scan", "boto3.resource().Table().scan", "scan"],
      ["boto3.resource().Table", "boto3.resource().Table", "Table"],
      ["boto3.resource", "boto3.resource", "resource"],
      ["clients[].get_object", "clients[].get_object", "get_object"],
      ["().join", "().join", "join"],
      ["make()", "make()", "make()"],
      ["make", "make", "make"],
    ]);
  });

  it("a local name shadowing an import is not qualified", () => {
    const module = parse(`
      import boto3
      def handler(boto3):
          boto3.client("s3")
      def other():
          boto3.client("s3")
    `);
    expect(module.calls.map((site) => site.qualifiedName)).toEqual([
      "boto3.client",
      "boto3.client",
    ]);
    const shadowed = parse(`
      from uuid import uuid4
      def handler(event, context):
          uuid4 = event["make"]
          uuid4()
    `);
    expect(call(shadowed, "uuid4").qualifiedName).toBe("uuid4");
  });

  it("reads argument counts, the first string argument and keyword names", () => {
    const module = parse(`
      boto3.client("s3", region_name="eu-west-1", config=cfg)
      f(f"/p/{x}")
      g("a" "b", 2)
      h(r"\\d", "\\n\\x41")
      i(b"bytes")
      j(*args, key=1)
      k(**kwargs)
      l(x for x in y)
      m(first, "second")
    `);
    const facts = (callee: string) => {
      const { argumentCount, firstStringArgument, argumentKeys } = call(module, callee);
      return { argumentCount, firstStringArgument, argumentKeys };
    };
    expect(facts("boto3.client")).toEqual({
      argumentCount: 3,
      firstStringArgument: "s3",
      argumentKeys: ["region_name", "config"],
    });
    expect(facts("f")).toEqual({
      argumentCount: 1,
      firstStringArgument: undefined,
      argumentKeys: [],
    });
    expect(facts("g").firstStringArgument).toBe("ab");
    expect(facts("h").firstStringArgument).toBe("\\d");
    expect(call(module, "h").argumentCount).toBe(2);
    expect(facts("i").firstStringArgument).toBeUndefined();
    expect(facts("j")).toEqual({
      argumentCount: 2,
      firstStringArgument: undefined,
      argumentKeys: undefined,
    });
    expect(facts("k").argumentKeys).toBeUndefined();
    expect(facts("l").argumentCount).toBe(1);
    expect(facts("m").firstStringArgument).toBeUndefined();
  });

  it("decodes escapes in the first string argument", () => {
    const module = parsePython("a.py", 'f("a\\n\\x41\\u00e9")\n');
    expect(module.calls[0]!.firstStringArgument).toBe("a\nAé");
  });

  it("lists calls passed directly as arguments as constructedArguments", () => {
    const module = parse(`
      from models import Foo
      client.send(Foo(), flag=Bar())
      client.send(foo)
    `);
    expect(call(module, "client.send").constructedArguments).toEqual(["models.Foo", "Bar"]);
    // Python has no `new`: a class called is a call like any other.
    expect(call(module, "Foo").kind).toBe("call");
    expect(call(module, "client.send", 1).constructedArguments).toEqual([]);
  });

  it("places each call in its innermost function", () => {
    const module = parse(`
      setup()
      def handler(event, context):
          work()
          return lambda: later()
    `);
    expect(call(module, "setup").scope).toBeUndefined();
    expect(call(module, "work").scope).toBe(0);
    expect(call(module, "later").scope).toBe(1);
  });
});

describe("parsePython: cached calls", () => {
  it("a call stored in module state with no guard runs on every call: not cached", () => {
    const module = parse(`
      import boto3
      _client = None
      CACHE = {}
      config = Config()
      def handler(event, context):
          global _client
          _client = boto3.client("s3")
          CACHE["param"] = ssm.get_parameter(Name="p")["Parameter"]["Value"]
          config.value = json.loads(read())
    `);
    for (const callee of ["boto3.client", "ssm.get_parameter", "json.loads", "read"]) {
      expect(call(module, callee).cached, callee).toBe(false);
    }
  });

  it("a call stored in module state under a test that it is unset is cached", () => {
    const module = parse(`
      import boto3
      _client = None
      CACHE = {}
      def handler(event, context):
          global _client
          if _client is None:
              _client = boto3.client("s3")
          if "param" not in CACHE:
              CACHE["param"] = ssm.get_parameter(Name="p")["Parameter"]["Value"]
      async def other():
          global _client
          _client = _client or await make_client()
    `);
    for (const callee of ["boto3.client", "ssm.get_parameter", "make_client"]) {
      expect(call(module, callee).cached, callee).toBe(true);
    }
  });

  it("a call assigned to a local, or to a module name without `global`, is not cached", () => {
    const module = parse(`
      import boto3
      _client = None
      def handler(event, context):
          client = boto3.client("s3")
          _client = boto3.client("sqs")
          return client.list_buckets()
    `);
    expect(call(module, "boto3.client").cached).toBe(false);
    expect(call(module, "boto3.client", 1).cached).toBe(false);
    expect(call(module, "client.list_buckets").cached).toBe(false);
    expect(module.stateWrites).toEqual([]);
  });

  it("a call under a test of a module name the function writes is cached", () => {
    const module = parse(`
      CACHE = {}
      _client = None
      def get(key):
          if key not in CACHE:
              value = ssm.get_parameter(Name=key)
              CACHE[key] = value
          return CACHE[key]
      def client():
          global _client
          if _client is None:
              session = boto3.session.Session()
              _client = session.client("s3")
          return _client
      def early(key):
          if key in CACHE:
              return CACHE[key]
          fetched = fetch(key)
          CACHE[key] = fetched
          return fetched
    `);
    expect(call(module, "ssm.get_parameter").cached).toBe(true);
    expect(call(module, "boto3.session.Session").cached).toBe(true);
    expect(call(module, "fetch").cached).toBe(true);
  });

  it("a test of a module name the function does not write caches nothing", () => {
    const module = parse(`
      ENABLED = True
      def handler(event, context):
          if ENABLED:
              client = boto3.client("s3")
          return client
    `);
    expect(call(module, "boto3.client").cached).toBe(false);
  });

  it("every call in a function memoized by a decorator is cached, also in nested functions", () => {
    const module = parse(`
      import functools
      from functools import lru_cache, cache
      from cachetools import cached, TTLCache
      from cachetools.func import ttl_cache
      @functools.lru_cache(maxsize=1)
      def a(): return one()
      @lru_cache
      def b(): return two()
      @cache
      def c(): return three()
      @cached(cache=TTLCache(maxsize=1, ttl=60))
      def d(): return four(lambda: five())
      @ttl_cache(ttl=60)
      def e(): return six()
      @other
      def f(): return seven()
    `);
    for (const callee of ["one", "two", "three", "four", "five", "six"]) {
      expect(call(module, callee).cached, callee).toBe(true);
    }
    expect(call(module, "seven").cached).toBe(false);
  });

  it("a cached call is no reference: it does not run per call", () => {
    const module = parse(`
      _client = None
      def handler(event, context):
          global _client
          if _client is None:
              _client = make_client()
          return _client.get(event)
    `);
    expect(module.functions[0]!.references).toEqual(["_client.get", "event"]);
  });
});

describe("parsePython: state writes", () => {
  it("records assignments, updates and mutations of module-level names", () => {
    const module = parse(`
      counter = 0
      items = []
      cache = {}
      state = State()
      def handler(event, context):
          global counter
          counter = 1
          counter += 1
          items.append(event)
          items.extend([1])
          cache.update(a=1)
          cache.setdefault("k", [])
          cache["k"] = 2
          cache["n"] += 1
          state.last = event
          del cache["k"]
          cache["a"]["b"].add(1)
    `);
    expect(module.stateWrites.map(({ name, how, position }) => [name, how, position.line])).toEqual(
      [
        ["counter", "assign", 7],
        ["counter", "update", 8],
        ["items", "mutate", 9],
        ["items", "mutate", 10],
        ["cache", "mutate", 11],
        ["cache", "mutate", 12],
        ["cache", "mutate", 13],
        ["cache", "mutate", 14],
        ["state", "mutate", 15],
        ["cache", "mutate", 16],
        ["cache", "mutate", 17],
      ],
    );
    expect(module.stateWrites[0]).toEqual({
      name: "counter",
      how: "assign",
      lazyInit: false,
      position: { line: 7, column: 5 },
      scope: 0,
    });
  });

  it("names shadowed by a parameter or a local assignment are not module state", () => {
    const module = parse(`
      items = []
      cache = {}
      counter = 0
      def handler(event, items):
          items.append(event)
          cache = {}
          cache["k"] = 1
          counter = 5
          for row in rows:
              row.append(1)
      def outer():
          items = []
          def inner():
              items.append(1)
    `);
    expect(module.stateWrites).toEqual([]);
  });

  it("writes at module scope and in class bodies are not state writes", () => {
    const module = parse(`
      items = []
      items.append(1)
      CACHE = {}
      CACHE["k"] = 1
      class Config:
          values = {}
          values["k"] = 1
    `);
    expect(module.stateWrites).toEqual([]);
  });

  it("marks lazy initialization under a direct test that the name is unset", () => {
    const module = parse(`
      _client = None
      _table = None
      _session = None
      _other = None
      CACHE = {}
      def a():
          global _client
          if _client is None:
              _client = make()
      def b():
          global _table
          if not _table:
              _table = make()
      def c():
          global _session
          if _session is None or expired():
              _session = make()
      def d(key):
          if key not in CACHE:
              CACHE[key] = make()
      def e():
          global _other
          if _client is None:
              _other = make()
      def f():
          global _other
          if _other is None:
              pass
          else:
              _other = make()
      def g():
          global _other
          _other = make()
    `);
    expect(module.stateWrites.map(({ name, lazyInit }) => [name, lazyInit])).toEqual([
      ["_client", true],
      ["_table", true],
      ["_session", true],
      ["CACHE", true],
      ["_other", false],
      ["_other", false],
      ["_other", false],
    ]);
  });
});

describe("parsePython: environment reads", () => {
  it("reads os.environ and os.getenv in every spelling", () => {
    const module = parse(`
      import os
      from os import environ, getenv
      TABLE = os.environ["TABLE"]
      def handler(event, context):
          a = os.environ.get("A", "default")
          b = os.getenv("B")
          c = environ.get("C")
          d = getenv("D")
          e = environ["E"]
          f = os.environ[event["name"]]
          os.environ["WRITTEN"] = "x"
          g = settings.get("NOT_ENV")
    `);
    expect(module.envReads.map(({ variable, scope }) => [variable, scope])).toEqual([
      ["TABLE", undefined],
      ["A", 0],
      ["B", 0],
      ["C", 0],
      ["D", 0],
      ["E", 0],
      [undefined, 0],
    ]);
    expect(module.envReads[0]!.position).toEqual({ line: 3, column: 9 });
  });

  it("tells reads the code needs set from defaults and tests", () => {
    const module = parse(`
      import os
      from os import environ
      A = os.environ["A"]
      B = os.environ.get("B")
      C = os.getenv("C", "d")
      D = os.environ.get("D", default="x")
      E = os.environ.get("E") or "d"
      if os.environ.get("F"):
          pass
      G = not os.getenv("G")
      H = os.getenv("H") == "1"
      I = "I" in os.environ
      J = "J" not in environ
      K = 1 if os.getenv("K") else 2
      L = os.getenv("L") if x else 2
      assert os.environ.get("M")
      N = (os.environ.get("N"))
      os.environ.setdefault("O", "v")
      os.environ["P"] = "x"
      Q = os.environ["Q"] == "x"
      R = os.environ.get("R").split(",")
    `);
    expect(module.envReads.map(({ variable, required }) => [variable, required])).toEqual([
      ["A", true],
      ["B", true],
      ["C", false],
      ["D", false],
      ["E", false],
      ["F", false],
      ["G", false],
      ["H", false],
      ["I", false],
      ["J", false],
      ["K", false],
      ["L", true],
      ["M", false],
      ["N", true],
      ["O", false],
      // os.environ["Q"] raises KeyError when unset, compared or not.
      ["Q", true],
      ["R", true],
    ]);
  });
});

describe("parsePython: /tmp writes", () => {
  it("records fixed /tmp paths opened for writing", () => {
    const module = parse(`
      from pathlib import Path
      def handler(event, context):
          with open("/tmp/state.json", "w") as f:
              pass
          open("/tmp/log.txt", mode="a")
          open("/tmp/data.bin", "r+b")
          Path("/tmp/out.txt").write_text("x")
          Path("/tmp/raw").write_bytes(b"x")
          open("/tmp/read.json")
          open("/tmp/read2.json", "r")
          open("/var/task/x", "w")
          open(f"/tmp/{event['id']}.json", "w")
          open("/tmp", "w")
    `);
    expect(module.tmpWrites.map(({ path, position }) => [path, position.line])).toEqual([
      ["/tmp/state.json", 3],
      ["/tmp/log.txt", 5],
      ["/tmp/data.bin", 6],
      ["/tmp/out.txt", 7],
      ["/tmp/raw", 8],
    ]);
    expect(module.tmpWrites[0]).toEqual({
      path: "/tmp/state.json",
      position: { line: 3, column: 10 },
      scope: 0,
    });
  });
});

describe("parsePython: exports", () => {
  it("exports top-level defs and follows assignments to the function they wrap or name", () => {
    const module = parse(`
      from aws_lambda_powertools import Logger
      import middleware
      logger = Logger()
      def handler(event, context):
          pass
      @logger.inject_lambda_context
      def decorated(event, context):
          pass
      wrapped = middleware.wrap(handler)
      double = outer(config(), inner(handler))
      curried = logger.inject_lambda_context(log_event=True)(handler)
      alias = handler
      inline = lambda event, context: None
      wrapped_lambda = wrap(lambda event, context: None)
      TABLE = "orders"
      class Api:
          def method(self):
              pass
    `);
    const handler = fn(module, "handler");
    expect(Object.fromEntries(module.exports)).toEqual({
      logger: { functionIndex: undefined, wrappers: [], position: { line: 3, column: 1 } },
      handler: { functionIndex: handler, wrappers: [], position: { line: 4, column: 1 } },
      decorated: {
        functionIndex: fn(module, "decorated"),
        wrappers: [],
        position: { line: 7, column: 1 },
      },
      wrapped: {
        functionIndex: handler,
        wrappers: ["middleware.wrap"],
        position: { line: 4, column: 1 },
      },
      double: {
        functionIndex: handler,
        wrappers: ["outer", "inner"],
        position: { line: 4, column: 1 },
      },
      curried: {
        functionIndex: handler,
        wrappers: ["logger.inject_lambda_context"], // logger is a module variable, no import
        position: { line: 4, column: 1 },
      },
      alias: { functionIndex: handler, wrappers: [], position: { line: 4, column: 1 } },
      inline: {
        functionIndex: fn(module, "inline"),
        wrappers: [],
        position: { line: 13, column: 10 },
      },
      wrapped_lambda: {
        functionIndex: module.functions.length - 2,
        wrappers: ["wrap"],
        position: { line: 14, column: 23 },
      },
      TABLE: { functionIndex: undefined, wrappers: [], position: { line: 15, column: 1 } },
    });
  });

  it("a later binding replaces an earlier one, and a value sees only what is bound before it", () => {
    const module = parse(`
      def handler(event, context):
          pass
      handler = wrap(handler)
    `);
    expect(module.exports.get("handler")).toEqual({
      functionIndex: 0,
      wrappers: ["wrap"],
      position: { line: 1, column: 1 },
    });
  });
});

describe("parsePython: robustness", () => {
  it("reads 100,000 nested parentheses, brackets and a 100,000-term sum without crashing", () => {
    const depth = 100_000;
    for (const body of [
      `${"(".repeat(depth)}1${")".repeat(depth)}`,
      `${"[".repeat(depth)}${"]".repeat(depth)}`,
      `1${"+1".repeat(depth)}`,
    ]) {
      const module = parsePython("deep.py", `def handler(event, context):\n    return ${body}\n`);
      expect(module.functions.map((fn) => fn.name)).toEqual(["handler"]);
      expect(module.exports.has("handler")).toBe(true);
    }
  });
  it("reports a syntax error at the first error node and still reads the rest", () => {
    const module = parse(`
      import boto3
      def handler(event, context):
          client = boto3.client("s3"
          return client
      def other():
          boto3.resource("dynamodb")
    `);
    expect(module.parseError).toEqual({
      message: "syntax error",
      position: { line: 3, column: 5 },
    });
    expect(module.imports.map((entry) => entry.specifier)).toEqual(["boto3"]);
    expect(module.functions.map((f) => f.name)).toEqual(["handler", "other"]);
    expect(call(module, "boto3.resource").scope).toBe(1);
  });

  it("reports a token tree-sitter had to invent where it is missing", () => {
    const module = parsePython("a.py", "def f(:\n    pass\n");
    expect(module.parseError).toEqual({
      message: "syntax error",
      position: { line: 1, column: 7 },
    });
    expect(module.functions.map((f) => f.name)).toEqual(["f"]);
  });

  it("an empty file has no facts", () => {
    const module = parsePython("empty.py", "");
    expect(module).toEqual({
      file: "empty.py",
      language: "python",
      imports: [],
      moduleNames: new Set(),
      functions: [],
      moduleReferences: [],
      calls: [],
      stateWrites: [],
      envReads: [],
      tmpWrites: [],
      literalKeys: new Set(),
      exports: new Map(),
    });
  });

  it("parses a 1 MB file", () => {
    const chunks = ["import boto3\nCACHE = {}\n"];
    let size = chunks[0]!.length;
    for (let i = 0; size < 1_000_000; i++) {
      const chunk = py(`
        def handler_${i}(event, context):
            if "k" not in CACHE:
                CACHE["k"] = boto3.client("s3").get_object(Bucket="b", Key=event["k"])
            return [process(x) for x in event.get("records", [])]
      `);
      chunks.push(chunk);
      size += chunk.length;
    }
    const module = parsePython("big.py", chunks.join("\n"));
    expect(module.parseError).toBeUndefined();
    expect(module.functions.length).toBe(chunks.length - 1);
    expect(module.stateWrites.length).toBe(chunks.length - 1);
  });

  it("survives deeply nested expressions", () => {
    const module = parsePython("deep.py", `x = ${Array(20_000).fill("f(a)").join(" + ")}\n`);
    expect(module.calls.length).toBe(20_000);
  });
});

describe("parsePython: reading the tree", () => {
  it("places facts in UTF-16 columns across CRLF, line continuations and comments inside expressions", () => {
    const module = parsePython(
      "a.py",
      "s = 'é😀'; t = os.environ['A']\r\ndef f(a, \\\n      b):  # c\r\n    return os.getenv('B' 'C'), g( # c\n        a)\n",
    );
    expect(module.envReads).toEqual([
      { variable: "A", required: true, position: { line: 1, column: 16 }, scope: undefined },
      { variable: "BC", required: true, position: { line: 4, column: 12 }, scope: 0 },
    ]);
    expect(call(module, "g")).toMatchObject({
      position: { line: 4, column: 32 },
      argumentCount: 1,
    });
    expect(module.functions).toEqual([
      {
        name: "f",
        position: { line: 2, column: 1 },
        parent: undefined,
        decorators: [],
        references: ["os.getenv", "g", "a"],
      },
    ]);
  });

  it("skips no field and no child it reads: FIELDLESS_KINDS have no fields, LEAF_KINDS no children", () => {
    const require = createRequire(import.meta.url);
    const nodeTypes: { type: string; named: boolean; fields?: object; children?: object }[] =
      JSON.parse(readFileSync(require.resolve("tree-sitter-python/src/node-types.json"), "utf8"));
    const named = new Map(nodeTypes.filter((t) => t.named).map((t) => [t.type, t]));
    for (const kind of FIELDLESS_KINDS) {
      expect(named.has(kind), kind).toBe(true);
      expect(Object.keys(named.get(kind)?.fields ?? {}), kind).toEqual([]);
    }
    for (const kind of LEAF_KINDS) {
      expect(named.has(kind), kind).toBe(true);
      expect(named.get(kind)?.children, kind).toBeUndefined();
      expect(Object.keys(named.get(kind)?.fields ?? {}), kind).toEqual([]);
    }
  });
});

describe("parsePython: value origins", () => {
  it("ties a method call to the call whose result it is called on, through subscripts and names assigned once", () => {
    const module = parse(`
      import boto3
      s3 = boto3.client("s3")

      def handler(event, context):
          direct = s3.get_object(Bucket="b", Key="k")["Body"].read()
          response = s3.get_object(Bucket="b", Key="k")
          body = response["Body"]
          text = body.read()
          key = event["key"]
          other = response[key].read()
          again = 1
          again = s3.get_object(Bucket="b", Key="k")
          again["Body"].read()
    `);
    const getObject = (nth: number) => module.calls.indexOf(call(module, "s3.get_object", nth));
    expect(call(module, "s3.get_object()[].read").receiver).toEqual({
      call: getObject(0),
      path: ["Body"],
    });
    expect(call(module, "body.read").receiver).toEqual({ call: getObject(1), path: ["Body"] });
    expect(call(module, "response[].read").receiver).toEqual({ call: getObject(1), path: ["[]"] });
    // A module-level name: s3 is boto3.client("s3").
    expect(call(module, "s3.get_object").receiver).toEqual({
      call: module.calls.indexOf(call(module, "boto3.client")),
      path: [],
    });
    // Assigned twice: which value it holds is not known.
    expect(call(module, "again[].read").receiver).toBeUndefined();
  });

  it("gives the positional arguments' origins, and none when no argument has one", () => {
    const module = parse(`
      def handler(event, context):
          made = make()
          use(made.part, event, "x")
          use(event)
    `);
    expect(call(module, "use", 0).argumentOrigins).toEqual([
      { call: module.calls.indexOf(call(module, "make")), path: ["part"] },
      null,
      null,
    ]);
    expect(call(module, "use", 1).argumentOrigins).toBeUndefined();
  });

  it('gives the arguments that read a member of a name as paths, with "[]" for a key not written as a string', () => {
    const module = parse(`
      import json

      def handler(event, context):
          json.loads(event["body"])
          json.loads(event.records[0]['body'], strict=False)
          json.loads(body, event.body)
          json.loads(make().body)
    `);
    expect(call(module, "json.loads", 0).argumentPaths).toEqual([["event", "body"]]);
    expect(call(module, "json.loads", 1).argumentPaths).toEqual([
      ["event", "records", "[]", "body"],
    ]);
    expect(call(module, "json.loads", 2).argumentPaths).toEqual([null, ["event", "body"]]);
    expect(call(module, "json.loads", 3).argumentPaths).toBeUndefined();
  });

  it("collects the string keys of dict literals, anywhere in the file", () => {
    const module = parse(`
      HEADERS = {"Content-Type": "application/json"}

      def handler(event, context):
          return {"batchItemFailures": [], **event, 1: "one", KEY: "k"}
    `);
    expect([...module.literalKeys].sort()).toEqual(["Content-Type", "batchItemFailures"]);
  });

  it("marks the calls whose values a function returns: in the return, or through names assigned once", () => {
    const module = parse(`
      import boto3
      s3 = boto3.client("s3")

      def handler(event, context):
          body = s3.get_object(Bucket="b", Key="k")["Body"].read()
          kept = s3.get_object(Bucket="b", Key="other")["Body"].read()
          archive(kept)
          return {"statusCode": 200, "body": body.decode(), "size": len(event)}

      def later():
          return lambda: fetch()
    `);
    const returned = (callee: string, nth = 0) => call(module, callee, nth).returned === true;
    expect(returned("s3.get_object()[].read", 0)).toBe(true);
    expect(returned("s3.get_object", 0)).toBe(true);
    expect(returned("body.decode")).toBe(true);
    expect(returned("len")).toBe(true);
    // Read, then handed elsewhere: not what the function returns.
    expect(returned("s3.get_object()[].read", 1)).toBe(false);
    expect(returned("archive")).toBe(false);
    // A module-level call is not returned by a function, and a lambda's body runs when it is called.
    expect(returned("boto3.client")).toBe(false);
    expect(returned("fetch")).toBe(false);
  });
});
