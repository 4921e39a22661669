// Writes load/results/<scenario>-<timestamp>/summary.json and a self-contained report.html
// (Chart.js inlined, so it opens offline) with throughput and latency over time and per endpoint.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Summary } from './recorder.ts';

export function machine() {
  return { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, host: hostname() };
}

export interface RunReport {
  scenario: string;
  startedAt: string;
  parameters: Record<string, unknown>;
  machine: ReturnType<typeof machine>;
  summary: Summary;
  extra?: Record<string, unknown>;
  goals?: { name: string; goal: string; value: string | number; met: boolean }[];
}

export function writeReport(report: RunReport): string {
  const dir = join('load/results', `${report.scenario}-${report.startedAt.replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(report, null, 2));
  // chart.js exports no subpath for its UMD build; it sits beside the package's main file.
  const chartJs = readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  const s = report.summary;
  const endpoints = Object.entries(s.endpoints);
  const rows = endpoints.map(([name, e]) =>
    `<tr><td>${name}</td><td>${e.requests}</td><td>${e.rps}</td><td>${e.latencyMs.avg}</td><td>${e.latencyMs.p50}</td><td>${e.latencyMs.p95}</td><td>${e.latencyMs.p99}</td><td>${e.latencyMs.max}</td><td>${e.errorRate}%</td></tr>`).join('');
  const goals = (report.goals ?? []).map((g) => `<tr><td>${g.name}</td><td>${g.goal}</td><td>${g.value}</td><td>${g.met ? 'met' : 'MISSED'}</td></tr>`).join('');
  const data = JSON.stringify({
    t: s.series.map((x) => x.t), rps: s.series.map((x) => x.requests), errors: s.series.map((x) => x.errors),
    p50: s.series.map((x) => x.p50), p99: s.series.map((x) => x.p99),
    names: endpoints.map(([n]) => n), byEndpoint: endpoints.map(([n]) => s.series.map((x) => x.byEndpoint[n] ?? 0)),
    p99ByEndpoint: endpoints.map(([, e]) => e.latencyMs.p99), p50ByEndpoint: endpoints.map(([, e]) => e.latencyMs.p50),
  });
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Encore load: ${report.scenario}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}canvas{margin:1rem 0}</style>
<script>${chartJs}</script></head><body>
<h1>Encore load run: ${report.scenario}</h1>
<p>${report.startedAt} · ${report.machine.cores} cores (${report.machine.cpuModel}) · Node ${report.machine.node} · load generator CPU ${s.generatorCpuPercent}% of one core</p>
<p>Parameters: <code>${escapeHtml(JSON.stringify(report.parameters))}</code></p>
<h2>Total</h2><p>${s.total.requests} requests in ${s.durationSeconds} s = <b>${s.total.rps} req/s</b>, errors ${s.total.errorRate}%, latency avg ${s.total.latencyMs.avg} ms, p50 ${s.total.latencyMs.p50} ms, p95 ${s.total.latencyMs.p95} ms, p99 ${s.total.latencyMs.p99} ms</p>
${goals ? `<h2>Goals</h2><table><tr><th>what</th><th>goal</th><th>measured</th><th></th></tr>${goals}</table>` : ''}
<h2>Per endpoint</h2><table><tr><th>endpoint</th><th>requests</th><th>req/s</th><th>avg ms</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>errors</th></tr>${rows}</table>
${report.extra ? `<h2>Scenario results</h2><pre>${escapeHtml(JSON.stringify(report.extra, null, 2))}</pre>` : ''}
<canvas id="rps" height="110"></canvas><canvas id="lat" height="110"></canvas><canvas id="ep" height="110"></canvas><canvas id="epl" height="110"></canvas>
<script>
const d=${data};
new Chart(document.getElementById('rps'),{type:'line',data:{labels:d.t,datasets:[{label:'requests/s',data:d.rps},{label:'errors/s',data:d.errors}]},options:{plugins:{title:{display:true,text:'Throughput over time (s)'}}}});
new Chart(document.getElementById('lat'),{type:'line',data:{labels:d.t,datasets:[{label:'p50 ms',data:d.p50},{label:'p99 ms',data:d.p99}]},options:{plugins:{title:{display:true,text:'Latency over time'}}}});
new Chart(document.getElementById('ep'),{type:'line',data:{labels:d.t,datasets:d.names.map((n,i)=>({label:n,data:d.byEndpoint[i]}))},options:{plugins:{title:{display:true,text:'Requests/s per endpoint'}}}});
new Chart(document.getElementById('epl'),{type:'bar',data:{labels:d.names,datasets:[{label:'p50 ms',data:d.p50ByEndpoint},{label:'p99 ms',data:d.p99ByEndpoint}]},options:{plugins:{title:{display:true,text:'Latency per endpoint'}}}});
</script></body></html>`;
  writeFileSync(join(dir, 'report.html'), html);
  return dir;
}

const escapeHtml = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

export function printSummary(report: RunReport): void {
  const rows = Object.entries(report.summary.endpoints).map(([name, e]) => ({
    endpoint: name, requests: e.requests, 'req/s': e.rps, 'avg ms': e.latencyMs.avg, 'p50 ms': e.latencyMs.p50, 'p95 ms': e.latencyMs.p95,
    'p99 ms': e.latencyMs.p99, 'errors %': e.errorRate,
  }));
  console.table(rows);
  const t = report.summary.total;
  console.log(`total: ${t.requests} requests, ${t.rps} req/s, errors ${t.errorRate}%, p99 ${t.latencyMs.p99} ms; generator CPU ${report.summary.generatorCpuPercent}%`);
  if (Object.keys(report.summary.timingsMs).length) console.table(report.summary.timingsMs);
  if (report.extra) console.log(JSON.stringify(report.extra, null, 2));
  for (const g of report.goals ?? []) console.log(`${g.met ? 'met   ' : 'MISSED'} ${g.name}: ${g.value} (goal ${g.goal})`);
}
