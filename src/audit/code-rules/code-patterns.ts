/**
 * What the code rules look for, by qualified name (code-model.ts): AWS SDK
 * clients, connection pools, unique values, configuration reads, DynamoDB
 * and CloudWatch calls, in JavaScript (SDK v3 and v2) and Python (boto3).
 * One table per concept, so a missed library is a one-line change.
 */
import { runtimeFacts } from "../../lambda/runtimes.js";
import type { CallSite, CodeModule } from "../code/code-model.js";
import { type FunctionCode, importsAny } from "../code/function-code.js";
import { lookup } from "../code/reachability.js";

/** The libraries that answer CloudFormation from a custom-resource handler. */
const CUSTOM_RESOURCE_HELPERS = ["cfn-response", "cfn-response-async", "cfnresponse", "crhelper"];

/**
 * Why the function is a CloudFormation custom-resource handler, or undefined:
 * one runs on create, update and delete of its stack, so per-invocation costs
 * (a client made in the handler) are paid a few times per deploy, not per request.
 */
export function customResourceHandler(fn: FunctionCode): string | undefined {
  const served = fn.config.customResources ?? [];
  if (served.length > 0) return `the ServiceToken of ${served.join(", ")}`;
  if (importsAny(fn, CUSTOM_RESOURCE_HELPERS)) return "it uses a custom-resource helper";
  return undefined;
}

/** How a call reads in a message: `new S3Client(…)`, `boto3.client(…)`. */
export function callText(call: CallSite): string {
  return `${call.kind === "new" ? "new " : ""}${call.callee}(…)`;
}

/** An AWS SDK client construction: v3 `new XxxClient()`, v2 `new AWS.S3()`, boto3 `client()`/`resource()`. */
export function isAwsClient(fn: FunctionCode, call: CallSite): boolean {
  const name = call.qualifiedName;
  if (call.kind === "new") {
    // The imported name, not the local alias: `import { S3Client as Storage }`.
    const imported = name.slice(name.lastIndexOf(".") + 1);
    if (name.startsWith("@aws-sdk/") && imported.endsWith("Client")) return true;
    // v3 aggregated clients: new SSM(), new DynamoDB() (the packages' other classes are commands and errors).
    if (name.startsWith("@aws-sdk/client-") && !/(Command|Exception)$/.test(imported)) return true;
    // v2: new AWS.S3(), new AWS.DynamoDB.DocumentClient(), new S3() from "aws-sdk/clients/s3"
    return name.startsWith("aws-sdk.") || name.startsWith("aws-sdk/clients/");
  }
  if (
    /^boto3(\.session)?(\.Session\(\))?\.(client|resource)$/.test(name) ||
    name === "botocore.session.get_session().create_client"
  ) {
    return true;
  }
  // session.client("s3") on a boto3 Session held in a variable: the service name says it.
  return (
    fn.language === "python" &&
    (call.name === "client" || call.name === "resource") &&
    call.callee !== call.name &&
    call.firstStringArgument !== undefined &&
    importsAny(fn, ["boto3"])
  );
}

/**
 * Database and HTTP connection pools and clients, by qualified name: what they are called in
 * messages. Left out on purpose: oracledb.getConnection() and mssql.connect(), which hand out a
 * connection of the pool made at init (or the global pool) when one exists: per request is right.
 */
