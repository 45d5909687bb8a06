// The same figures as an offline HTML page with inline SVG charts (no script, no external resource).
import type { DemoReport } from './report.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function lineChart(values: readonly number[], width = 640, height = 200): string {
  const pad = 30;
  const points = values
    .map((v, i) => `${(pad + (i / Math.max(1, values.length - 1)) * (width - 2 * pad)).toFixed(1)},${(height - pad - v * (height - 2 * pad)).toFixed(1)}`)
    .join(' ');
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((g) => {
      const y = height - pad - g * (height - 2 * pad);
      return `<line x1="${pad}" x2="${width - pad}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="2" y="${y + 4}" font-size="10">${g * 100}%</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="hit rate over time" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${grid}<polyline fill="none" stroke="#2a7" stroke-width="2" points="${points}"/><text x="${width / 2}" y="${height - 5}" font-size="11" text-anchor="middle">requests →</text></svg>`;
}

function histogram(withCache: readonly number[], withoutCache: readonly number[], width = 640, height = 220): string {
  const edges = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, Infinity];
  const count = (values: readonly number[]) => edges.slice(0, -1).map((lo, i) => values.filter((v) => v >= lo && v < (edges[i + 1] ?? Infinity)).length);
  const a = count(withCache);
  const b = count(withoutCache);
  const max = Math.max(1, ...a, ...b);
  const pad = 30;
  const slot = (width - 2 * pad) / a.length;
  const bars = a
    .map((n, i) => {
      const x = pad + i * slot;
      const h1 = (n / max) * (height - 2 * pad);
      const h2 = ((b[i] ?? 0) / max) * (height - 2 * pad);
      const label = edges[i + 1] === Infinity ? `≥${edges[i]}` : `<${edges[i + 1]}`;
      return `<rect x="${x + 2}" y="${height - pad - h1}" width="${slot / 2 - 3}" height="${h1}" fill="#2a7"><title>with cache ${label} ms: ${n}</title></rect>` +
        `<rect x="${x + slot / 2}" y="${height - pad - h2}" width="${slot / 2 - 3}" height="${h2}" fill="#c55"><title>without cache ${label} ms: ${b[i] ?? 0}</title></rect>` +
        `<text x="${x + slot / 2}" y="${height - pad + 12}" font-size="9" text-anchor="middle">${label}</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="latency histogram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars}<text x="${width / 2}" y="${height - 4}" font-size="11" text-anchor="middle">latency, ms (green: with the cache, red: without)</text></svg>`;
}

/** A self-contained HTML page of `report`. */
export function renderHtml(report: DemoReport, text: string): string {
  const rows = Object.entries(report.hitRateByOperation)
    .map(([name, op]) => `<tr><td>${escape(name)}</td><td>${op.requests}</td><td>${op.hits}</td><td>${(op.hitRate * 100).toFixed(1)}%</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@cache demo report</title>
<style>body{font:14px system-ui,sans-serif;max-width:720px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:right}td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}</style>
</head><body>
<h1>@cache demo report</h1>
<p>${escape(report.stack)} — ${report.requests} requests, hit rate <strong id="hit-rate">${(report.hitRate * 100).toFixed(1)}%</strong>,
p50 ${report.latency.withCache.p50.toFixed(1)} ms with the cache vs ${report.latency.withoutCache.p50.toFixed(1)} ms without,
saved $<span id="cost-saved">${report.saved.costUsd.toFixed(4)}</span>.</p>
<h2>Hit rate over time</h2>${lineChart(report.hitRateOverTime)}
<h2>Latency histogram</h2>${histogram(report.latencies.withCache, report.latencies.withoutCache)}
<h2>Hit rate by operation</h2><table><tr><th>operation</th><th>requests</th><th>hits</th><th>hit rate</th></tr>${rows}</table>
<h2>Full text report</h2><pre>${escape(text)}</pre>
</body></html>
`;
}
