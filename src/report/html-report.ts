/**
 * `tune --html`: the tuning run as one self-contained HTML file to keep, attach or send. Chart.js
 * and the data are inlined and a Content-Security-Policy forbids every fetch, so it opens offline
 * and can never call out. The table and the verdict are plain HTML: they read without JavaScript.
 * Every string from the result is escaped; a function's name is whatever its owner typed.
 */
import { formatCount, formatMs, formatNumber, formatPercent, formatUsd } from "../format.js";
import { describePricesUsed } from "../pricing/price-table.js";
import type { ConfigurationResult, TuneResult } from "../tuning/tune-result.js";
import { VERSION } from "../version.js";
import { chartDataOf } from "./chart-data.js";
import { chartJsSource } from "./chart-library.js";
import { CHART_SCRIPT } from "./html-chart-script.js";
import { escapeHtml, jsonForScript } from "./html-escape.js";
import { REPORT_CSS } from "./html-styles.js";
import { formatUtcTime } from "./report-format.js";
import {
  describeConfiguration,
  functionTitle,
  hasFirstByteTimes,
  hasSamples,
  modelledArchitectures,
  sloBound,
  sortedConfigurations,
  standingOf,
  strategyDescription,
} from "./report-model.js";
import { describeRunSandbox } from "./sandbox-text.js";

/** Nothing may be fetched: scripts and styles are inline, the icon is a data: URL. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const NOT_MEASURED = "—";

export function renderHtmlReport(result: TuneResult): string {
  const title = `Power tuning: ${functionTitle(result)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="lambda-optimizer ${escapeHtml(VERSION)}">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${REPORT_CSS}</style>
</head>
<body>
<div class="page">
${header(result)}
<main>
${verdict(result)}
${runVerdict(result)}
${charts(result)}
${configurationTable(result)}
${details(result)}
</main>
${footer(result)}
</div>
<script type="application/json" id="tune-chart-data">${jsonForScript(chartDataOf(result))}</script>
<script>${chartJsSource()}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

function header(result: TuneResult): string {
  const { target, prices, sandbox } = result;
  const facts: [string, string][] = [
    ["Region", target.region],
    ["Run", formatUtcTime(result.createdAt)],
    ["Prices", describePricesUsed(prices)],
  ];
  if (target.kind === "local") {
    facts.push(["Engine", `embedded emulator${target.endpoint ? ` at ${target.endpoint}` : ""}`]);
    if (sandbox) {
      facts.push(["Sandbox", describeRunSandbox(sandbox)]);
    }
  } else {
    facts.push(["Engine", target.endpoint ? `Lambda API at ${target.endpoint}` : "AWS Lambda"]);
  }
  if (target.local) facts.push(["Handler", target.local.handler]);
  if (target.local?.template) facts.push(["Template", target.local.template]);
  facts.push(["Function ARN", target.functionArn]);
  return `<header class="report-header">
<div>
<div class="eyebrow">lambda-optimizer · power tuning</div>
<h1>${escapeHtml(functionTitle(result))}<span class="target-badge">${target.kind === "local" ? "local run" : "AWS"}</span></h1>
<dl class="facts">${facts.map(([term, value]) => `<div><dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd></div>`).join("")}</dl>
</div>
</header>`;
}

function verdict(result: TuneResult): string {
  const recommendation = result.recommendation;
  if (recommendation === null) return noVerdict(result);
  const saving = recommendation.savingVsOriginal;
  const original = describeConfiguration(result.original);
  const savingKpi =
    saving === null
      ? kpi("Against the original", NOT_MEASURED, `${original} was not measured`)
      : saving.perInvocationUsd >= 0
        ? kpi(
            `Saving against ${original}`,
            formatPercent(saving.percent / 100, 1),
            `${formatUsd(saving.per1MInvocationsUsd)} per 1M invocations`,
            "saving",
          )
        : kpi(
            `Against ${original}`,
            `+${formatPercent(-saving.percent / 100, 1)}`,
            `costs ${formatUsd(-saving.per1MInvocationsUsd)} more per 1M`,
            "dearer",
          );
  const ties = recommendation.tiedWith;
  const applied = result.applied;
  return `<section class="card verdict" aria-labelledby="verdict-title">
<h2 id="verdict-title">Recommendation</h2>
<div class="verdict-title"><span class="choice">${escapeHtml(formatNumber(recommendation.memoryMb))} MB</span>${archBadge(recommendation.architecture)}</div>
<div class="kpis">
${kpi("Cost per invocation", formatUsd(recommendation.costPerInvocationUsd), `${formatUsd(recommendation.costPerInvocationUsd * 1e6)} per 1M invocations`)}
${kpi("Duration p50", `${formatMs(recommendation.durationMsP50)} ms`, `p95 ${formatMs(recommendation.durationMsP95)} ms`)}
${recommendation.ttfbMsP50 != null && recommendation.ttfbMsP95 != null ? kpi("First byte p50", `${formatMs(recommendation.ttfbMsP50)} ms`, `p95 ${formatMs(recommendation.ttfbMsP95)} ms`) : ""}
${savingKpi}
${kpi("Strategy", recommendation.strategy, strategyDescription(result).replace(/^\w+: /, ""))}
</div>
<p class="reason">${escapeHtml(recommendation.reason)}</p>
${ties.length > 0 ? `<p class="note">Tied within noise (overlapping 95% confidence intervals of cost): ${ties.map((tie) => `<span class="chip">${escapeHtml(describeConfiguration(tie))}</span>`).join(" ")}</p>` : ""}
${applied ? `<p class="note">Applied: ${escapeHtml(describeConfiguration(applied))} on ${applied.alias === null ? "$LATEST" : `alias <code>${escapeHtml(applied.alias)}</code>${applied.version === null ? "" : ` (version ${escapeHtml(applied.version)})`}`}.</p>` : ""}
</section>`;
}

/** Whether the figures can be trusted: a busy host, wide intervals, only the error path measured. */
function runVerdict(result: TuneResult): string {
  const verdict = result.verdict;
  if (!verdict) return "";
  const doubtful = verdict.status === "doubtful";
  const warnings =
    verdict.warnings.length > 0
      ? `<ul>${verdict.warnings.map((warning) => `<li>${escapeHtml(warning.message)}</li>`).join("")}</ul>`
      : "";
  return `<section class="card run-verdict${doubtful ? " doubtful" : ""}" aria-labelledby="run-verdict-title">
<h2 id="run-verdict-title">Can these figures be trusted?</h2>
<p class="reason">${escapeHtml(verdict.summary)}.</p>
${warnings}
</section>`;
}

