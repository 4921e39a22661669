// Records every request of a load run: latency histograms per endpoint (HdrHistogram), status
// and error counts, and a per-second time series for the report. Prints a live progress line.
import * as hdr from 'hdr-histogram-js';

type Histogram = ReturnType<typeof hdr.build>;
const newHistogram = (): Histogram => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });

export interface EndpointStats { requests: number; errors: number; statuses: Record<string, number>; latency: Histogram }
export interface SecondSample { t: number; requests: number; errors: number; p50: number; p99: number; byEndpoint: Record<string, number> }

export class Recorder {
  readonly started = Date.now();
  readonly endpoints = new Map<string, EndpointStats>();
  readonly series: SecondSample[] = [];
  readonly counters: Record<string, number> = {};
  readonly timings = new Map<string, Histogram>();
  private second = newHistogram();
  private secondCounts = { requests: 0, errors: 0, byEndpoint: {} as Record<string, number> };
  private all = newHistogram();
  private phase = { latency: newHistogram(), requests: 0, errors: 0, since: Date.now() };
  private timer?: NodeJS.Timeout;
  private readonly cpuStart = process.cpuUsage();

  /** latencyMs is measured by the caller; `ok` false counts as an error (5xx, socket error, or an unexpected status). */
  record(endpoint: string, latencyMs: number, status: number | string, ok: boolean): void {
    let e = this.endpoints.get(endpoint);
    if (!e) this.endpoints.set(endpoint, (e = { requests: 0, errors: 0, statuses: {}, latency: newHistogram() }));
    const us = Math.max(1, Math.round(latencyMs * 1000));
    e.requests++;
    e.statuses[String(status)] = (e.statuses[String(status)] ?? 0) + 1;
    e.latency.recordValue(us);
    this.all.recordValue(us);
    this.second.recordValue(us);
    this.phase.latency.recordValue(us);
    this.phase.requests++;
    if (!ok) this.phase.errors++;
    this.secondCounts.requests++;
    this.secondCounts.byEndpoint[endpoint] = (this.secondCounts.byEndpoint[endpoint] ?? 0) + 1;
    if (!ok) {
      e.errors++;
      this.secondCounts.errors++;
    }
  }

  /** Starts a phase (e.g. one endpoint of the capacity run); phaseStats() covers only it. */
  beginPhase(): void {
    this.phase = { latency: newHistogram(), requests: 0, errors: 0, since: Date.now() };
  }

  phaseStats() {
    const secs = (Date.now() - this.phase.since) / 1000;
    const h = this.phase.latency;
    return {
      requests: this.phase.requests, rps: round(this.phase.requests / secs), errors: this.phase.errors,
      p50: round(h.getValueAtPercentile(50) / 1000), p99: round(h.getValueAtPercentile(99) / 1000), max: round(h.maxValue / 1000),
    };
  }

  count(name: string, by = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + by;
  }

  /** A domain timing (e.g. submit-to-result of a job), in ms. */
  timing(name: string, ms: number): void {
    let h = this.timings.get(name);
    if (!h) this.timings.set(name, (h = newHistogram()));
    h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  startProgress(label: string): void {
    this.timer = setInterval(() => {
      const elapsed = (Date.now() - this.started) / 1000;
      this.series.push({
        t: Math.round(elapsed), requests: this.secondCounts.requests, errors: this.secondCounts.errors,
        p50: this.second.getValueAtPercentile(50) / 1000, p99: this.second.getValueAtPercentile(99) / 1000, byEndpoint: this.secondCounts.byEndpoint,
      });
      const total = [...this.endpoints.values()].reduce((s, e) => s + e.errors, 0);
      const extra = Object.entries(this.counters).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stdout.write(
        `\r[${label}] ${elapsed.toFixed(0)}s  ${this.secondCounts.requests} req/s  errors ${total}  p99 ${(this.all.getValueAtPercentile(99) / 1000).toFixed(1)} ms  ${extra}`.padEnd(120).slice(0, 160),
      );
      this.second.reset();
      this.secondCounts = { requests: 0, errors: 0, byEndpoint: {} };
    }, 1000);
  }

  stopProgress(): void {
    clearInterval(this.timer);
    process.stdout.write('\n');
  }

  summary(durationSeconds: number) {
    const pct = (h: Histogram) => ({
      avg: round(h.mean / 1000), p50: round(h.getValueAtPercentile(50) / 1000), p95: round(h.getValueAtPercentile(95) / 1000),
      p99: round(h.getValueAtPercentile(99) / 1000), max: round(h.maxValue / 1000),
    });
    const endpoints = Object.fromEntries([...this.endpoints].map(([name, e]) => [name, {
      requests: e.requests, rps: round(e.requests / durationSeconds), errors: e.errors, errorRate: round((100 * e.errors) / Math.max(1, e.requests), 3),
      statuses: e.statuses, latencyMs: pct(e.latency),
    }]));
    const requests = [...this.endpoints.values()].reduce((s, e) => s + e.requests, 0);
    const errors = [...this.endpoints.values()].reduce((s, e) => s + e.errors, 0);
    const cpu = process.cpuUsage(this.cpuStart);
    return {
      durationSeconds: round(durationSeconds),
      total: { requests, rps: round(requests / durationSeconds), errors, errorRate: round((100 * errors) / Math.max(1, requests), 3), latencyMs: pct(this.all) },
      endpoints,
      counters: this.counters,
      timingsMs: Object.fromEntries([...this.timings].map(([k, h]) => [k, { count: h.totalCount, ...pct(h) }])),
      generatorCpuPercent: round((100 * (cpu.user + cpu.system)) / 1e6 / Math.max(0.001, (Date.now() - this.started) / 1000)),
      series: this.series,
    };
  }
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
export type Summary = ReturnType<Recorder['summary']>;
