// `node load/failover.ts [--users 1000] [--arrival 10] [--redis-kill-at 8] [--kafka-kill-at 20]
//                         [--restart-after 20] [--url http://127.0.0.1:3000]`
// A negative --redis-kill-at or --kafka-kill-at skips that fault (to measure each one alone).
// Failover, measured: runs the rush scenario (load/scenarios/rush.ts) against an Encore started on
// the local Redis Cluster and three-broker Kafka (docs/topologies.md), and during it
//   - SIGKILLs the Redis master that owns the BullMQ hash slot ({jobs}: every job passes there),
//     waits until its replica is promoted, and restarts the dead node later (it rejoins as a replica);
//   - SIGKILLs the Kafka broker leading partition 0 of payment.completed, and restarts it later.
// A probe submits a 1-won wallet charge (a job through BullMQ, a worker and MySQL) every 250 ms
// and long-polls it, so "jobs stalled" is the longest submit-to-result it saw; HTTP errors per
// endpoint are timestamped to give how long queue calls failed after each kill. Afterwards:
// `npm run audit`, every fan's final answer, and every payment made during the run read back from
// Kafka's payment.completed exactly once after dedupe by event id (duplicates are counted).
// Needs, in this shell, the server's DATABASE_URL, KAFKA_BROKERS and KAFKA_TOPIC_PREFIX, and
// REDIS_CLUSTER_NODES; the nodes' pids come from .services/ (scripts/redis-cluster.sh, kafka-cluster.sh).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { Kafka, logLevel } from 'kafkajs';
import { Recorder } from './lib/recorder.ts';
import { LoadClient } from './lib/http.ts';
import { Identity } from './lib/identity.ts';
import { machine, printSummary, writeReport } from './lib/report.ts';
import type { ScenarioContext } from './lib/context.ts';
import { rush } from './scenarios/rush.ts';
import { sleep } from './lib/vu.ts';
import { parseCli } from '../src/platform/cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: own, extra } = parseCli({
  usage: 'node load/failover.ts [--users 1000] [--arrival 10] [--redis-kill-at 8] [--kafka-kill-at 20] [--restart-after 20] [--url URL]',
  about: 'A rush on the Redis Cluster and three Kafka brokers with a Redis master and a Kafka broker killed during it (docs/topologies.md).',
  options: {
    url: { type: 'string', help: 'the Encore under test (default ENCORE_URL, else http://127.0.0.1:3000)' },
    'jwt-secret': { type: 'string', help: "the server's JWT_SECRET (default JWT_SECRET, else the development secret)" },
    'redis-kill-at': { type: 'string', default: '8', help: 's into the rush to SIGKILL the {jobs} Redis master (negative: never)' },
    'kafka-kill-at': { type: 'string', default: '20', help: 's into the rush to SIGKILL the broker leading payment.completed/0 (negative: never)' },
    'restart-after': { type: 'string', default: '20', help: 's after a kill to restart the node' },
  },
  extra: { help: 'a rush option (npm run load -- --help): --users, --arrival, --limit, --abandon, --sse' },
});
// The rush reads its options, and these, from one string map (ScenarioContext.args).
const args: Record<string, string | undefined> = { ...extra, ...own };
const num = (key: string, fallback: number) => {
  const v = args[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    console.error(`--${key} must be a number (got ${v})`);
    process.exit(2);
  }
  return n;
};
const url = args.url ?? process.env.ENCORE_URL ?? 'http://127.0.0.1:3000';
const secret = args['jwt-secret'] ?? process.env.JWT_SECRET ?? 'encore-development-secret-do-not-use-in-production';
const redisKillAt = num('redis-kill-at', 8) * 1000;
const kafkaKillAt = num('kafka-kill-at', 20) * 1000;
const restartAfter = num('restart-after', 20) * 1000;
const seedNode = (process.env.REDIS_CLUSTER_NODES ?? '').split(',')[0];
if (!seedNode) throw new Error('REDIS_CLUSTER_NODES is not set: start the cluster (npm run services -- redis-cluster) and the server on it');
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length < 3) throw new Error('KAFKA_BROKERS must name the three brokers (npm run services -- kafka-cluster)');
const topicPrefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
const log = (msg: string) => console.error(`[failover ${new Date().toISOString().slice(11, 23)}] ${msg}`);