function noVerdict(result: TuneResult): string {
  const keeps = `The function keeps its original configuration, ${describeConfiguration(result.original)}.`;
  const everyFailed = result.results.every((configuration) => configuration.status === "failed");
  let headline = "No recommendation";
  let detail = keeps;
  if (everyFailed) {
    headline = "Every configuration failed";
    detail = `No configuration completed its invocations; the table below shows each one's error. ${keeps}`;
  } else if (result.settings.strategy === "slo") {
    const bound = sloBound(result.settings.maxP95Ms, result.settings.maxP99Ms);
    headline = `No configuration meets the SLO (${bound})`;
    const closest = result.closestToSlo;
    detail =
      closest === null
        ? keeps
        : `The closest is ${describeConfiguration(closest)}, at ${formatMs(closest.percentileMs)} ms. ${keeps}`;
  }
  return `<section class="card verdict none" aria-labelledby="verdict-title">
<h2 id="verdict-title">Recommendation</h2>
<div class="verdict-title"><span class="choice">${escapeHtml(headline)}</span></div>
<p class="reason">${escapeHtml(detail)}</p>
</section>`;
}

function kpi(label: string, value: string, sub: string, kind = ""): string {
  return `<div class="kpi${kind ? ` ${kind}` : ""}"><span class="label">${escapeHtml(label)}</span><span class="value">${escapeHtml(value)}</span><span class="sub">${escapeHtml(sub)}</span></div>`;
}

function archBadge(architecture: string): string {
  return `<span class="arch arch-${escapeHtml(architecture)}">${escapeHtml(architecture)}</span>`;
}

