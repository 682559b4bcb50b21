/**
 * `esm optimize --html`: each mapping's current and recommended settings side by side, with the
 * predicted p99 age and monthly cost of both drawn as paired bars against the bound; the reasons
 * and the guide's advice as plain HTML.
 */

import type { EsmOptimizeResult, MappingOptimization } from "../esm/optimize/optimize-result.js";
import { formatUsd } from "../format.js";
import { describePricesUsed } from "../pricing/price-table.js";
import { htmlKpi, htmlList, renderEsmHtmlPage } from "./esm-html-page.js";
import {
  describeMapping,
  describeMappingDuration,
  describeMappingTraffic,
  describeOptimization,
  settingNames,
} from "./esm-optimize-text.js";
import { describeModelled, formatAge, settingValue } from "./esm-wording.js";
import { escapeHtml } from "./html-escape.js";

/** Per mapping, the p99 age and monthly cost of today's settings and the recommended ones. */
export function optimizeChartData(result: EsmOptimizeResult) {
  return {
    maxAgeSeconds: result.maxAgeSeconds,
    mappings: result.mappings.map((mapping, index) => ({
      canvas: `mapping-chart-${index}`,
      ageP99Seconds: [
        mapping.predicted.current.ageP99Seconds,
        mapping.predicted.recommended?.ageP99Seconds ?? null,
      ],
      monthlyUsd: [
        mapping.predicted.current.monthlyUsd,
        mapping.predicted.recommended?.monthlyUsd ?? null,
      ],
    })),
  };
}

function mappingSection(mapping: MappingOptimization, index: number): string {
  const { recommended } = mapping;
  const { current: now, recommended: next } = mapping.predicted;
  const rows = settingNames(mapping)
    .map((name) => {
      const changed =
        recommended !== null && (recommended[name] ?? null) !== (mapping.current[name] ?? null);
      return `<tr data-setting="${escapeHtml(name)}"${changed ? ' class="changed"' : ""}><td>${escapeHtml(name)}</td><td class="num">${escapeHtml(settingValue(mapping.current[name]))}</td><td class="num">${escapeHtml(recommended === null ? "—" : settingValue(recommended[name]))}</td></tr>`;
    })
    .join("\n");
  const advice = mapping.advice.map(
    (finding) =>
      `${finding.severity}${finding.line !== null ? ` (line ${finding.line})` : ""} ${finding.property}: ${finding.message} Fix: ${finding.fix}`,
  );
  return `<section class="card${next === null ? " verdict none" : " verdict"}" data-mapping="${escapeHtml(mapping.id)}" aria-labelledby="mapping-title-${index}">
<h2 id="mapping-title-${index}">${escapeHtml(describeMapping(mapping))}</h2>
<p class="note">Traffic: ${escapeHtml(describeMappingTraffic(mapping))}. Duration per batch: ${escapeHtml(describeMappingDuration(mapping))}. ${escapeHtml(mapping.searched.toLocaleString("en-US"))} settings simulated.</p>
<div class="kpis">
${htmlKpi("p99 age today", formatAge(now.ageP99Seconds), now.meetsBound ? "within the bound" : "outside the bound")}
${htmlKpi("p99 age recommended", next === null ? "—" : formatAge(next.ageP99Seconds), next === null ? "no setting meets the bound" : "within the bound")}
${htmlKpi("A month today", formatUsd(now.monthlyUsd), `${now.throttles.toLocaleString("en-US")} throttles`)}
${htmlKpi("A month recommended", next === null ? "—" : formatUsd(next.monthlyUsd), next === null ? "" : `${next.throttles.toLocaleString("en-US")} throttles`)}
</div>
<div class="charts">
<div class="table-wrap"><table class="settings">
<thead><tr><th>Setting</th><th class="num">Current</th><th class="num">Recommended</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
<figure class="chart-card"><div class="chart-box"><canvas id="mapping-chart-${index}" role="img" aria-label="Predicted p99 age and monthly cost, current and recommended"></canvas></div></figure>
</div>
<h3>Why</h3>${htmlList(mapping.reasons)}
<h3>The guide's advice (esm-config)</h3>${htmlList(advice)}
</section>`;
}

export function renderEsmOptimizeHtml(result: EsmOptimizeResult): string {
  const body = [
    ...result.mappings.map(mappingSection),
    `<section class="details">
<section class="card" aria-labelledby="modelled-title"><h2 id="modelled-title">Modelled, not documented by AWS or given</h2>${htmlList(result.modelled.map(describeModelled))}</section>
<section class="card" aria-labelledby="notes-title"><h2 id="notes-title">Notes</h2>${htmlList(result.notes)}</section>
</section>`,
  ].join("\n");
  return renderEsmHtmlPage({
    title: `Event source mappings: ${result.origin}`,
    eyebrow: "lambda-optimizer · esm optimize",
    facts: [
      ["Asked", describeOptimization(result)],
      ["Prices", describePricesUsed(result.prices)],
    ],
    body,
    footer: `Prices ${describePricesUsed(result.prices)}.`,
    chartData: optimizeChartData(result),
    chartScript: OPTIMIZE_CHART_SCRIPT,
  });
}

const OPTIMIZE_CHART_SCRIPT = `
  var money = function (value) { return "$" + Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 }); };
  data.mappings.forEach(function (mapping) {
    var bound = {
      id: "bound",
      afterDatasetsDraw: function (chart) {
        var y = chart.scales.y, area = chart.chartArea, ctx = chart.ctx, py = y.getPixelForValue(data.maxAgeSeconds);
        ctx.save();
        ctx.strokeStyle = "#b91c1c"; ctx.setLineDash([4, 4]); ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(area.left, py); ctx.lineTo(area.right, py); ctx.stroke();
        ctx.restore();
      }
    };
    new Chart(document.getElementById(mapping.canvas), {
      type: "bar",
      data: {
        labels: ["current", "recommended"],
        datasets: [
          { label: "p99 age (s)", data: mapping.ageP99Seconds, backgroundColor: "#2563eb", yAxisID: "y" },
          { label: "USD a month", data: mapping.monthlyUsd, backgroundColor: "#ea580c", yAxisID: "y2" }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: {
          y: { beginAtZero: true, suggestedMax: data.maxAgeSeconds * 1.1, title: { display: true, text: "p99 age (s); dashed: the bound" } },
          y2: { position: "right", beginAtZero: true, title: { display: true, text: "USD a month" }, grid: { display: false }, ticks: { callback: money } }
        }
      },
      plugins: [bound]
    });
  });
`;