// --- the rush, with every HTTP result timestamped ---------------------------------------------
const recorder = new Recorder();
const failures: { at: number; endpoint: string; status: number | string }[] = [];
const record = recorder.record.bind(recorder);
recorder.record = (endpoint, latencyMs, status, ok) => {
  if (!ok) failures.push({ at: Date.now(), endpoint, status });
  record(endpoint, latencyMs, status, ok);
};
const client = new LoadClient(url, recorder, 6000);
// Fans behave like real clients during a failover: a join or a read answered with a connection
// error or 502/503/504 ("try again") is retried for up to 60 s, 500 ms apart; each failed attempt
// is still recorded (and timestamped above). Job submits are not retried here (the rush scenario
// decides); a join is idempotent (the same fan gets the same place) and reads are safe.
const clientRequest = client.request.bind(client);
let retriedCalls = 0;
client.request = async (endpoint, method, path, opts = {}) => {
  const retryable = method === 'GET' || (method === 'POST' && path === '/api/queue/tokens');
  const giveUpAt = Date.now() + 60_000;
  for (;;) {
    const res = await clientRequest(endpoint, method, path, opts);
    if (!retryable || !(res.status === 0 || res.status >= 502) || Date.now() > giveUpAt) return res;
    retriedCalls++;
    await sleep(500);
  }
};
const ctx: ScenarioContext = { url, client, recorder, identity: new Identity(secret), args, num };

