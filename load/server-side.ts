// The server's own view of a run, to set beside the generator's: `node load/server-side.ts`.
// 1. Route latency from the API's `http_request_duration_seconds` histogram (GET /metrics): the
//    time from the first middleware to the last byte handed to the kernel, per route. What it
//    leaves out (a request waiting in the kernel's socket buffer before the API reads it, the
//    generator's own delays) is what separates it from the client's latency.
// 2. Job times from the job hashes BullMQ keeps in Redis: submit → start (queue wait) and start →
//    finish (run), per job name, for the completed jobs of the user queues.
// Run it right after a run, against the same API and Redis (REDIS_URL, REDIS_PREFIX in the shell).
// Percentiles from a histogram are the upper bound of the bucket they fall in.
import { Redis } from 'ioredis';
import { parseCli } from '../src/platform/cli.ts';
import { bullPrefix } from '../src/jobs/jobs.queues.ts';
import { percentile } from './lib/stats.ts';

const { values: o } = parseCli({
  usage: 'node load/server-side.ts [--url http://127.0.0.1:3000] [--metrics-url URL] [--no-jobs]',
  about: 'Per-route latency from the API\'s /metrics histogram and per-job queue wait and run time from Redis.',
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000', help: 'the API (its /metrics: development, or the ops port)' },
    'metrics-url': { type: 'string', help: 'where /metrics is served, if not under --url (e.g. the OPS_PORT)' },
    'no-jobs': { type: 'boolean', help: 'skip the job times (no Redis access)' },
  },
});

type Buckets = { le: number; count: number }[];

/** Per (method route status): the cumulative buckets of the latency histogram. */
function parseHistogram(text: string): Map<string, Buckets> {
  const out = new Map<string, Buckets>();
  const re = /^http_request_duration_seconds_bucket\{le="([^"]+)",(?:[^}]*,)?method="(\w+)",route="([^"]+)",status="(\d+)"\} (\d+)$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const key = `${m[2]} ${m[3]} ${m[4]}`;
    const buckets = out.get(key) ?? [];
    buckets.push({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[5]) });
    out.set(key, buckets);
  }
  return out;
}

function bucketQuantile(b: Buckets, q: number): string {
  const sorted = [...b].sort((x, y) => x.le - y.le);
  const total = sorted.at(-1)!.count;
  const hit = sorted.find((x) => x.count >= q * total)!;
  return hit.le === Infinity ? `> ${sorted.at(-2)!.le * 1000} ms` : `≤ ${hit.le * 1000} ms`;
}

async function routes(): Promise<void> {
  const url = new URL('/metrics', o['metrics-url'] ?? o.url);
  const res = await fetch(url).catch((err: Error) => { throw new Error(`no /metrics at ${url.href} (${err.message})`); });
  if (!res.ok) throw new Error(`${url.href} answered ${res.status}: in production /metrics is on the ops port (--metrics-url)`);
  const rows = [...parseHistogram(await res.text())]
    .map(([route, b]) => ({ route, requests: Math.max(...b.map((x) => x.count)), p50: bucketQuantile(b, 0.5), p95: bucketQuantile(b, 0.95), p99: bucketQuantile(b, 0.99) }))
    .filter((r) => r.requests > 0)
    .sort((a, b) => b.requests - a.requests);
  console.log('route latency inside the API (its histogram, since the process started):');
  console.table(rows);
}

async function jobs(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = bullPrefix(process.env.REDIS_PREFIX ?? 'encore');
  const rows = [];
  for (const queue of ['reservations', 'payments']) {
    const ids = await redis.zrange(`${prefix}:${queue}:completed`, '0', '-1');
    const byName = new Map<string, { wait: number; run: number; total: number }[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const p = redis.pipeline();
      for (const id of ids.slice(i, i + 500)) p.hmget(`${prefix}:${queue}:${id}`, 'name', 'timestamp', 'processedOn', 'finishedOn', 'delay');
      for (const [, v] of (await p.exec()) ?? []) {
        const [name, ts, started, finished, delay] = (v as (string | null)[]).map((x) => x ?? '');
        const submitted = Number(ts) + Number(delay || 0); // a delayed job is due at timestamp + delay
        const list = byName.get(name!) ?? [];
        list.push({ wait: Number(started) - submitted, run: Number(finished) - Number(started), total: Number(finished) - submitted });
        byName.set(name!, list);
      }
    }
    for (const [name, t] of byName) {
      rows.push({
        job: name, completed: t.length,
        'wait p50': percentile(t.map((x) => x.wait), 50), 'wait p99': percentile(t.map((x) => x.wait), 99),
        'run p50': percentile(t.map((x) => x.run), 50), 'run p99': percentile(t.map((x) => x.run), 99),
        'submit→finish p99': percentile(t.map((x) => x.total), 99),
      });
    }
  }
  redis.disconnect();
  console.log(`job times in ms (completed jobs kept under ${prefix}):`);
  console.table(rows);
}

try {
  await routes();
  if (!o['no-jobs']) await jobs();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
