/**
 * What the code rules know about one source file, the same shape for
 * JavaScript/TypeScript and Python: its imports, functions, calls, writes to
 * module state and environment reads, each placed in its scope. The parsers
 * (parse-javascript.ts, parse-python.ts) read the AST once and fill this in;
 * rules match these facts and never see an AST or match raw text, so one rule
 * serves every language.
 */

export type CodeLanguage = "javascript" | "python";

/** 1-based line and column of the start of an expression. */
export interface CodePosition {
  readonly line: number;
  readonly column: number;
}

/** An import, require() or dynamic import() with a literal specifier. */
export interface CodeImport {
  /**
   * As written: "@aws-sdk/client-s3", "./db", "node:crypto" (JS); "boto3",
   * ".db", "lib.db", "." (Python). `node:` is kept; `qualifiedName` drops it.
   */
  readonly specifier: string;
  /**
   * Bindings it creates, local name -> imported name: "default" for a
   * default import, "*" for a namespace (`import * as x`, `import boto3`,
   * `const x = require(...)`), else the exported name. A re-export binds
   * the exported name (`export { handler } from "./impl.js"`); one of
   * everything (`export * from`, `module.exports = require(...)`) binds "*".
   */
  readonly names: ReadonlyMap<string, string>;
  readonly position: CodePosition;
}

/**
 * Where a value comes from when it is another call's result, or a member of
 * it, in the same module: directly (`s3.get_object(...)["Body"]`) or through
 * names assigned once from it (`obj = s3.get_object(...)`, then
 * `obj["Body"]`; `const { Body } = await s3.send(...)`). Rules follow it to
 * tell what a method is called on without types.
 */
export interface ValueOrigin {
  /** Index into CodeModule.calls of the call whose result it is. */
  readonly call: number;
  /**
   * The attributes and literal keys from that result to the value: ["Body"]
   * for `obj["Body"]` or `obj.Body`; [] for the result itself; "[]" for a
   * key not written literally.
   */
  readonly path: readonly string[];
}

/** A call `f(...)` or a construction `new F(...)`. */
export interface CallSite {
  readonly kind: "call" | "new";
  /** The callee as written, dotted: "boto3.client", "client.send", "S3Client", "this.db.query". */
  readonly callee: string;
  /**
   * The callee with its first name replaced by where that name comes from,
   * so aliases and import styles compare equal: `import {v4 as id} from
   * "uuid"; id()` -> "uuid.v4"; `from uuid import uuid4` -> "uuid.uuid4";
   * `import * as c from "node:crypto"; c.randomUUID()` -> "crypto.randomUUID";
   * `new S3Client()` imported from "@aws-sdk/client-s3" ->
   * "@aws-sdk/client-s3.S3Client". A name not imported stays as written
   * ("Math.random", "Date", "open", "client.send").
   */
  readonly qualifiedName: string;
  /** The last part of the callee: "send", "client", "S3Client". */
  readonly name: string;
  readonly argumentCount: number;
  /** The first argument when it is a string literal: boto3.client("s3"), get_paginator("scan"). */
  readonly firstStringArgument?: string;
  /**
   * Keys of the object literal in the first argument (JS), or the keyword
   * argument names (Python). Undefined when not knowable (a variable, a
   * spread, `**kwargs`): rules must not guess then.
   */
  readonly argumentKeys?: readonly string[];
  /** For `x.send(new GetObjectCommand(...))`-style calls: the qualified names of constructions among the arguments. */
  readonly constructedArguments: readonly string[];
  /** Arguments that are plain (dotted) names, as written: `register_after_restore(reconnect)` -> ["reconnect"]. */
  readonly argumentNames: readonly string[];
  /**
   * JavaScript: the keys of each positional argument that is an object
   * literal, by position, null for any other argument (or a literal with a
   * spread or computed key): `getSecret("s", { maxAge: 300 })` -> [null,
   * ["maxAge"]]. Python's keyword arguments are in argumentKeys.
   */
  readonly objectArgumentKeys?: readonly (readonly string[] | null)[];
  /**
   * The positional arguments that read a member of a name, by position, as
   * the name and the attributes and keys after it, null for any other
   * argument: `JSON.parse(event.body)` and `json.loads(record["body"])` ->
   * [["event", "body"]], [["record", "body"]]; "[]" for a key not written
   * as a string (`event.Records[0].body` -> ["event", "Records", "[]",
   * "body"]). Undefined when no argument is one.
   */
  readonly argumentPaths?: readonly (readonly string[] | null)[];
  /**
   * For a method call, what it is called on when that is another call's
   * result (ValueOrigin): `s3.get_object(...)["Body"].read()` -> the
   * get_object call, path ["Body"]. Undefined when it is not known to be one.
   */
  readonly receiver?: ValueOrigin;
  /**
   * The positional arguments' origins, by position, null where unknown:
   * `client.send(command)` after `const command = new GetObjectCommand({...})`
   * -> [the construction, path []]. Undefined when no argument has one.
   */
  readonly argumentOrigins?: readonly (ValueOrigin | null)[];
  readonly position: CodePosition;
  /** Index into CodeModule.functions of the innermost function containing it; undefined at module scope. */
  readonly scope: number | undefined;
  /**
   * It runs once per environment, not per call, because its value is kept:
   * stored lazily in module state (`x ??= f()`, `x ||= f()`), or run under a
   * test of a module-level name that the same function writes (`if (!x) x =
   * f()`, `if x is None: x = f()`, after `if (x) return x;`, `x || (x =
   * f())`), or inside a function memoized by a decorator (functools.lru_cache,
   * functools.cache, cachetools.cached). A store with no such test runs on
   * every call and is not cached.
   */
  readonly cached: boolean;
  /**
   * Python: its value, or one built from it, is what its function returns: the
   * call is in a `return` expression, or in the expression a name read there
   * was assigned once from (`body = obj["Body"].read()`, then `return
   * {"body": body}`). Undefined where not tracked (JavaScript).
   */
  readonly returned?: boolean;
}

