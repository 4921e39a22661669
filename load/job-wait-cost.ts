// What waiting clients cost the API: N jobs that nobody runs (no worker), each with one client
// long-polling it (?waitMs=30000, re-polled as soon as it answers), held for a while. Reports the
// API process's CPU and the Redis commands per second it sends meanwhile. The API runs as its own
// process from the checkout given by --root (so the same run measures this tree and /work/main),
// against a private redis-server this script starts on --redis-port (so the command count is the
// API's alone). It needs the MySQL of DATABASE_URL (migrated) only because the API starts with it.
//
//   node load/job-wait-cost.ts [--root .] [--n 1000] [--seconds 20] [--redis-port 6431] [--port 3931]
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { parseCli } from '../src/platform/cli.ts';
import { processCpuSeconds } from './lib/stats.ts';

const { values: args } = parseCli({
  usage: 'node load/job-wait-cost.ts [--root .] [--n 1000] [--seconds 20] [--redis-port 6431] [--port 3931]',
  about: "What clients long-polling jobs nobody runs cost the API: its CPU and the Redis commands per second it sends.",
  options: {
    root: { type: 'string', default: '.', help: 'the checkout whose API is measured' },
    n: { type: 'string', default: '1000', help: 'jobs, each with one long-polling client' },
    seconds: { type: 'string', default: '20', help: 'how long the clients wait' },
    'redis-port': { type: 'string', default: '6431', help: 'port of the private redis-server this script starts' },
    port: { type: 'string', default: '3931', help: 'port of the API under test' },
  },
});
const n = Number(args.n);
const seconds = Number(args.seconds);
const root = resolve(args.root);
const base = `http://127.0.0.1:${args.port}`;
const secret = 'bench-secret-bench-secret-bench-secret-0123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];
const stopAll = () => { for (const c of children) if (c.exitCode === null) c.kill('SIGTERM'); };
process.on('exit', stopAll);

async function waitFor(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 300; i++) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not come up`);
}


const redisPort = args['redis-port'];
children.push(spawn('redis-server', ['--port', redisPort, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
const redis = new Redis(`redis://127.0.0.1:${redisPort}`, { lazyConnect: true });
await waitFor(async () => { await redis.connect().catch(() => undefined); return (await redis.ping()) === 'PONG'; }, 'redis-server');

const api = spawn(process.execPath, [join(root, 'src/api/server.ts')], {
  env: {
    ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: args.port, REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_PREFIX: 'bench',
    JWT_SECRET: secret, JOB_WAIT_MAX_MS: '30000', RATE_LIMITS: 'off', OVERLOAD_MIN_BACKLOG: String(10 * n),
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
children.push(api);
await waitFor(async () => (await fetch(`${base}/health/live`)).ok, 'API');

const key = new TextEncoder().encode(secret);
const token = (sub: number) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(sub)).setExpirationTime('1h').sign(key);
const fans = await Promise.all(Array.from({ length: n }, async (_, i) => ({ jwt: await token(9_000_000 + i) })));
const jobIds: string[] = [];
for (let i = 0; i < n; i += 100) {
  const batch = await Promise.all(fans.slice(i, i + 100).map(async (f) => {
    const res = await fetch(`${base}/api/wallet/charges`, { method: 'POST', headers: { authorization: `Bearer ${f.jwt}`, 'content-type': 'application/json' }, body: '{"amount":1}' });
    if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { jobId: string }).jobId;
  }));
  jobIds.push(...batch);
}

let stop = false;
const abort = new AbortController();
const pollers = jobIds.map(async (id, i) => {
  while (!stop) {
    await fetch(`${base}/api/jobs/${id}?waitMs=30000`, { headers: { authorization: `Bearer ${fans[i]!.jwt}` }, signal: abort.signal }).then((r) => r.text()).catch(() => undefined);
  }
});
await sleep(3000); // every poll is in and waiting

const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))![1]);
const c0 = await commands();
const t0 = processCpuSeconds(api.pid!);
await sleep(seconds * 1000);
const t1 = processCpuSeconds(api.pid!);
const c1 = await commands();

stop = true;
abort.abort();
await Promise.allSettled(pollers);
const report = {
  root, waiting: n, seconds,
  apiCpuPercent: Math.round(((t1 - t0) / seconds) * 1000) / 10,
  redisCommandsPerSecond: Math.round(((c1 - c0 - 1) / seconds) * 10) / 10, // minus this script's own INFO
};
console.log(JSON.stringify(report));
redis.disconnect();
stopAll();
process.exit(0);