// --- the faults -----------------------------------------------------------------------------
const clusterNodes = (process.env.REDIS_CLUSTER_NODES ?? '').split(',').filter(Boolean);
/** redis-cli against the first node that answers: the seed node may be the one just killed. */
function redisCli(...a: string[]): string {
  let last: unknown;
  for (const node of clusterNodes) {
    const [host, port] = node.split(':') as [string, string];
    try { return execFileSync('redis-cli', ['-h', host, '-p', port, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch (err) { last = err; }
  }
  throw last;
}
function masterOf(slot: number): string {
  for (const line of redisCli('cluster', 'nodes').trim().split('\n')) {
    const [, addr, flags, , , , , , ...ranges] = line.split(' ');
    if (!flags!.includes('master') || flags!.includes('fail')) continue;
    for (const r of ranges) {
      const [a, b] = r.split('-').map(Number);
      if (slot >= a! && slot <= (b ?? a!)) return addr!.split('@')[0]!;
    }
  }
  throw new Error(`no live master owns slot ${slot}`);
}
// scripts/kafka-cluster.sh keeps a cluster on another base port in its own directory.
const kafkaBase = process.env.KAFKA_CLUSTER_BASE_PORT ?? '9111';
const kafkaDir = kafkaBase === '9111' ? 'kafka-cluster' : `kafka-cluster-${kafkaBase}`;
const pidFile = (path: string) => Number(readFileSync(`${root}/.services/${path}`, 'utf8').trim());
const timeline: Record<string, number> = {};

async function killRedisMaster(t0: number) {
  const slot = Number(redisCli('cluster', 'keyslot', '{jobs}').trim());
  const victim = masterOf(slot);
  const port = victim.split(':')[1]!;
  log(`SIGKILL Redis master ${victim} (owns {jobs}, slot ${slot})`);
  process.kill(pidFile(`redis-cluster/${port}/redis.pid`), 'SIGKILL');
  timeline.redisKilledAt = Date.now() - t0;
  for (;;) {
    await sleep(100);
    try {
      const now = masterOf(slot);
      if (now !== victim) {
        timeline.redisPromotedAt = Date.now() - t0;
        log(`replica ${now} promoted after ${((timeline.redisPromotedAt - timeline.redisKilledAt) / 1000).toFixed(1)} s`);
        break;
      }
    } catch { /* the slot has no live master yet */ }
  }
  await sleep(restartAfter);
  log('restarting the dead Redis node (it rejoins as a replica)');
  // The same REDIS_CLUSTER_BASE_PORT (and KAFKA_CLUSTER_BASE_PORT below) as the cluster was started with:
  // the scripts then restart only this cluster's dead node, never another cluster's.
  spawnSync('bash', [`${root}/scripts/redis-cluster.sh`, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function killKafkaBroker(t0: number) {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const [meta] = (await admin.fetchTopicMetadata({ topics: [`${topicPrefix}payment.completed`] })).topics;
  await admin.disconnect();
  const leader = meta!.partitions.find((p) => p.partitionId === 0)!.leader;
  log(`SIGKILL Kafka broker ${leader} (leader of payment.completed/0)`);
  process.kill(pidFile(`${kafkaDir}/${leader}/kafka.pid`), 'SIGKILL');
  timeline.kafkaKilledAt = Date.now() - t0;
  await sleep(restartAfter);
  log('restarting the dead Kafka broker');
  spawnSync('bash', [`${root}/scripts/kafka-cluster.sh`, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// --- the jobs probe -----------------------------------------------------------------------------
const probe: { at: number; ms: number; state: string }[] = [];
let probing = true;
async function probeJobs(t0: number) {
  // A fresh user per probe: one user's charges are rate-limited (429), which measured nothing.
  let probeUser = num('probe-user', 9_000_000);
  while (probing) {
    const jwt = await ctx.identity.token(probeUser++);
    const started = Date.now();
    let state: string;
    try {
      const sub = await client.request('probe: POST /api/wallet/charges', 'POST', '/api/wallet/charges', { token: jwt, body: { amount: 1 }, expected: [202] });
      if (sub.status === 202) {
        for (;;) {
          const res = await client.request('probe: GET /api/jobs/:id', 'GET', `/api/jobs/${sub.json.jobId}?waitMs=5000`, { token: jwt });
          if (res.status !== 200) { state = `poll ${res.status}`; break; }
          if (res.json?.state === 'succeeded' || res.json?.state === 'failed') { state = res.json.state; break; }
        }
      } else state = `submit ${sub.status}`;
    } catch (err) { state = (err as Error).message; }
    probe.push({ at: started - t0, ms: Date.now() - started, state });
    await sleep(250);
  }
}

// --- Kafka: every payment of the run, exactly once after dedupe ---------------------------------
async function paymentsOnKafka(since: number) {
  const db = new URL(process.env.DATABASE_URL ?? 'mysql://encore:encore@127.0.0.1:3306/encore');
  const conn = await createConnection({ host: db.hostname, port: Number(db.port || 3306), user: decodeURIComponent(db.username), password: decodeURIComponent(db.password), database: db.pathname.slice(1) });
  const [rows] = await conn.query('select reservation_id from payments where created_at >= ?', [new Date(since)]);
  await conn.end();
  const paid = new Set((rows as { reservation_id: number }[]).map((r) => Number(r.reservation_id)));
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `failover-audit-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [`${topicPrefix}payment.completed`], fromBeginning: true });
  const ids = new Map<string, number>();
  let messages = 0;
  let last = Date.now();
  await consumer.run({
    eachMessage: async ({ message }) => {
      last = Date.now();
      if (Number(message.timestamp) < since - 60_000 || !message.value) return;
      const e = JSON.parse(message.value.toString()) as { id: string; data: { reservationId: number } };
      if (!paid.has(Number(e.data.reservationId))) return;
      messages++;
      ids.set(e.id, Number(e.data.reservationId));
    },
  });
  // The outbox relay may still be catching up after the broker came back: read until quiet.
  const deadline = Date.now() + 120_000;
  while ((Date.now() - last < 5000 || new Set(ids.values()).size < paid.size) && Date.now() < deadline) await sleep(500);
  await consumer.disconnect();
  const seen = new Set(ids.values());
  return { payments: paid.size, messages, distinctEvents: ids.size, duplicates: messages - ids.size, missing: [...paid].filter((r) => !seen.has(r)).length };
}

/** The longest stretch after `from` in which `endpoint`-like calls failed (first to last failure, gaps < 2 s merged). */
function errorWindow(from: number | undefined, match: (endpoint: string) => boolean, t0: number) {
  if (from === undefined) return null;
  const at = failures.filter((f) => match(f.endpoint) && f.at - t0 >= from && f.at - t0 <= from + 60_000).map((f) => f.at - t0);
  if (!at.length) return { failures: 0, seconds: 0 };
  let start = at[0]!, end = at[0]!, best = 0;
  for (const t of at) {
    if (t - end > 2000) { best = Math.max(best, end - start); start = t; }
    end = t;
  }
  return { failures: at.length, seconds: Math.max(best, end - start) / 1000, firstAfterKillSeconds: (at[0]! - from) / 1000 };
}

const t0 = Date.now();
recorder.startProgress('failover');
const faults = [
  ...(redisKillAt >= 0 ? [sleep(redisKillAt).then(() => killRedisMaster(t0))] : []),
  ...(kafkaKillAt >= 0 ? [sleep(kafkaKillAt).then(() => killKafkaBroker(t0))] : []),
];
const prober = probeJobs(t0);
try {
  const result = await rush(ctx);
  probing = false;
  await Promise.all([...faults, prober]);
  recorder.stopProgress();
  const kafkaCheck = await paymentsOnKafka(t0);
  const stalls = (from?: number) => probe.filter((p) => from !== undefined && p.at >= from - 500 && p.at <= from + 60_000);
  const longest = (list: typeof probe) => list.reduce((m, p) => Math.max(m, p.ms), 0) / 1000;
  const extra = {
    ...result.extra,
    timeline,
    redisFailoverSeconds: timeline.redisPromotedAt !== undefined ? (timeline.redisPromotedAt - timeline.redisKilledAt!) / 1000 : null,
    jobsStalledSeconds: { afterRedisKill: longest(stalls(timeline.redisKilledAt)), afterKafkaKill: longest(stalls(timeline.kafkaKilledAt)), normal: longest(probe.filter((p) => p.at < Math.min(...[redisKillAt, kafkaKillAt].filter((at) => at >= 0)))) },
    probeJobsNotSucceeded: probe.filter((p) => p.state !== 'succeeded').length,
    retriedCalls,
    joinErrors: failures.filter((f) => f.endpoint === 'POST /api/queue/tokens').length,
    queueErrorsAfterRedisKill: errorWindow(timeline.redisKilledAt, (e) => e.includes('/api/queue'), t0),
    jobErrorsAfterRedisKill: errorWindow(timeline.redisKilledAt, (e) => e.includes('/api/jobs') || e.includes('/api/reservations') || e.includes('/api/payments'), t0),
    errorsAfterKafkaKill: errorWindow(timeline.kafkaKilledAt, () => true, t0),
    kafkaPaymentCompleted: kafkaCheck,
  };
  const report = {
    scenario: 'failover', startedAt: new Date(t0).toISOString(),
    parameters: { url, ...result.parameters, redisKillAt, kafkaKillAt, restartAfter }, machine: machine(),
    summary: recorder.summary(result.durationSeconds), extra,
    goals: [
      // The rush's own: `npm run audit` clean after both failovers, and every fan a final answer.
      ...(result.goals ?? []).filter((g) => g.name === 'audit' || g.name === 'every fan got a final answer'),
      { name: 'payment.completed on Kafka, once per payment after dedupe', goal: '0 missing', value: kafkaCheck.missing, met: kafkaCheck.missing === 0 },
    ],
  };
  printSummary(report as Parameters<typeof printSummary>[0]);
  console.log(JSON.stringify({ failover: extra }, null, 2));
  console.log(`report: ${writeReport(report as Parameters<typeof writeReport>[0])}/report.html`);
} finally {
  probing = false;
  recorder.stopProgress();
  await client.close();
}