const CONNECTIONS: readonly (readonly [string, string])[] = [
  ["pg.Pool", "a PostgreSQL pool"],
  ["pg.Client", "a PostgreSQL connection"],
  ["pg-promise", "a PostgreSQL connection"],
  ["postgres", "a PostgreSQL connection"],
  ["mysql.createConnection", "a MySQL connection"],
  ["mysql.createPool", "a MySQL pool"],
  ["mysql2.createConnection", "a MySQL connection"],
  ["mysql2.createPool", "a MySQL pool"],
  ["mysql2/promise.createConnection", "a MySQL connection"],
  ["mysql2/promise.createPool", "a MySQL pool"],
  ["mariadb.createConnection", "a MariaDB connection"],
  ["mariadb.createPool", "a MariaDB pool"],
  ["mssql.ConnectionPool", "a SQL Server pool"],
  ["oracledb.createPool", "an Oracle pool"],
  ["mongodb.MongoClient", "a MongoDB client"],
  ["mongodb.MongoClient.connect", "a MongoDB client"],
  ["mongoose.connect", "a MongoDB connection"],
  ["mongoose.createConnection", "a MongoDB connection"],
  ["ioredis", "a Redis client"],
  ["ioredis.Redis", "a Redis client"],
  ["redis.createClient", "a Redis client"],
  ["@prisma/client.PrismaClient", "a Prisma client"],
  ["sequelize.Sequelize", "a Sequelize pool"],
  ["sequelize", "a Sequelize pool"],
  ["knex", "a Knex pool"],
  ["undici.Pool", "an HTTP pool"],
  ["undici.Agent", "an HTTP agent"],
  ["https.Agent", "an HTTP agent"],
  ["http.Agent", "an HTTP agent"],
  ["@opensearch-project/opensearch.Client", "an OpenSearch client"],
  ["@elastic/elasticsearch.Client", "an Elasticsearch client"],
  ["psycopg.connect", "a PostgreSQL connection"],
  ["psycopg2.connect", "a PostgreSQL connection"],
  ["psycopg2.pool.SimpleConnectionPool", "a PostgreSQL pool"],
  ["psycopg2.pool.ThreadedConnectionPool", "a PostgreSQL pool"],
  ["psycopg_pool.ConnectionPool", "a PostgreSQL pool"],
  ["psycopg_pool.AsyncConnectionPool", "a PostgreSQL pool"],
  ["psycopg.AsyncConnection.connect", "a PostgreSQL connection"],
  ["asyncpg.connect", "a PostgreSQL connection"],
  ["asyncpg.create_pool", "a PostgreSQL pool"],
  ["aiomysql.connect", "a MySQL connection"],
  ["aiomysql.create_pool", "a MySQL pool"],
  ["pymysql.connect", "a MySQL connection"],
  ["mysql.connector.connect", "a MySQL connection"],
  ["pymongo.MongoClient", "a MongoDB client"],
  ["redis.Redis", "a Redis client"],
  ["redis.StrictRedis", "a Redis client"],
  ["redis.from_url", "a Redis client"],
  ["redis.Redis.from_url", "a Redis client"],
  ["sqlalchemy.create_engine", "a SQLAlchemy engine (a pool)"],
  ["sqlalchemy.ext.asyncio.create_async_engine", "a SQLAlchemy engine (a pool)"],
  ["pymssql.connect", "a SQL Server connection"],
  ["pyodbc.connect", "an ODBC connection"],
  ["oracledb.connect", "an Oracle connection"],
  ["oracledb.create_pool", "an Oracle pool"],
  ["motor.motor_asyncio.AsyncIOMotorClient", "a MongoDB client"],
  ["aiohttp.ClientSession", "an HTTP session"],
  ["requests.Session", "an HTTP session"],
  ["httpx.Client", "an HTTP client"],
  ["httpx.AsyncClient", "an HTTP client"],
  ["urllib3.PoolManager", "an HTTP pool"],
  ["opensearchpy.OpenSearch", "an OpenSearch client"],
  ["elasticsearch.Elasticsearch", "an Elasticsearch client"],
];
const CONNECTION_LABELS = new Map(CONNECTIONS);

/** What a call opens, when it is a database or HTTP connection or pool. */
export function connectionOpened(call: CallSite): string | undefined {
  return CONNECTION_LABELS.get(call.qualifiedName);
}

/**
 * Node.js clients that hold one database connection, with the fix naming the
 * pool the same library makes for concurrent use. A single connection runs
 * one query at a time, and its transaction is the connection's: requests
 * sharing it wait for each other, and one request's BEGIN … COMMIT takes in
 * the others' queries. Redis clients (ioredis, redis) are left out: they
 * pipeline concurrent commands on one connection by design.
 */
const SINGLE_CONNECTIONS = new Map([
  [
    "pg.Client",
    "Create `new Pool(…)` from pg instead and query through it: `pool.query()`, and for a transaction a client from `pool.connect()`, released after.",
  ],
  [
    "mysql.createConnection",
    "Create `mysql.createPool(…)` instead and query through it: `pool.query()`, and for a transaction a connection from `pool.getConnection()`, released after.",
  ],
  [
    "mysql2.createConnection",
    "Create `mysql2.createPool(…)` instead and query through it: `pool.query()`, and for a transaction a connection from `pool.getConnection()`, released after.",
  ],
  [
    "mariadb.createConnection",
    "Create `mariadb.createPool(…)` instead and query through it: `pool.query()`, and for a transaction a connection from `pool.getConnection()`, released after.",
  ],
  [
    "mysql2/promise.createConnection",
    "Create `createPool(…)` from mysql2/promise instead and query through it: `pool.query()`, and for a transaction a connection from `pool.getConnection()`, released after.",
  ],
]);

