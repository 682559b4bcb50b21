/**
 * The script the HTML report runs to draw its charts with Chart.js. It is plain browser
 * JavaScript kept as text (not a TypeScript function turned into a string) so that what ships is
 * exactly what is written here, whatever compiles or instruments the module around it.
 *
 * It reads its data from the JSON script element built by chart-data.ts. Every label and tooltip
 * line is prepared there, so formatting lives in one place; this script only lays out datasets.
 * Confidence intervals are drawn by a small plugin (error bars) rather than a chart.js add-on, so
 * the report carries one library only.
 */
export const CHART_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tune-chart-data").textContent);
  var FAILED = "#b91c1c";
  var RECOMMENDED = "#15803d";

  function translucent(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  var errorBars = {
    id: "errorBars",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var y = chart.scales.y;
      chart.data.datasets.forEach(function (dataset, index) {
        if (!dataset.errorBars || !chart.isDatasetVisible(index)) return;
        chart.getDatasetMeta(index).data.forEach(function (point, pointIndex) {
          var raw = dataset.data[pointIndex];
          if (!raw || raw.y === null || raw.low === undefined) return;
          var top = y.getPixelForValue(raw.high);
          var bottom = y.getPixelForValue(raw.low);
          ctx.save();
          ctx.strokeStyle = dataset.borderColor;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(point.x, top); ctx.lineTo(point.x, bottom);
          ctx.moveTo(point.x - 5, top); ctx.lineTo(point.x + 5, top);
          ctx.moveTo(point.x - 5, bottom); ctx.lineTo(point.x + 5, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };

  function markerDatasets(valueKey) {
    var sets = [];
    if (data.failed.length > 0) {
      sets.push({
        label: "Failed",
        data: data.failed.map(function (f) { return { x: f.x, y: 0, tooltip: f.tooltip }; }),
        showLine: false,
        pointStyle: "crossRot",
        pointRadius: 9,
        pointHoverRadius: 11,
        pointBorderWidth: 3,
        borderColor: FAILED,
        backgroundColor: FAILED,
        clip: false
      });
    }
    if (data.recommended) {
      sets.push({
        label: "Recommended",
        data: [{ x: data.recommended.x, y: data.recommended[valueKey], tooltip: data.recommended.tooltip }],
        showLine: false,
        pointStyle: "star",
        pointRadius: 13,
        pointHoverRadius: 15,
        pointBorderWidth: 2.5,
        borderColor: RECOMMENDED,
        backgroundColor: translucent(RECOMMENDED, 0.35),
        order: -1,
        clip: false
      });
    }
    return sets;
  }

  function baseOptions(yTitle, formatTick) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: { xAxisKey: "x", yAxisKey: "y" },
      interaction: { mode: "x", intersect: false },
      scales: {
        x: { type: "category", title: { display: true, text: "Memory (MB)" }, grid: { display: false } },
        y: {
          beginAtZero: true,
          title: { display: true, text: yTitle },
          ticks: { callback: formatTick },
          grid: { color: "#eef2f7" }
        }
      },
      plugins: {
        legend: { position: "bottom", labels: { usePointStyle: true, boxHeight: 8, padding: 14 } },
        tooltip: {
          callbacks: {
            title: function (items) { return items.length ? items[0].label + " MB" : ""; },
            label: function (item) { return item.raw && item.raw.tooltip ? item.raw.tooltip : ""; }
          }
        }
      }
    };
  }

  var costDatasets = data.series.map(function (s) {
    return {
      label: s.architecture,
      data: s.cost,
      borderColor: s.color,
      backgroundColor: s.color,
      pointRadius: 4,
      pointHoverRadius: 6,
      borderWidth: 2.5,
      tension: 0.2,
      spanGaps: false,
      errorBars: true
    };
  }).concat(markerDatasets("cost"));

  var durationDatasets = [];
  data.series.forEach(function (s) {
    durationDatasets.push({
      label: s.architecture + " p50",
      data: s.p50,
      borderColor: s.color,
      backgroundColor: s.color,
      pointRadius: 4,
      pointHoverRadius: 6,
      borderWidth: 2.5,
      tension: 0.2,
      spanGaps: false
    });
    durationDatasets.push({
      label: s.architecture + " p95",
      data: s.p95,
      borderColor: s.color,
      backgroundColor: translucent(s.color, 0.12),
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 2,
      pointHoverRadius: 5,
      tension: 0.2,
      spanGaps: false,
      fill: "-1"
    });
  });
  durationDatasets = durationDatasets.concat(markerDatasets("p50"));

  new Chart(document.getElementById("cost-chart"), {
    type: "line",
    data: { labels: data.labels, datasets: costDatasets },
    options: baseOptions("USD per 1M invocations", function (value) { return "$" + Number(value).toFixed(2); }),
    plugins: [errorBars]
  });
  new Chart(document.getElementById("duration-chart"), {
    type: "line",
    data: { labels: data.labels, datasets: durationDatasets },
    options: baseOptions("Duration (ms)", function (value) { return Number(value).toLocaleString("en-US") + " ms"; })
  });
})();
`;
