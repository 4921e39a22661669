// API CPU per request, route by route: `node load/route-cost.ts --url http://127.0.0.1:3000 --pid <API pid>`.
// Fires --n requests of each kind (32 in flight) and reads the API process's own CPU time from
// /proc/<pid>/stat before and after. CPU time, unlike latency, barely moves when other work shares
// the machine, so it compares two versions of a route even on a busy box. The server needs
// RATE_LIMITS=off and the seed's users; joins go to --concert with users 15001… (re-joins are 200s).
import { Pool } from 'undici';
import { parseCli } from '../src/platform/cli.ts';
import { Identity } from './lib/identity.ts';
import { processCpuSeconds } from './lib/stats.ts';

const { values: o } = parseCli({
  usage: 'node load/route-cost.ts --pid <API pid> [--url URL] [--n 5000] [--concert 10] [--only status]',
  about: 'API CPU per request, route by route, read from /proc/<pid>/stat (JWT_SECRET in the environment, default: the development secret).',
  options: {
    pid: { type: 'string', help: 'the API process (its CPU time is read)' },
    url: { type: 'string', default: 'http://127.0.0.1:3000', help: 'the API' },
    n: { type: 'string', default: '5000', help: 'requests per route' },
    concert: { type: 'string', default: '10', help: 'the concert the fans join' },
    only: { type: 'string', help: 'run only the routes whose name contains this' },
  },
});
if (!o.pid) {
  console.error('--pid is required (--help for every option)');
  process.exit(2);
}
const pid = Number(o.pid);
const N = Number(o.n);
const pool = new Pool(o.url!, { connections: 64 });
const identity = new Identity(process.env.JWT_SECRET ?? 'encore-development-secret-do-not-use-in-production');

async function req(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string) {
  const r = await pool.request({ method, path, headers: body ? { ...headers, 'content-type': 'application/json' } : headers, body });
  return { status: r.statusCode, text: await r.body.text() };
}

async function measure(name: string, make: (i: number) => Promise<{ status: number }>) {
  if (o.only && !name.includes(o.only)) return;
  for (let i = 0; i < 200; i++) await make(i); // warm-up: JIT, caches, verified tokens
  const t0 = processCpuSeconds(pid);
  const statuses: Record<number, number> = {};
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < N) {
      const r = await make(next++);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
  }));
  const us = ((processCpuSeconds(pid) - t0) * 1_000_000) / N;
  console.log(`${name.padEnd(26)} ${us.toFixed(0).padStart(6)} µs CPU/request  ${JSON.stringify(statuses)}`);
}

const users = await Promise.all(Array.from({ length: 2000 }, (_, i) => identity.token(15_001 + i)));
const auth = (i: number) => ({ authorization: `Bearer ${users[i % users.length]}` });
const queueTokens: string[] = [];
await measure('POST /api/queue/tokens', async (i) => {
  const r = await req('POST', '/api/queue/tokens', auth(i), JSON.stringify({ concertId: Number(o.concert) }));
  if (r.status < 300) queueTokens[i % users.length] = JSON.parse(r.text).token;
  return r;
});
await measure('GET /health/live', () => req('GET', '/health/live', {}));
await measure('GET /api/queue/status', (i) => req('GET', '/api/queue/status', { ...auth(i), 'x-queue-token': queueTokens[i % users.length] ?? '' }));
await measure('GET /api/concerts', () => req('GET', '/api/concerts', {}));
await measure('GET /api/schedules/1/seats', () => req('GET', '/api/schedules/1/seats?status=available', {}));
await measure('GET /api/me', (i) => req('GET', '/api/me', auth(i)));
await measure('GET /api/jobs/:id (404)', (i) => req('GET', '/api/jobs/hold-00000000-0000-0000-0000-000000000000', auth(i)));
await pool.close();