/** A function, method or lambda, with what links it to others. */
export interface CodeFunction {
  /** Declared or assigned name ("handler", "getUser", "Repo.save"); undefined for an anonymous inline function. */
  readonly name?: string;
  readonly position: CodePosition;
  /** Index of the function lexically containing it; undefined for a top-level function. */
  readonly parent: number | undefined;
  /** Decorators, qualified as call sites are ("functools.lru_cache", "app.route"). */
  readonly decorators: readonly string[];
  /**
   * Dotted names called or passed as arguments in its own body (not in
   * nested functions): "helper", "db.getUser", "processRecord" in
   * `records.map(processRecord)`. The module graph resolves them to
   * functions here or in local imports.
   */
  readonly references: readonly string[];
}

/** A write, inside a function, to state that outlives the call: a module-level name or what it holds. */
export interface StateWrite {
  /**
   * The module-level name written or mutated; in JavaScript also the
   * process-wide state every request of a worker shares: "globalThis",
   * "global", "process.env".
   */
  readonly name: string;
  /** assign: `x = ...`, `global x; x = ...`; update: `x++`, `x += 1`; mutate: `x.push()`, `x[k] = v`, `x.y = v`, `x.append()`, `del x[k]`. */
  readonly how: "assign" | "update" | "mutate";
  /**
   * A lazy one-time initialization, racy only in a harmless way:
   * `x ??= ...`, `x ||= ...`, or a write where a test says its target is
   * unset (`if (!x)`, `if x is None`, `if (!cache.has(k)) cache.set(k, v)`,
   * after `if (x) return x;`).
   */
  readonly lazyInit: boolean;
  readonly position: CodePosition;
  readonly scope: number;
}

/**
 * An environment variable read: process.env.X, os.environ["X"],
 * os.getenv("X"); also a test of whether one is set (`"X" in process.env`,
 * `"X" in os.environ`).
 */
export interface EnvRead {
  /** The variable's name when written literally. */
  readonly variable?: string;
  /**
   * The code uses the value as it is, so it needs the variable set: a plain
   * use (`process.env.X` passed on or assigned, `os.environ["X"]`, which
   * raises KeyError, and `os.environ.get("X")` or `os.getenv("X")` with no
   * default, whose None the code then uses). False where the code expects it
   * may be unset: a fallback (`process.env.X ?? d`, `|| d`, a destructuring
   * default, `os.environ.get("X", d)`, `os.getenv("X") or d`), or only a test
   * of it (`&&`, `!`, a comparison, `typeof`, the test of an `if`, a loop or a
   * conditional expression, `switch`, `?.`, `in`, Python's `not` and `assert`).
   */
  readonly required: boolean;
  readonly position: CodePosition;
  readonly scope: number | undefined;
}

/** A file opened for writing under /tmp with a fixed name (shared by every request of an environment). */
export interface TmpWrite {
  readonly path: string;
  readonly position: CodePosition;
  readonly scope: number | undefined;
}

/**
 * A name the module exports (JS: `export`, `exports.x`, `module.exports`;
 * Python: any top-level def or assignment, as Lambda imports it by name).
 */
export interface CodeExport {
  /** The function it is, or wraps; undefined when it is not a function we can see. */
  readonly functionIndex: number | undefined;
  /** Qualified names of the calls wrapping it: `middy(...)`, `awslambda.streamifyResponse(...)`. */
  readonly wrappers: readonly string[];
  /** The local name it exports when that name is not defined here (imported): the module graph follows it. */
  readonly localName?: string;
  readonly position: CodePosition;
}

export interface CodeModule {
  readonly file: string;
  readonly language: CodeLanguage;
  readonly imports: readonly CodeImport[];
  /** Names bound at module scope (declarations, imports, top-level assignments). */
  readonly moduleNames: ReadonlySet<string>;
  readonly functions: readonly CodeFunction[];
  /** Dotted names called or passed as arguments at module scope, like CodeFunction.references. */
  readonly moduleReferences: readonly string[];
  readonly calls: readonly CallSite[];
  readonly stateWrites: readonly StateWrite[];
  readonly envReads: readonly EnvRead[];
  readonly tmpWrites: readonly TmpWrite[];
  /**
   * Keys written in object literals (JS, not computed) and string keys of
   * dict literals (Python), anywhere in the file: what a returned response is
   * made of (`return { batchItemFailures: failures }`).
   */
  readonly literalKeys: ReadonlySet<string>;
  readonly exports: ReadonlyMap<string, CodeExport>;
  /** Set when the file does not parse: what the parser said and where. The other fields hold what could be read. */
  readonly parseError?: { readonly message: string; readonly position: CodePosition };
}

/** The module-level part of a specifier, without `node:` (so "node:crypto" and "crypto" match). */
export function normalizeSpecifier(specifier: string): string {
  return specifier.startsWith("node:") ? specifier.slice(5) : specifier;
}