/** For a call that opens a single database connection where the library has a pool: how to use the pool instead. */
export function singleConnectionFix(call: CallSite): string | undefined {
  return SINGLE_CONNECTIONS.get(call.qualifiedName);
}

/** Calls that produce a value unique to the moment or the environment: what they are called in messages. */
const UNIQUE_VALUES: readonly (readonly [string, string])[] = [
  ["crypto.randomUUID", "a random UUID"],
  ["crypto.randomBytes", "random bytes"],
  ["crypto.getRandomValues", "random values"],
  ["crypto.randomInt", "a random number"],
  ["crypto.webcrypto.getRandomValues", "random values"],
  ["uuid.v1", "a UUID"],
  ["uuid.v4", "a random UUID"],
  ["uuid.v6", "a UUID"],
  ["uuid.v7", "a time-based UUID"],
  ["nanoid.nanoid", "a random id"],
  ["ulid.ulid", "a time-based id"],
  ["Math.random", "a random number"],
  ["Date.now", "a timestamp"],
  ["performance.now", "a timestamp"],
  ["uuid.uuid1", "a UUID"],
  ["uuid.uuid4", "a random UUID"],
  ["os.urandom", "random bytes"],
  ["time.time", "a timestamp"],
  ["time.time_ns", "a timestamp"],
  ["time.monotonic", "a timestamp"],
  ["datetime.datetime.now", "a timestamp"],
  ["datetime.datetime.utcnow", "a timestamp"],
  ["datetime.datetime.today", "a timestamp"],
  ["datetime.date.today", "a date"],
];
const UNIQUE_LABELS = new Map(UNIQUE_VALUES);
const PYTHON_RANDOM_MODULES = ["random", "secrets"];

/** What unique value a call computes, if it does. */
export function uniqueValue(call: CallSite): string | undefined {
  const known = UNIQUE_LABELS.get(call.qualifiedName);
  if (known) return known;
  if (call.kind === "new" && call.qualifiedName === "Date" && call.argumentCount === 0) {
    return "a timestamp";
  }
  const [module, member] = call.qualifiedName.split(".");
  if (
    member &&
    member !== "seed" &&
    PYTHON_RANDOM_MODULES.includes(module!) &&
    call.qualifiedName.split(".").length === 2
  ) {
    return module === "secrets" ? "a secret token" : "a random number";
  }
  return undefined;
}

/**
 * Whether the function's runtime supports SnapStart (Java, Python 3.12+,
 * .NET): of the languages with code rules, Python only. SnapStart set on a
 * runtime without it is the template rule snapstart-incompatible's finding.
 */
export function canUseSnapStart(fn: FunctionCode): boolean {
  return fn.runtime ? runtimeFacts(fn.runtime)?.snapStart === true : fn.language === "python";
}

/** Python's SnapStart runtime hook (snapshot_restore_py ships in the Python runtimes that support SnapStart). */
export const RESTORE_HOOKS = ["snapshot_restore_py.register_after_restore"];

/**
 * The functions of a module that run after a SnapStart restore, not at init:
 * decorated with the hook, or passed to it (`register_after_restore(reconnect)`),
 * and the module's functions they call.
 */
export function restoreHooks(module: CodeModule): Set<number> {
  const topLevel = (name: string) => lookup(module, name) ?? -1;
  const queue: number[] = [];
  module.functions.forEach((fn, index) => {
    if (fn.decorators.some((decorator) => RESTORE_HOOKS.includes(decorator))) queue.push(index);
  });
  for (const call of module.calls) {
    if (RESTORE_HOOKS.includes(call.qualifiedName)) queue.push(...call.argumentNames.map(topLevel));
  }
  // A function that module-level code also calls runs at init too: it is no hook.
  const calledAtInit = new Set(
    module.calls.filter((call) => call.scope === undefined).map((call) => topLevel(call.callee)),
  );
  const hooks = new Set<number>();
  for (let index = queue.pop(); index !== undefined; index = queue.pop()) {
    if (index < 0 || hooks.has(index) || calledAtInit.has(index)) continue;
    hooks.add(index);
    queue.push(...module.functions[index]!.references.map(topLevel));
  }
  return hooks;
}

