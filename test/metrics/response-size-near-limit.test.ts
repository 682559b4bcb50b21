/**
 * response-size-near-limit on measured responses: a CloudWatch export in the JSON log format,
 * built as streamed-responses.test.ts builds one (platform.runtimeDone with producedBytes, then
 * platform.report), read by the log-file reader and judged by the report's rules.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MetricsAggregator } from "../../src/metrics/aggregate.js";
import { buildMetricsReport } from "../../src/metrics/build-report.js";
import { readLogFiles } from "../../src/metrics/sources/log-files.js";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";

const MB = 1024 ** 2;

/** A CloudWatch export of one function (named by the file): each response's bytes, in order. */
function exportOf(folder: string, name: string, responseBytes: readonly number[]): string {
  const lines = responseBytes.flatMap((bytes, index) => {
    const second = String(index % 60).padStart(2, "0");
    return [
      `2026-11-28T10:00:${second}.000Z ${JSON.stringify({
        time: "2026-11-28T10:00:00.000Z",
        type: "platform.runtimeDone",
        record: {
          requestId: `req-${index}`,
          status: "success",
          spans: [
            { name: "responseLatency", start: "2026-11-28T10:00:00.000Z", durationMs: 20 },
            { name: "responseDuration", start: "2026-11-28T10:00:00.020Z", durationMs: 100 },
          ],
          metrics: { durationMs: 130, producedBytes: bytes },
        },
      })}`,
      `2026-11-28T10:00:${second}.001Z ${JSON.stringify({
        time: "2026-11-28T10:00:00.001Z",
        type: "platform.report",
        record: {
          requestId: `req-${index}`,
          status: "success",
          metrics: {
            durationMs: 130,
            billedDurationMs: 130,
            memorySizeMB: 512,
            maxMemoryUsedMB: 80,
          },
        },
      })}`,
    ];
  });
  const file = join(folder, `${name}.log`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function recommendationsOf(files: string[]) {
  const aggregator = new MetricsAggregator();
  await readLogFiles(files, aggregator);
  const report = buildMetricsReport({
    aggregator,
    aws: [],
    source: { kind: "files", inputs: files, region: "us-east-1" },
    priceTable: BUNDLED_PRICE_TABLE,
    problems: [],
  });
  return new Map(
    report.functions.map((fn) => [
      fn.name,
      fn.recommendations.filter(
        (recommendation) => recommendation.id === "response-size-near-limit",
      ),
    ]),
  );
}

describe("response-size-near-limit", () => {
  it("recommends streaming when the largest measured response reaches 5 MB of the 6 MB buffered limit", async () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-near-limit-"));
    const files = [
      // 99 answers of 1 MB and one of 5.5 MB: the rare large one is what nears the limit.
      exportOf(folder, "export", [...Array(99).fill(MB), 5.5 * MB]),
      // Below 5 MB: nothing to say.
      exportOf(folder, "report", [...Array(99).fill(MB), 5 * MB - 1]),
      // A response beyond 6 MB went out streamed: the function streams already.
      exportOf(folder, "video", [5.5 * MB, 7 * MB]),
    ];
    const recommendations = await recommendationsOf(files);
    expect(recommendations.get("export")).toEqual([
      {
        id: "response-size-near-limit",
        severity: "warning",
        message:
          "Stream the response: the largest one measured is 5.5 MB, 92% of the 6 MB a buffered response may carry, so a slightly larger one will fail; response streaming (a Function URL with InvokeMode RESPONSE_STREAM, or a REST integration with ResponseTransferMode STREAM) carries up to 200 MB. The logs do not say whether the function streams already; if it does, nothing is near a limit.",
        evidence:
          "largest response 5,767,168 bytes (5.5 MB) of 6,291,456 buffered; mean 1.05 MB over 100 responses (platform.runtimeDone)",
        monthlySavingsUsd: null,
        monthlyCostUsd: null,
      },
    ]);
    expect(recommendations.get("report")).toEqual([]);
    expect(recommendations.get("video")).toEqual([]);
  });
});
