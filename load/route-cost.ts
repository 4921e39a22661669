// API CPU per request: fires N requests of each kind with undici and reads the API process's own
// CPU time from /proc/<pid>/stat before and after (robust against other load on the machine).
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { Identity } from './lib/identity.ts';

const [url, pidArg, nArg] = process.argv.slice(2);
const pid = Number(pidArg); const N = Number(nArg ?? 5000);
const ticks = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return Number(f[11]) + Number(f[12]); };
const pool = new Pool(url!, { connections: 64 });
const id = new Identity(process.env.JWT_SECRET ?? 'encore-development-secret-do-not-use-in-production');
async function req(method: string, path: string, headers: Record<string, string>, body?: string) {
  const r = await pool.request({ method: method as 'GET', path, headers: body ? { ...headers, 'content-type': 'application/json' } : headers, body });
  const text = await r.body.text();
  return { status: r.statusCode, text };
}
async function measure(name: string, make: (i: number) => Promise<{ status: number }>) {
  for (let i = 0; i < 200; i++) await make(i); // warm
  const t0 = ticks(); const w0 = Date.now();
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => { while (next < N) { const i = next++; const r = await make(i); statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1); } }));
  const cpuMs = (ticks() - t0) * 10;
  console.log(`${name.padEnd(28)} ${(cpuMs * 1000 / N).toFixed(0).padStart(6)} µs CPU/req  wall ${(Date.now() - w0)} ms  ${JSON.stringify(Object.fromEntries(statuses))}`);
}
const users = await Promise.all(Array.from({ length: 2000 }, (_, i) => id.token(15001 + i)));
const auth = (i: number) => ({ authorization: `Bearer ${users[i % users.length]}` });
// joins (each user once per concert; N may exceed users: re-joins answer 200)
const qtokens: string[] = [];
await measure('POST /api/queue/tokens', async (i) => { const r = await req('POST', '/api/queue/tokens', auth(i), JSON.stringify({ concertId: 10 })); if (i < users.length && r.status < 300) qtokens[i % users.length] = JSON.parse(r.text).token; return r; });
await measure('GET /health/live', () => req('GET', '/health/live', {}));
await measure('GET /api/queue/status', (i) => req('GET', '/api/queue/status', { ...auth(i), 'x-queue-token': qtokens[i % users.length] ?? '' }));
await measure('GET /api/concerts', () => req('GET', '/api/concerts', {}));
await measure('GET /api/me', (i) => req('GET', '/api/me', auth(i)));
await measure('GET /api/jobs/:id (404)', (i) => req('GET', '/api/jobs/hold-00000000-0000-0000-0000-000000000000', auth(i)));
await pool.close();