/** Whether code in this scope runs inside one of these functions (or one nested in them). */
export function insideAny(
  module: CodeModule,
  scope: number | undefined,
  functions: ReadonlySet<number>,
): boolean {
  for (let current = scope; current !== undefined; current = module.functions[current]!.parent) {
    if (functions.has(current)) return true;
  }
  return false;
}

/** SSM Parameter Store, Secrets Manager and AppConfig reads: what they read, in messages. */
const CONFIG_COMMANDS: readonly (readonly [string, string])[] = [
  ["@aws-sdk/client-ssm.GetParameterCommand", "an SSM parameter"],
  ["@aws-sdk/client-ssm.GetParametersCommand", "SSM parameters"],
  ["@aws-sdk/client-ssm.GetParametersByPathCommand", "SSM parameters"],
  ["@aws-sdk/client-secrets-manager.GetSecretValueCommand", "a Secrets Manager secret"],
  ["@aws-sdk/client-secrets-manager.BatchGetSecretValueCommand", "Secrets Manager secrets"],
  ["@aws-sdk/client-appconfigdata.GetLatestConfigurationCommand", "an AppConfig configuration"],
  ["@aws-sdk/client-appconfigdata.StartConfigurationSessionCommand", "an AppConfig session"],
  ["@aws-sdk/client-appconfig.GetConfigurationCommand", "an AppConfig configuration"],
];
const CONFIG_COMMAND_LABELS = new Map(CONFIG_COMMANDS);

/** Method names of the same reads on SDK v2 (camelCase) and boto3 (snake_case) clients. */
const CONFIG_METHODS = new Map([
  ["getParameter", "an SSM parameter"],
  ["getParameters", "SSM parameters"],
  ["getParametersByPath", "SSM parameters"],
  ["getSecretValue", "a Secrets Manager secret"],
  ["getLatestConfiguration", "an AppConfig configuration"],
  ["get_parameter", "an SSM parameter"],
  ["get_parameters", "SSM parameters"],
  ["get_parameters_by_path", "SSM parameters"],
  ["get_secret_value", "a Secrets Manager secret"],
  ["batch_get_secret_value", "Secrets Manager secrets"],
  ["get_latest_configuration", "an AppConfig configuration"],
]);

/** v3 packages whose aggregated clients have the camelCase methods: `new SSM({}).getParameter(...)`. */
const CONFIG_V3_PACKAGES = [
  "@aws-sdk/client-ssm",
  "@aws-sdk/client-secrets-manager",
  "@aws-sdk/client-appconfigdata",
];

/** Libraries whose parameter reads cache (Powertools Parameters: 5 s by default, `max_age`/`maxAge` to change). */
const CACHING_PARAMETER_LIBRARIES = ["@aws-lambda-powertools/parameters", "aws_lambda_powertools"];

/** What configuration a call reads from a service, if it does (uncached libraries only). */
export function configRead(fn: FunctionCode, call: CallSite): string | undefined {
  if (CACHING_PARAMETER_LIBRARIES.some((library) => call.qualifiedName.startsWith(library))) {
    return undefined;
  }
  const command = CONFIG_COMMAND_LABELS.get(call.qualifiedName);
  if (command) return command;
  const method = CONFIG_METHODS.get(call.name);
  // A method on a v3 aggregated client too: `new SSM().getParameter()`.
  return method && isSdkMethod(fn, call, [call.name], CONFIG_V3_PACKAGES) ? method : undefined;
}

/**
 * A method call named one of `methods` on some object (`table.scan()`,
 * `ssm.get_parameter()`), in a function that uses an SDK that has it: boto3
 * in Python; SDK v2 or one of `v3Packages` (their aggregated clients) in
 * JavaScript. The receiver's type is not known, so the SDK in use stands for it.
 */
export function isSdkMethod(
  fn: FunctionCode,
  call: CallSite,
  methods: readonly string[],
  v3Packages: readonly string[],
): boolean {
  if (!methods.includes(call.name) || call.callee === call.name || call.kind === "new")
    return false;
  return importsAny(fn, fn.language === "python" ? ["boto3"] : ["aws-sdk", ...v3Packages]);
}

/** File reads, by qualified name. */
const FILE_READS = new Set([
  "fs.readFileSync",
  "fs.readFile",
  "fs/promises.readFile",
  "fs.promises.readFile",
  "open",
  "io.open",
  "pathlib.Path().read_text",
  "pathlib.Path().read_bytes",
]);

