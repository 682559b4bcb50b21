/**
 * `esm simulate --html`: one simulated run as a self-contained page. Three charts over the run's
 * time: the backlog, the age of the oldest record not yet processed, and the concurrency with
 * the throttles of each span; the figures, the settings, the bill line by line and what is
 * modelled are plain HTML.
 */

import type { EsmSimulationResult } from "../esm/simulation/simulation-result.js";
import { formatUsd } from "../format.js";
import { describePricesUsed } from "../pricing/price-table.js";
import { htmlKpi, htmlList, renderEsmHtmlPage } from "./esm-html-page.js";
import { describeSimulationRun, simulationFigures } from "./esm-simulation-text.js";
import {
  describeModelled,
  describeSpan,
  formatAge,
  SOURCE_LABELS,
  settingValue,
  timeLabel,
} from "./esm-wording.js";
import { escapeHtml } from "./html-escape.js";

/** What the charts draw, every label prepared here so the page's script only lays out datasets. */
export function simulationChartData(result: EsmSimulationResult) {
  const { timeline } = result;
  return {
    labels: timeline.map((point) => timeLabel(point.atSeconds)),
    backlog: timeline.map((point) => point.backlog),
    oldestAgeSeconds: timeline.map((point) => point.oldestAgeSeconds),
    concurrency: timeline.map((point) => point.concurrency),
    throttles: timeline.map((point) => point.throttles),
  };
}

export function renderEsmSimulationHtml(result: EsmSimulationResult): string {
  const figures = simulationFigures(result);
  const settings = Object.entries(result.settings)
    .map(
      ([name, value]) =>
        `<tr><td>${escapeHtml(name)}</td><td class="num">${escapeHtml(settingValue(value))}</td></tr>`,
    )
    .join("\n");
  const bill = result.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.label)}</td><td class="mono">${escapeHtml(line.formula ?? "")}</td><td class="num">${escapeHtml(formatUsd(line.usd))}</td></tr>`,
    )
    .join("\n");
  const body = `<section class="card verdict" aria-labelledby="figures-title">
<h2 id="figures-title">${escapeHtml(describeSimulationRun(result))}</h2>
<div class="kpis">
${htmlKpi("Age p99", formatAge(result.ageP99Seconds), `p50 ${formatAge(result.ageP50Seconds)}, max ${formatAge(result.maxAgeSeconds)}`, "kpi-age")}
${htmlKpi("Backlog at the end", result.backlogEnd.toLocaleString("en-US"), `of ${result.arrived.toLocaleString("en-US")} arrived`, "kpi-backlog")}
${htmlKpi("Peak concurrency", result.concurrencyMax.toLocaleString("en-US"), `${result.throttles.toLocaleString("en-US")} throttles`, "kpi-concurrency")}
${htmlKpi("Per month", formatUsd(result.monthlyUsd), `${formatUsd(result.periodUsd)} over the ${describeSpan(result.periodSeconds)}`, "kpi-cost")}
</div>
<div class="table-wrap"><table id="figures"><tbody>
${figures.map(([name, value]) => `<tr><td>${escapeHtml(name)}</td><td class="num">${escapeHtml(value)}</td></tr>`).join("\n")}
</tbody></table></div>
</section>
<section class="charts" aria-label="Charts">
<figure class="card chart-card">
<figcaption><h2>Backlog</h2><p>Records arrived and not yet processed (waiting, in flight, or to be retried).</p></figcaption>
<div class="chart-box"><canvas id="backlog-chart" role="img" aria-label="Backlog over time"></canvas></div>
</figure>
<figure class="card chart-card">
<figcaption><h2>Age of the oldest record</h2><p>What ApproximateAgeOfOldestMessage or IteratorAge would show, in seconds.</p></figcaption>
<div class="chart-box"><canvas id="age-chart" role="img" aria-label="Age of the oldest record over time"></canvas></div>
</figure>
<figure class="card chart-card wide">
<figcaption><h2>Concurrency and throttles</h2><p>The most invocations running at once in each span (line), and the invocations throttled in it (bars).</p></figcaption>
<div class="chart-box"><canvas id="concurrency-chart" role="img" aria-label="Concurrency and throttles over time"></canvas></div>
</figure>
</section>
<section class="details">
<section class="card" aria-labelledby="settings-title"><h2 id="settings-title">Settings used</h2>
<div class="table-wrap"><table id="settings"><tbody>
${settings}
</tbody></table></div></section>
<section class="card" aria-labelledby="bill-title"><h2 id="bill-title">The bill: ${escapeHtml(formatUsd(result.periodUsd))} over the run</h2>
<div class="table-wrap"><table id="bill"><tbody>
${bill}
</tbody></table></div>
<p class="note">A month is 730 hours: ${escapeHtml(formatUsd(result.monthlyUsd))}.</p></section>
</section>
<section class="details">
<section class="card" aria-labelledby="modelled-title"><h2 id="modelled-title">Modelled, not documented by AWS or given</h2>${htmlList(result.modelled.map(describeModelled))}</section>
<section class="card" aria-labelledby="notes-title"><h2 id="notes-title">Notes</h2>${htmlList(result.notes)}</section>
</section>`;
  return renderEsmHtmlPage({
    title: `${SOURCE_LABELS[result.source]} event source mapping, simulated`,
    eyebrow: "lambda-optimizer · esm simulate",
    facts: [
      ["Run", `${describeSpan(result.periodSeconds)}, seed ${result.seed}`],
      ["Prices", describePricesUsed(result.prices)],
    ],
    body,
    footer: `Prices ${describePricesUsed(result.prices)}.`,
    chartData: simulationChartData(result),
    chartScript: SIMULATION_CHART_SCRIPT,
  });
}

const SIMULATION_CHART_SCRIPT = `
  var base = function (yTitle) {
    return {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true, boxHeight: 8 } } },
      scales: {
        x: { title: { display: true, text: "time from the start" }, ticks: { maxTicksLimit: 12 }, grid: { display: false } },
        y: { beginAtZero: true, title: { display: true, text: yTitle }, grid: { color: "#eef2f7" } }
      }
    };
  };
  var line = function (label, values, color) {
    return { label: label, data: values, borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 1.5 };
  };
  new Chart(document.getElementById("backlog-chart"), {
    type: "line",
    data: { labels: data.labels, datasets: [line("backlog", data.backlog, "#2563eb")] },
    options: base("records")
  });
  new Chart(document.getElementById("age-chart"), {
    type: "line",
    data: { labels: data.labels, datasets: [line("oldest age (s)", data.oldestAgeSeconds, "#ea580c")] },
    options: base("seconds")
  });
  var concurrency = base("concurrent invocations");
  concurrency.scales.y2 = { position: "right", beginAtZero: true, title: { display: true, text: "throttles" }, grid: { display: false } };
  new Chart(document.getElementById("concurrency-chart"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        Object.assign(line("concurrency", data.concurrency, "#0f766e"), { type: "line", yAxisID: "y", order: 1 }),
        { label: "throttles", data: data.throttles, backgroundColor: "#fca5a5", yAxisID: "y2", order: 2 }
      ]
    },
    options: concurrency
  });
`;
