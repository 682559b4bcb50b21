/**
 * The HTML report's stylesheet: system fonts only (a web font would be a network request), one
 * column on a phone, two charts side by side on a wide screen, and a print layout.
 */
export const REPORT_CSS = `
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --paper: #ffffff; --canvas: #f8fafc;
  --accent: #0f766e; --accent-soft: #ccfbf1; --good: #15803d; --good-soft: #dcfce7;
  --bad: #b91c1c; --bad-soft: #fee2e2; --warn: #a16207; --warn-soft: #fef9c3;
  --x86: #2563eb; --arm: #ea580c;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--canvas); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 1280px; margin: 0 auto; padding: 24px 20px 48px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2 { font-size: 1.05rem; font-weight: 650; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }

.report-header { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-end; justify-content: space-between; margin-bottom: 20px; }
.eyebrow { color: var(--accent); font-weight: 600; font-size: 0.8rem; letter-spacing: 0.06em; text-transform: uppercase; }
.report-header h1 { font-size: 1.75rem; font-weight: 700; word-break: break-word; }
.target-badge { display: inline-block; margin-left: 8px; padding: 2px 10px; border-radius: 999px; font-size: 0.75rem; font-weight: 600; vertical-align: middle; background: var(--accent-soft); color: var(--accent); }
.facts { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 10px 0 0; color: var(--muted); font-size: 0.875rem; }
.facts div { display: flex; gap: 6px; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; color: var(--ink); word-break: break-all; }

.card { background: var(--paper); border: 1px solid var(--line); border-radius: 12px; padding: 20px; box-shadow: 0 1px 2px rgb(15 23 42 / 0.04); }
section + section { margin-top: 20px; }

.verdict { border-left: 6px solid var(--good); }
.verdict.none { border-left-color: var(--bad); }
.verdict-title { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px; margin: 6px 0 16px; }
.verdict-title .choice { font-size: 2rem; font-weight: 750; letter-spacing: -0.01em; }
.verdict h2 { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(190px, 100%), 1fr)); gap: 12px; }
.kpi { background: var(--canvas); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.kpi .label { display: block; color: var(--muted); font-size: 0.78rem; font-weight: 600; }
.kpi .value { display: block; font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.kpi .sub { display: block; color: var(--muted); font-size: 0.82rem; }
.kpi.saving .value { color: var(--good); }
.kpi.dearer .value { color: var(--warn); }
.reason { margin: 16px 0 0; font-size: 1rem; }
.note { margin: 8px 0 0; color: var(--muted); font-size: 0.9rem; }

.arch { display: inline-block; padding: 1px 8px; border-radius: 6px; font-size: 0.8rem; font-weight: 600; color: #fff; }
.arch-x86_64 { background: var(--x86); }
.arch-arm64 { background: var(--arm); }
.chip { display: inline-block; padding: 1px 8px; margin: 2px 2px; border-radius: 999px; background: var(--warn-soft); color: var(--warn); font-size: 0.82rem; font-weight: 600; white-space: nowrap; }

.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 20px; }
/* min-width 0: a grid item is otherwise as wide as its canvas, and a canvas never shrinks first. */
.chart-card { margin: 0; min-width: 0; }
.chart-card figcaption p { margin: 2px 0 12px; color: var(--muted); font-size: 0.85rem; }
.chart-box { position: relative; height: 340px; }

.table-wrap { overflow-x: auto; margin-top: 12px; border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { padding: 7px 8px; border-bottom: 1px solid var(--line); }
th { position: sticky; top: 0; background: #f1f5f9; color: #334155; font-weight: 650; text-align: left; vertical-align: bottom; line-height: 1.25; }
th.num { text-align: right; }
tbody tr:hover { background: #f8fafc; }
tbody tr:last-child td { border-bottom: 0; }
tr.recommended { background: var(--good-soft) !important; }
tr.recommended td:first-child { box-shadow: inset 4px 0 0 var(--good); }
tr.failed td { color: var(--bad); }
tr.failed td.mem { color: var(--ink); }
.status { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 0.78rem; font-weight: 650; }
.status-ok { background: var(--good-soft); color: var(--good); }
.status-failed { background: var(--bad-soft); color: var(--bad); }
.status-modelled { background: var(--warn-soft); color: var(--warn); }
.run-verdict { border-left: 6px solid var(--good); }
.run-verdict.doubtful { border-left-color: var(--warn); background: var(--warn-soft); }
.run-verdict ul { margin: 8px 0 0; padding-left: 20px; }
.standing-cell { width: 1.5em; padding-right: 0; text-align: center; }
.standing { font-size: 1rem; font-weight: 700; cursor: help; }
.standing.recommended { color: var(--good); }
.standing.tied { color: var(--warn); }
tr.failed:has(+ tr.error-row) td { border-bottom: 0; }
tr.error-row td { padding-top: 0; font-size: 0.82rem; word-break: break-word; }
.legend-line { margin: 10px 0 0; color: var(--muted); font-size: 0.82rem; }

.details { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 20px; }
.details > * { min-width: 0; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 12px 0 0; font-size: 0.9rem; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; word-break: break-word; }

footer { margin-top: 28px; color: var(--muted); font-size: 0.8rem; }
footer p { margin: 4px 0; }

@media (max-width: 640px) {
  .page { padding: 16px 12px 32px; }
  .charts { grid-template-columns: 1fr; }
  .chart-box { height: 280px; }
  .verdict-title .choice { font-size: 1.6rem; }
  .kv { grid-template-columns: 1fr; gap: 0; }
  .kv dd { margin-bottom: 8px; }
}
@media print {
  body { background: #fff; }
  .card { box-shadow: none; break-inside: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
  th { position: static; }
}
`;