/** Parsers of configuration text. */
const CONFIG_PARSERS = new Set([
  "JSON.parse",
  "yaml.parse",
  "yaml.load",
  "js-yaml.load",
  "toml.parse",
  "@iarna/toml.parse",
  "json.load",
  "json.loads",
  "yaml.safe_load",
  "yaml.load",
  "tomllib.load",
  "tomllib.loads",
  "toml.load",
  "dotenv.config",
]);

const CONFIG_FILE_EXTENSIONS = /\.(json|ya?ml|toml|ini|env|properties|conf)$/i;

export function isFileRead(call: CallSite): boolean {
  return FILE_READS.has(call.qualifiedName);
}

export function isConfigParser(call: CallSite): boolean {
  return CONFIG_PARSERS.has(call.qualifiedName);
}

/**
 * A read of a file named like configuration. Python's `open` may be writing
 * (its mode is not in the facts), so only the JS read functions count here;
 * `open` counts when the same code parses what it reads.
 */
export function namesConfigFile(call: CallSite): boolean {
  return (
    call.qualifiedName !== "open" &&
    call.qualifiedName !== "io.open" &&
    call.firstStringArgument !== undefined &&
    CONFIG_FILE_EXTENSIONS.test(call.firstStringArgument)
  );
}

/** A literal file name with an extension that is not a configuration file's: "template.html", "key.pem". */
export function namesOtherFile(call: CallSite): boolean {
  const name = call.firstStringArgument;
  return name !== undefined && /\.[A-Za-z0-9]+$/.test(name) && !CONFIG_FILE_EXTENSIONS.test(name);
}

export const DYNAMODB_PACKAGES = ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"];

/** A DynamoDB v3 command by its class name: `new ScanCommand()` from the client or the document client. */
export function isDynamoDbCommand(call: CallSite, commands: readonly string[]): boolean {
  return (
    call.kind === "new" &&
    DYNAMODB_PACKAGES.some((pkg) =>
      commands.some((command) => call.qualifiedName === `${pkg}.${command}`),
    )
  );
}

/**
 * A DynamoDB method on an SDK v2 DocumentClient/DynamoDB, a v3 aggregated
 * client (DynamoDB, DynamoDBDocument), or a boto3 client or Table (`.scan(`,
 * `.query(`): only when the function uses that SDK, since the receiver's type
 * is not known.
 */
export function isDynamoDbMethod(
  fn: FunctionCode,
  call: CallSite,
  methods: readonly string[],
): boolean {
  return isSdkMethod(fn, call, methods, DYNAMODB_PACKAGES);
}

export const S3_PACKAGES = ["@aws-sdk/client-s3", "@aws-sdk/lib-storage"];

/** SDK v3 constructions that write an object: the command, and lib-storage's managed (multipart) upload. */
const S3_UPLOAD_CONSTRUCTIONS = new Set([
  "@aws-sdk/client-s3.PutObjectCommand",
  "@aws-sdk/lib-storage.Upload",
]);

/** Object writes by method: SDK v2 and v3's aggregated S3 client (`putObject`, v2's managed `upload`), boto3's client, Bucket and Object. */
const S3_UPLOAD_METHODS = ["putObject", "upload", "put_object", "upload_file", "upload_fileobj"];

/**
 * A call that writes an object to S3: `new PutObjectCommand()`, `new Upload()`
 * (@aws-sdk/lib-storage), `s3.putObject()` / `s3.upload()` (SDK v2, v3's
 * aggregated client), boto3's `put_object()`, `upload_file()`,
 * `upload_fileobj()`. Which bucket it writes is an argument, rarely a literal,
 * so the call says only that the function writes objects somewhere.
 */
export function isS3Upload(fn: FunctionCode, call: CallSite): boolean {
  if (call.kind === "new") return S3_UPLOAD_CONSTRUCTIONS.has(call.qualifiedName);
  return isSdkMethod(fn, call, S3_UPLOAD_METHODS, S3_PACKAGES);
}

/** Every S3 object write in the function's modules, wherever it runs (handler, init, helpers). */
export function s3Uploads(fn: FunctionCode): { module: CodeModule; call: CallSite }[] {
  return fn.modules.flatMap((module) =>
    module.calls.filter((call) => isS3Upload(fn, call)).map((call) => ({ module, call })),
  );
}
