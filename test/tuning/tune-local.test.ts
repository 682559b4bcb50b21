/**
 * The local path end to end: `lambda-optimizer tune <handler>` on the embedded
 * emulator, as a subprocess. The law it must find: an I/O-bound function is
 * cheapest at the smallest size, a CPU-bound one fastest at a full vCPU or more.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { modelledDurationLabel } from "../../src/tuning/modelled-architecture.js";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { runCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const workdir = () => mkdtempSync(join(tmpdir(), "lo-tune-local-"));
/** The CPU every local configuration really runs on. */
const HOST = process.arch === "arm64" ? "arm64" : "x86_64";
const OTHER = HOST === "arm64" ? "x86_64" : "arm64";
/** Text as a person reads it, whatever the line wrapping. */
const flat = (text: string) => text.replace(/\s+/g, " ");

function tuneJson(args: string[], cwd = workdir()) {
  const result = runCli(["tune", ...args, "--json", "--quiet"], { cwd });
  if (result.status !== 0) throw new Error(`tune exited ${result.status}: ${result.stderr}`);
  return { result: TuneResultSchema.parse(JSON.parse(result.stdout)), cwd };
}

describe("tune on the embedded emulator", () => {
  it("finds the smallest memory cheapest for an I/O-bound function", () => {
    const { result, cwd } = tuneJson([
      join(EXAMPLES, "io-bound/handler.mjs:handler"),
      "--memory",
      "128,512,2048",
      "--num",
      "5",
      "--payload",
      '{"latencyMs":60}',
    ]);
    // Outside the folder tune ran in, a handler is named by its folder and file.
    expect(result.target).toMatchObject({ kind: "local", functionName: "io-bound-handler" });
    expect(result.verdict?.summary).toMatch(/^(results trustworthy|disturbed): /);
    expect(result.sandbox?.mechanism).toMatch(/^(cgroup-v1|cgroup-v2|duty-cycle)$/);
    expect(result.recommendation).toMatchObject({ memoryMb: 128, strategy: "cost" });
    for (const configuration of result.results) {
      expect(configuration).toMatchObject({ status: "ok", invocations: 5, errors: 0 });
      expect(configuration.durationMs.p50).toBeGreaterThanOrEqual(60);
      expect(configuration.coldStart?.initDurationMs).toBeGreaterThan(0);
      expect(configuration.samples).toHaveLength(5);
      expect(configuration.costCi95.low).toBeLessThanOrEqual(configuration.costPerInvocationUsd);
      expect(configuration.costCi95.high).toBeGreaterThanOrEqual(
        configuration.costPerInvocationUsd,
      );
    }
    // Every run is kept.
    expect(readdirSync(join(cwd, ".lambda-optimizer", "runs"))).toHaveLength(1);
    expect(readdirSync(join(cwd, ".lambda-optimizer", "journal"))).toEqual([]);
  });

  it("keeps one configuration's runtime alive at a time: each is released when the tuner moves on", () => {
    const code = workdir();
    cpSync(join(FIXTURES, "count-runtimes"), code, { recursive: true });
    const sizes = [128, 256, 512, 1024, 1769, 3008];
    const { result } = tuneJson([
      join(code, "handler.mjs:handler"),
      ...["--memory", sizes.join(","), "--num", "2"],
    ]);
    expect(result.results.map((configuration) => configuration.status)).toEqual(
      sizes.map(() => "ok"),
    );
    // One line per invocation (a warm-up and two samples per size): "<memory> <runtimes alive>".
    const lines = readFileSync(join(code, "runtimes.log"), "utf8").trim().split("\n");
    expect(new Set(lines.map((line) => Number(line.split(" ")[0])))).toEqual(new Set(sizes));
    expect(lines.map((line) => Number(line.split(" ")[1]))).toEqual(lines.map(() => 1));
  });

  it("finds a full vCPU or more fastest for a CPU-bound function", () => {
    const { result } = tuneJson([
      join(EXAMPLES, "cpu-bound/handler.mjs:handler"),
      ...[
        "--memory",
        "256,512,1769,3008",
        "--num",
        "3",
        "--strategy",
        "speed",
        "--payload",
        '{"limit":400000}',
      ],
    ]);
    expect(result.recommendation?.memoryMb).toBeGreaterThanOrEqual(1769);
    const at256 = result.results.find((entry) => entry.memoryMb === 256)!;
    const at1769 = result.results.find((entry) => entry.memoryMb === 1769)!;
    // CPU in proportion to memory: 6.9x the share, several times the speed. The bound leaves
    // room for a loaded 2-core host, where 1769 MB's full CPU is shared with other work while
    // 256 MB's small quota is not cut further, so the ratio falls below the law's 6.9; and for
    // Node.js 22 (the handler's nodejs22.x), whose JIT tiers still compile during these few
    // invocations, on threads that share the function's quota: 2.4 to 3.7 seen on a busy host.
    expect(at256.durationMs.p50 / at1769.durationMs.p50).toBeGreaterThan(2);
  });

  it("measures cold starts only, in parallel, with weighted payloads, and writes HTML and CSV", () => {
    const cwd = workdir();
    const payloads = join(cwd, "payloads.json");
    writeFileSync(
      payloads,
      JSON.stringify([
        { payload: { latencyMs: 5 }, weight: 3 },
        { payload: { latencyMs: 30 }, weight: 1 },
      ]),
    );
    const { result } = tuneJson(
      [
        join(EXAMPLES, "io-bound/handler.mjs:handler"),
        ...["--memory", "256", "--num", "4", "--only-cold-starts", "--payloads", payloads],
        ...[
          "--html",
          join(cwd, "report.html"),
          "--csv",
          join(cwd, "results.csv"),
          "--out",
          join(cwd, "out.json"),
        ],
      ],
      cwd,
    );
    const [configuration] = result.results;
    expect(configuration?.coldStart).toBeNull();
    expect(configuration?.samples.every((sample) => sample.initDurationMs !== null)).toBe(true);
    expect(readFileSync(join(cwd, "report.html"), "utf8")).toContain("<canvas");
    expect(readFileSync(join(cwd, "results.csv"), "utf8").split("\n")[0]).toMatch(/memory/i);
    expect(JSON.parse(readFileSync(join(cwd, "out.json"), "utf8")).results).toHaveLength(1);

    const parallel = tuneJson([
      join(EXAMPLES, "io-bound/handler.mjs:handler"),
      "--memory",
      "128",
      "--num",
      "6",
      "--parallel",
      "--concurrency",
      "3",
    ]);
    expect(parallel.result.results[0]).toMatchObject({ status: "ok", invocations: 6 });
  });

  it("keeps sampling with --until-confident, and invokes once per configuration with --dry-run", () => {
    // Two samples of a noisy function leave a wide interval: it samples more, up to --max-num.
    const confident = tuneJson([
      join(FIXTURES, "node-noisy/index.mjs:handler"),
      "--memory",
      "1024",
      "--num",
      "2",
      "--until-confident",
      "--max-num",
      "12",
    ]);
    expect(confident.result.results[0]!.invocations).toBeGreaterThan(2);
    expect(confident.result.results[0]!.invocations).toBeLessThanOrEqual(12);
    // A steady one (a fixed 100 ms wait: billed durations within a millisecond or two) is confident at once.
    const steady = tuneJson([
      join(EXAMPLES, "io-bound/handler.mjs:handler"),
      "--memory",
      "128",
      "--num",
      "3",
      "--until-confident",
    ]);
    expect(steady.result.results[0]!.invocations).toBe(3);
    const dry = tuneJson([
      join(EXAMPLES, "io-bound/handler.mjs:handler"),
      "--memory",
      "128,256",
      "--dry-run",
    ]);
    expect(dry.result.results.map((entry) => entry.invocations)).toEqual([1, 1]);
  });

  it("with the slo strategy exits 1 when no configuration meets the bound, naming the closest", () => {
    const result = runCli(
      [
        "tune",
        join(FIXTURES, "node-faults/index.mjs:ok"),
        "--memory",
        "128,256",
        "--num",
        "2",
        "--strategy",
        "slo",
        "--max-p95-ms",
        "0",
        "--json",
        "--quiet",
      ],
      { cwd: workdir() },
    );
    expect(result.status).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document.recommendation).toBeNull();
    expect(document.closestToSlo.memoryMb).toBeTypeOf("number");
  });

  it("with --arch x86_64,arm64 measures once per size and prices the same samples at both, labelled modelled", {
    timeout: 240_000,
  }, () => {
    const cwd = workdir();
    const files = {
      out: join(cwd, "out.json"),
      html: join(cwd, "r.html"),
      csv: join(cwd, "r.csv"),
    };
    const text = runCli(
      [
        "tune",
        join(EXAMPLES, "io-bound/handler.mjs:handler"),
        ...["--memory", "128,256", "--num", "3", "--arch", "x86_64,arm64"],
        ...["--payload", '{"latencyMs":20}', "--quiet"],
        ...["--out", files.out, "--html", files.html, "--csv", files.csv],
      ],
      { cwd },
    );
    expect(text.status).toBe(0);
    const result = TuneResultSchema.parse(JSON.parse(readFileSync(files.out, "utf8")));
    const label = modelledDurationLabel(OTHER);
    for (const memoryMb of [128, 256]) {
      const measured = result.results.find(
        (r) => r.memoryMb === memoryMb && r.architecture === HOST,
      )!;
      const priced = result.results.find(
        (r) => r.memoryMb === memoryMb && r.architecture === OTHER,
      )!;
      expect(measured.modelled).toBeNull();
      expect(priced.modelled).toEqual({ duration: label, measuredOn: HOST });
      // The very same samples: equal durations by construction, only the price differs.
      expect(priced.durationMs).toEqual(measured.durationMs);
      expect(priced.samples.map((sample) => sample.billedDurationMs)).toEqual(
        measured.samples.map((sample) => sample.billedDurationMs),
      );
      if (OTHER === "arm64")
        expect(priced.costPerInvocationUsd).toBeLessThan(measured.costPerInvocationUsd);
    }
    if (HOST === "x86_64") {
      // arm64 wins on price alone, and the reason says its figures are modelled.
      expect(result.recommendation?.architecture).toBe("arm64");
      expect(flat(result.recommendation!.reason)).toContain(
        "Modelled: the arm64 figures are this machine's x86_64 samples priced at arm64's rates, durations assumed equal (not measured on Graviton), so arm64 is preferred on price alone; tune on AWS before moving from x86_64.",
      );
      expect(flat(text.stdout)).toContain(
        "† arm64 durations assumed equal (not measured on Graviton): this machine's x86_64 samples, priced at arm64's rates.",
      );
      expect(text.stdout).toMatch(/128 MB {2}arm64 +[\d.]+ † +[\d.]+ † .* modelled/);
    }
    const csv = readFileSync(files.csv, "utf8").split("\r\n");
    expect(csv[0]).toMatch(/,modelled_duration,measured_on,handler,ttfb_p50_ms,ttfb_p95_ms$/);
    expect(csv.find((row) => row.startsWith(`io-bound-handler,128,${OTHER},`))).toContain(
      `,${label},${HOST},`,
    );
    const html = readFileSync(files.html, "utf8");
    expect(html).toContain(`† ${OTHER} durations ${label}`);
    expect(html).toContain('<span class="status status-modelled"');
    // The verdict is given in every form: JSON, text and HTML.
    expect(result.verdict?.status).toMatch(/^(trustworthy|doubtful)$/);
    expect(result.verdict?.hostLoad?.cpus).toBeGreaterThan(0);
    expect(flat(text.stdout)).toContain(`Verdict: ${result.verdict!.summary}.`);
    expect(html).toContain("Can these figures be trusted?");
  });

  it("never tells a function declared arm64 to move to x86_64 from a local run", {
    timeout: 240_000,
  }, () => {
    const cwd = workdir();
    cpSync(join(EXAMPLES, "io-bound"), join(cwd, "app"), { recursive: true });
    writeFileSync(
      join(cwd, "app", "template.yaml"),
      readFileSync(join(EXAMPLES, "io-bound", "template.yaml"), "utf8").replace(
        "Runtime: nodejs22.x",
        "Runtime: nodejs22.x\n      Architectures: [arm64]",
      ),
    );
    const { result } = tuneJson(
      [
        ...["--template", "app/template.yaml", "OrderLookup"],
        ...["--memory", "128,256", "--num", "2", "--arch", "x86_64,arm64"],
        ...["--strategy", "speed", "--payload", '{"latencyMs":5}'],
      ],
      cwd,
    );
    expect(result.original.architecture).toBe("arm64");
    expect(result.recommendation?.architecture).toBe("arm64");
    expect(result.target).toMatchObject({
      functionName: "OrderLookup",
      local: {
        handler: "app/handler.handler",
        template: "app/template.yaml",
        logicalId: "OrderLookup",
      },
    });
    if (HOST === "x86_64") {
      expect(flat(result.recommendation!.reason)).toContain(
        "x86_64 was not considered: the function is declared arm64, and a local run cannot tell the two apart.",
      );
    }
    // Asked for x86_64 alone, it still prices arm64 from the same samples and keeps it.
    const { result: x86Only } = tuneJson(
      [
        ...["--template", "app/template.yaml", "OrderLookup", "--memory", "128", "--num", "2"],
        ...["--arch", "x86_64", "--payload", '{"latencyMs":5}'],
      ],
      cwd,
    );
    expect(x86Only.results.map((r) => [r.architecture, r.modelled?.measuredOn ?? null])).toEqual(
      HOST === "x86_64"
        ? [
            ["x86_64", null],
            ["arm64", "x86_64"],
          ]
        : [
            ["x86_64", "arm64"],
            ["arm64", null],
          ],
    );
    expect(x86Only.recommendation?.architecture).toBe("arm64");
  });

  it("says so when every sample was an allowed exception: the error path was measured", {
    timeout: 240_000,
  }, () => {
    const cwd = workdir();
    const out = join(cwd, "out.json");
    const text = runCli(
      [
        "tune",
        join(FIXTURES, "node-faults/index.mjs:throws"),
        ...["--memory", "128", "--num", "2", "--allowed-exceptions", "RangeError"],
        ...["--out", out, "--quiet"],
      ],
      { cwd },
    );
    expect(text.status).toBe(0);
    const result = TuneResultSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(result.results[0]).toMatchObject({ status: "ok", invocations: 2 });
    expect(result.verdict?.status).toBe("doubtful");
    expect(result.verdict?.warnings).toContainEqual({
      kind: "allowed-exceptions-only",
      message:
        "every sample was an allowed exception: the error path was measured, not the function",
    });
    expect(flat(text.stdout)).toContain(
      "every sample was an allowed exception: the error path was measured, not the function",
    );
  });

  it("names local functions from their path: apart in runs, in metrics --local and in compare", {
    timeout: 240_000,
  }, () => {
    const cwd = workdir();
    cpSync(EXAMPLES, join(cwd, "examples"), { recursive: true });
    const tune = (spec: string, out: string, payload: string) =>
      tuneJson(
        [spec, "--memory", "128", "--num", "2", "--payload", payload, "--out", join(cwd, out)],
        cwd,
      ).result;
    const io = tune("examples/io-bound/handler.mjs:handler", "io.json", '{"latencyMs":5}');
    const cpu = tune("examples/cpu-bound/handler.mjs:handler", "cpu.json", '{"limit":2000}');
    expect(io.target).toMatchObject({
      functionName: "examples-io-bound-handler",
      local: { handler: "examples/io-bound/handler.mjs:handler", template: null, logicalId: null },
    });
    expect(cpu.target.functionName).toBe("examples-cpu-bound-handler");
    const runs = readdirSync(join(cwd, ".lambda-optimizer", "runs"));
    expect(runs.filter((file) => file.endsWith("-examples-io-bound-handler.json"))).toHaveLength(1);
    const html = join(cwd, "io.html");
    runCli(
      [
        "tune",
        "examples/io-bound/handler.mjs",
        "--memory",
        "128",
        "--num",
        "1",
        "--dry-run",
        "--quiet",
        "--html",
        html,
      ],
      { cwd },
    );
    expect(readFileSync(html, "utf8")).toContain(
      "<title>Power tuning: examples/io-bound/handler.mjs:handler</title>",
    );

    // Each log folder records the code it measured.
    expect(
      JSON.parse(
        readFileSync(
          join(cwd, ".lambda-optimizer", "logs", "examples-io-bound-handler", "function.json"),
          "utf8",
        ),
      ),
    ).toMatchObject({
      name: "examples-io-bound-handler",
      handler: "examples/io-bound/handler.mjs:handler",
      lambdaHandler: "handler.handler",
      runtime: "nodejs22.x",
    });

    // metrics --local keeps the two apart, and --function picks one, by name or by handler.
    const metrics = (...args: string[]) => {
      const run = runCli(["metrics", "--local", "--json", "--quiet", ...args], { cwd });
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout)
        .functions.map((fn: { name: string }) => fn.name)
        .sort();
    };
    expect(metrics()).toEqual(["examples-cpu-bound-handler", "examples-io-bound-handler"]);
    expect(metrics("--function", "examples/io-bound/handler.mjs:handler")).toEqual([
      "examples-io-bound-handler",
    ]);
    expect(metrics("--function", "examples-cpu-bound-handler")).toEqual([
      "examples-cpu-bound-handler",
    ]);
    const unknown = runCli(["metrics", "--local", "--function", "nobody"], { cwd });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toContain("no emulator logs for nobody");

    // compare refuses two different functions, unless --force.
    const refused = runCli(["compare", "io.json", "cpu.json"], { cwd });
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      "lambda-optimizer: io.json is a run of examples/io-bound/handler.mjs:handler and cpu.json of examples/cpu-bound/handler.mjs:handler: different functions, so their costs do not compare; give --force to compare them anyway\n",
    );
    const forced = runCli(["compare", "io.json", "cpu.json", "--force", "--json"], { cwd });
    expect([0, 1]).toContain(forced.status);
    expect(JSON.parse(forced.stdout).notes).toContain(
      "The runs differ in function: examples/io-bound/handler.mjs:handler before, examples/cpu-bound/handler.mjs:handler after.",
    );
    expect(runCli(["compare", "io.json", "io.json"], { cwd }).status).toBe(0);
  });

  it.each([
    [
      ["--memory", "64"],
      /--memory 64 is not valid: expected a whole number from 128 to 10,240 MB$/m,
    ],
    [["--memory", "128..512"], /--memory "128\.\.512" is not valid: expected sizes such as/],
    [["--num", "0"], /--num 0 is not valid: expected a whole number from 1 to 10,000$/m],
    [["--num", "ten"], /--num "ten" is not valid: expected a whole number from 1 to 10,000$/m],
    [
      ["--strategy", "cheapest"],
      /--strategy "cheapest" is not valid: expected one of cost, speed, balanced, slo/,
    ],
    [["--strategy", "slo"], /--strategy slo needs a bound/],
    [["--arch", "sparc"], /--arch "sparc" is not valid/],
    [["--discard", "0.6"], /--discard 0.6 is not valid: expected a share from 0 to below 0\.5$/m],
    [["--alias", "live"], /--alias goes with --apply/],
    [["--payloads", "/no/payloads.json"], /--payloads \/no\/payloads\.json: cannot read it/],
    [["--endpoint-url", "http://127.0.0.1:1"], /--endpoint-url goes with --aws or an ARN target/],
    // Output paths are checked before the run, not after minutes of tuning.
    [
      ["--html", "/no/such/folder/report.html"],
      /^lambda-optimizer: --html \/no\/such\/folder\/report\.html: the folder \/no\/such\/folder does not exist$/m,
    ],
    [["--csv", "/tmp"], /^lambda-optimizer: --csv \/tmp: it is a folder, not a file$/m],
    [
      ["--out", "/etc/hostname/result.json"],
      /^lambda-optimizer: --out \/etc\/hostname\/result\.json: \/etc\/hostname is not a folder$/m,
    ],
  ])("%j exits 2 with one line", (args, message) => {
    const cwd = workdir();
    const result = runCli(["tune", join(EXAMPLES, "io-bound/handler.mjs:handler"), ...args], {
      cwd,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    // Refused before anything ran: no run was saved.
    expect(existsSync(join(cwd, ".lambda-optimizer", "runs"))).toBe(false);
  });
});