function charts(result: TuneResult): string {
  const anyFailed = result.results.some((configuration) => configuration.status === "failed");
  const failedNote = anyFailed ? " A red ✕ on the axis marks a configuration that failed." : "";
  return `<section class="charts" aria-label="Charts">
<figure class="card chart-card">
<figcaption><h2>Cost per 1M invocations</h2><p>Mean cost per invocation × 1M, with its 95% bootstrap confidence interval as error bars. One line per architecture; ★ the recommendation.${failedNote}</p></figcaption>
<div class="chart-box"><canvas id="cost-chart" role="img" aria-label="Cost per 1M invocations over memory size, one line per architecture"></canvas></div>
</figure>
<figure class="card chart-card">
<figcaption><h2>Duration</h2><p>p50 (solid) and p95 (dashed), shaded between, per architecture; ★ the recommendation.${failedNote}</p></figcaption>
<div class="chart-box"><canvas id="duration-chart" role="img" aria-label="p50 and p95 duration over memory size, one line per architecture"></canvas></div>
</figure>
</section>`;
}

/** The table's columns; time to first byte beside the durations when the run measured it. */
const tableHeaders = (firstByte: boolean): readonly [string, boolean][] => [
  ["", false],
  ["Memory", true],
  ["Arch", false],
  ["Status", false],
  ["Invocations", true],
  ["Errors", true],
  ["p50 ms", true],
  ["p95 ms", true],
  ["p99 ms", true],
  ...(firstByte
    ? ([
        ["TTFB p50 ms", true],
        ["TTFB p95 ms", true],
      ] as [string, boolean][])
    : []),
  ["Billed ms", true],
  ["Per invocation", true],
  ["Per 1M", true],
  ["95% CI per 1M", true],
  ["Cold start", true],
];

function configurationTable(result: TuneResult): string {
  const firstByte = hasFirstByteTimes(result);
  const head = tableHeaders(firstByte)
    .map(
      ([name, numeric]) =>
        `<th scope="col"${numeric ? ' class="num"' : ""}>${escapeHtml(name)}</th>`,
    )
    .join("");
  const rows = sortedConfigurations(result)
    .map((configuration) => configurationRow(result, configuration, firstByte))
    .join("\n");
  return `<section class="card" aria-labelledby="table-title">
<h2 id="table-title">Every configuration</h2>
<div class="table-wrap"><table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
${modelledArchitectures(result)
  .map(
    (entry) =>
      `<p class="legend-line">† ${escapeHtml(entry.architecture)} durations ${escapeHtml(entry.duration)}: this machine's ${escapeHtml(entry.measuredOn)} samples, priced at ${escapeHtml(entry.architecture)}'s rates. The choice between architectures is made on price alone.</p>`,
  )
  .join("\n")}
<p class="legend-line">★ recommended; ≈ tied with it within noise (overlapping 95% confidence intervals of cost). Durations are per warm invocation; billed ms is the mean billed duration. The cold start (init + duration) is the warm-up invocation's, kept out of the samples.${firstByte ? " TTFB is the time from the invocation's start to the first byte of its answer (a buffered answer's: all of it); cost is priced on billed duration all the same." : ""} Costs are billed durations priced at the ${escapeHtml(result.prices.date)} price table (duration + request): a model of the bill, not the bill.</p>
</section>`;
}

