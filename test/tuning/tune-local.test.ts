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
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { runCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const workdir = () => mkdtempSync(join(tmpdir(), "lo-tune-local-"));

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
    expect(result.target).toMatchObject({ kind: "local", functionName: "handler" });
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
    // 256 MB's small quota is not cut further, so the ratio falls below the law's 6.9.
    expect(at256.durationMs.p50 / at1769.durationMs.p50).toBeGreaterThan(3);
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

  it.each([
    [["--memory", "64"], /--memory "64" is not valid/],
    [["--memory", "128..512"], /--memory "128\.\.512" is not valid: expected sizes such as/],
    [["--num", "0"], /--num "0" is not valid: expected a whole number from 1/],
    [
      ["--strategy", "cheapest"],
      /--strategy "cheapest" is not valid: expected one of cost, speed, balanced, slo/,
    ],
    [["--strategy", "slo"], /--strategy slo needs a bound/],
    [["--arch", "sparc"], /--arch "sparc" is not valid/],
    [["--discard", "0.6"], /--discard "0.6" is not valid/],
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