function configurationRow(
  result: TuneResult,
  configuration: ConfigurationResult,
  firstByte: boolean,
): string {
  const standing = standingOf(result, configuration);
  const measured = hasSamples(configuration);
  const cell = (text: string) => `<td class="num">${escapeHtml(text)}</td>`;
  const mark = configuration.modelled ? " †" : "";
  const ms = (value: number) => cell(measured ? `${formatMs(value)}${mark}` : NOT_MEASURED);
  const usd = (value: number) => cell(measured ? formatUsd(value) : NOT_MEASURED);
  const error = configuration.error;
  const modelled = configuration.modelled;
  const status =
    configuration.status === "failed"
      ? `<span class="status status-failed">failed</span>`
      : modelled
        ? `<span class="status status-modelled" title="${escapeHtml(`durations ${modelled.duration}`)}">modelled</span>`
        : `<span class="status status-ok">ok</span>`;
  const standingMark =
    standing === "recommended"
      ? `<span class="standing recommended" title="recommended">★</span>`
      : standing === "tied"
        ? `<span class="standing tied" title="tied with the recommendation within noise">≈</span>`
        : "";
  // The error gets a row of its own under its configuration: messages run long.
  const errorRow = error
    ? `\n<tr class="failed error-row"><td></td><td></td><td colspan="${tableHeaders(firstByte).length - 2}"><code>${escapeHtml(error.type)}</code>: ${escapeHtml(error.message)}</td></tr>`
    : "";
  const coldStart = configuration.coldStart;
  const coldStartText =
    coldStart === null
      ? NOT_MEASURED
      : coldStart.initDurationMs === null
        ? `${formatMs(coldStart.durationMs)} ms`
        : `${formatMs(coldStart.initDurationMs)} + ${formatMs(coldStart.durationMs)} ms`;
  const classes = [standing ?? "", configuration.status === "failed" ? "failed" : ""]
    .filter(Boolean)
    .join(" ");
  return `<tr${classes ? ` class="${classes}"` : ""}>
<td class="standing-cell">${standingMark}</td>
<td class="num mem">${escapeHtml(formatNumber(configuration.memoryMb))} MB</td>
<td class="arch-cell">${archBadge(configuration.architecture)}</td>
<td>${status}</td>
${cell(formatNumber(configuration.invocations))}
${cell(formatNumber(configuration.errors))}
${ms(configuration.durationMs.p50)}
${ms(configuration.durationMs.p95)}
${ms(configuration.durationMs.p99)}
${firstByte ? [configuration.ttfbMs?.p50, configuration.ttfbMs?.p95].map((value) => (value == null ? cell(NOT_MEASURED) : ms(value))).join("\n") : ""}
${ms(configuration.billedDurationMs.mean)}
${usd(configuration.costPerInvocationUsd)}
${usd(configuration.costPer1MInvocationsUsd)}
${cell(measured ? `${formatUsd(configuration.costCi95.low * 1e6)} – ${formatUsd(configuration.costCi95.high * 1e6)}` : NOT_MEASURED)}
${cell(coldStartText)}
</tr>${errorRow}`;
}

function details(result: TuneResult): string {
  const { settings } = result;
  const counted = result.results.reduce((sum, configuration) => sum + configuration.invocations, 0);
  const errors = result.results.reduce((sum, configuration) => sum + configuration.errors, 0);
  const failed = result.results.filter((configuration) => configuration.status === "failed");
  const onOff = (value: boolean) => (value ? "yes" : "no");
  const settingRows: [string, string][] = [
    ["Memory sizes", `${settings.memoryMb.map((mb) => formatNumber(mb)).join(", ")} MB`],
    ["Architectures", settings.architectures.join(", ")],
    ["Invocations per configuration", formatNumber(settings.num)],
    ["Strategy", strategyDescription(result)],
    ["Discarded for the trimmed mean", formatPercent(settings.discard, 1)],
    [
      "Invocation",
      settings.parallel
        ? `in parallel, up to ${formatNumber(settings.concurrency)} at once`
        : "serial",
    ],
    ["Only cold starts", onOff(settings.onlyColdStarts)],
    [
      "Until confident",
      settings.untilConfident ? `yes, up to ${formatNumber(settings.maxNum)} invocations` : "no",
    ],
    [
      "Allowed exceptions",
      settings.allowedExceptions.length > 0 ? settings.allowedExceptions.join(", ") : "none",
    ],
    ["Distinct payloads", formatNumber(settings.payloads)],
  ];
  const runRows: [string, string][] = [
    [
      "Tuning cost",
      `${formatUsd(result.tuningCostUsd)} (every invocation, warm-ups and failures included)`,
    ],
    [
      "Invocations",
      `${formatCount(counted)} counted, ${formatCount(errors)} failed (warm-ups not included)`,
    ],
    [
      "Configurations",
      `${formatNumber(result.results.length)} tested, ${formatNumber(failed.length)} failed`,
    ],
    [
      "Original configuration",
      `${describeConfiguration(result.original)}${result.original.costPerInvocationUsd === null ? " (not measured)" : `, ${formatUsd(result.original.costPerInvocationUsd)} per invocation`}`,
    ],
    [
      "Applied",
      result.applied === null
        ? "no: the function was left exactly as it was"
        : describeConfiguration(result.applied),
    ],
  ];
  return `<section class="details">
<div class="card"><h2>Settings</h2>${keyValues(settingRows)}</div>
<div class="card"><h2>This run</h2>${keyValues(runRows)}</div>
</section>`;
}

function keyValues(rows: readonly [string, string][]): string {
  return `<dl class="kv">${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>`;
}

function footer(result: TuneResult): string {
  return `<footer>
<p>Generated by lambda-optimizer ${escapeHtml(VERSION)} on ${escapeHtml(formatUtcTime(result.createdAt))}. This file is self-contained: it makes no network request.</p>
</footer>`;
}
