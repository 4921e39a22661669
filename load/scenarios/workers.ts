// The workers alone (issue 11): N hold jobs for N distinct seats enqueued straight into BullMQ,
// then N payments for them. Reports jobs/s, each job's run time (processedOn → finishedOn) and
// queue wait, and MySQL statements per job (server-wide `Questions` and `Com_*` deltas: run it
// alone on the database). Unlike the other scenarios this is not an HTTP client: it writes its
// own concert, seats and funded users, and enqueues jobs with the workers' own catalog.
//
// By default it starts `--workers` worker processes of its own on a fresh Redis prefix (so a
// running Encore's queues are untouched) and stops them at the end; `--profile` starts them with
// `node --cpu-prof` and writes the profiles next to the report.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { QueueEvents, type Job, type Queue } from 'bullmq';
import { goal, type Scenario } from '../lib/context.ts';
import { percentile } from '../lib/stats.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createOrm, sqlBatch, rowsOf, type Orm } from '../../src/platform/db.ts';
import { connectRedis, createRedis } from '../../src/platform/redis.ts';
import { ormModel } from '../../src/domain/model.ts';
import { JOBS } from '../../src/jobs/jobs.catalog.ts';
import { JobQueues, bullPrefix } from '../../src/jobs/jobs.queues.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';

export const workers: Scenario = async (ctx) => {
  const n = ctx.num('n', 200);
  const workerCount = ctx.num('workers', 1);
  const profileDir = ctx.args.profile ? `load/results/workers-profile-${Date.now()}` : undefined;
  const prefix = `loadw${randomUUID().slice(0, 8)}`;
  const config = loadConfig({ ...process.env, REDIS_PREFIX: prefix });
  const orm = await createOrm(config, ormModel);
  const redis = await connectRedis(createRedis(config.REDIS_URL, 'command'));
  const queues = new JobQueues(redis, prefix, { tickMs: config.QUEUE_TICK_MS });
  const procs: ChildProcess[] = [];
  try {
    const { scheduleId, userIds } = await makeSale(orm, n);
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    for (let i = 0; i < workerCount; i++) procs.push(await startWorker({ ...process.env, REDIS_PREFIX: prefix, RANKING_CONSUMER: 'false', LOG_LEVEL: 'info' }, profileDir));

    const holds = await phase(orm, queues.queues.reservations, prefix, config.REDIS_URL, 'reservation.hold', userIds.map((userId, i) => ({ userId, scheduleId, seatNumbers: [i + 1] })));
    const reservations = holds.jobs.map((j) => (j.returnvalue as { ok: boolean; result?: { reservationId: number; userId: number } })).filter((r) => r.ok).map((r) => r.result!);
    const pays = await phase(orm, queues.queues.payments, prefix, config.REDIS_URL, 'payment.pay', reservations.map((r) => ({ userId: r.userId, reservationId: r.reservationId })));
    const audit = await runAudit(orm.em.fork());
    return {
      durationSeconds: holds.seconds + pays.seconds,
      parameters: { n, workers: workerCount, concurrency: config.WORKER_CONCURRENCY, scheduleId, profiles: profileDir ?? null },
      extra: { holds: holds.report, payments: pays.report, auditClean: audit.clean, ...(audit.clean ? {} : { violations: audit.violations }) },
      goals: [
        goal('holds/s (2 workers)', '≥ 1000', holds.report.jobsPerSecond, holds.report.jobsPerSecond >= 1000),
        goal('payments/s (2 workers)', '≥ 700', pays.report.jobsPerSecond, pays.report.jobsPerSecond >= 700),
        goal('audit clean', 'yes', audit.clean ? 1 : 0, audit.clean),
      ],
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM'); // graceful: the CPU profile is written on exit
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    for (const q of Object.values(queues.queues)) await q.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    redis.disconnect();
    await orm.close(true);
  }
};

/** A fresh concert with one schedule of `n` seats open for booking, and `n` funded users. */
async function makeSale(orm: Orm, n: number): Promise<{ scheduleId: number; userIds: number[] }> {
  const em = orm.em.fork();
  const now = Date.now();
  const [concert] = await sqlBatch(em, [{ sql: "insert into concerts (title, artist, duration_minutes) values (?, 'Load', 100)", params: [`workers load ${now}`] }]);
  const concertId = (concert as { insertId: number }).insertId;
  const [schedule] = await sqlBatch(em, [{
    sql: 'insert into schedules (concert_id, performance_at, booking_open_at, booking_close_at, max_seats_per_user, seat_count) values (?, ?, ?, ?, 4, ?)',
    params: [concertId, new Date(now + 30 * 86_400_000), new Date(now - 3_600_000), new Date(now + 29 * 86_400_000), n],
  }]);
  const scheduleId = (schedule as { insertId: number }).insertId;
  const base = 2_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const userIds = Array.from({ length: n }, (_, i) => base + i);
  for (let from = 0; from < n; from += 1000) {
    const seats = Array.from({ length: Math.min(1000, n - from) }, (_, i) => from + i + 1);
    const users = userIds.slice(from, from + 1000);
    await sqlBatch(em, [
      { sql: `insert into seats (schedule_id, seat_number, price) values ${seats.map(() => '(?, ?, 10000)').join(', ')}`, params: seats.flatMap((s) => [scheduleId, s]) },
      { sql: `insert into wallets (user_id, balance, version) values ${users.map(() => '(?, 1000000, 1)').join(', ')}`, params: users },
      {
        sql: `insert into wallet_ledger (user_id, amount, balance_after, kind, reference) values ${users.map(() => "(?, 1000000, 1000000, 'CHARGE', ?)").join(', ')}`,
        params: users.flatMap((u) => [u, `load-workers:${u}`]),
      },
    ]);
  }
  return { scheduleId, userIds };
}

async function startWorker(env: NodeJS.ProcessEnv, profileDir?: string): Promise<ChildProcess> {
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), 'src/workers/main.ts'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start in 120 s:\n${out}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"worker ready"')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited with ${code}:\n${out}`)); });
  });
  return child;
}

async function serverCounters(orm: Orm): Promise<Record<string, number>> {
  const rows = rowsOf<{ Variable_name: string; Value: string }>((await sqlBatch(orm.em, [{
    sql: "show global status where variable_name in ('Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_begin', 'Com_commit', 'Com_rollback', 'Com_set_option')",
  }]))[0]);
  return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]));
}

/** Enqueues the jobs at once, waits until every one ended, and measures. */
async function phase(orm: Orm, queue: Queue, prefix: string, redisUrl: string, name: 'reservation.hold' | 'payment.pay', payloads: object[]) {
  const connection = createRedis(redisUrl, 'blocking');
  const events = new QueueEvents(queue.name, { connection, prefix: bullPrefix(prefix) });
  await events.waitUntilReady();
  let ended = 0;
  const done = new Promise<void>((resolve) => {
    const tick = () => { if (++ended >= payloads.length) resolve(); };
    events.on('completed', tick);
    events.on('failed', tick);
  });
  const before = await serverCounters(orm);
  const started = performance.now();
  const idPrefix = name === 'reservation.hold' ? 'hold' : 'pay';
  const jobs = await queue.addBulk(payloads.map((data) => ({ name, data, opts: { ...JOBS[name].options, jobId: `${idPrefix}-${randomUUID()}` } })));
  // At most 10 minutes; the timer is cleared so it does not keep the runner alive afterwards.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((r) => { timer = setTimeout(r, 600_000); })]).finally(() => clearTimeout(timer));
  const seconds = (performance.now() - started) / 1000;
  const after = await serverCounters(orm);
  await events.close();
  connection.disconnect(); // BullMQ leaves a connection it was given open
  const finished = (await Promise.all(jobs.map((j) => queue.getJob(j.id!)))).filter((j): j is Job => !!j);
  const run = finished.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0));
  const wait = finished.map((j) => (j.processedOn ?? 0) - j.timestamp);
  const outcomes: Record<string, number> = {};
  for (const j of finished) {
    const rv = j.returnvalue as { ok?: boolean; error?: { code: string } } | null;
    const key = j.failedReason ? `failed: ${j.failedReason.slice(0, 60)}` : rv?.ok ? 'ok' : rv?.error?.code ?? 'unknown';
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
  const perJob = (k: string) => Math.round((100 * (delta[k] ?? 0)) / Math.max(1, payloads.length)) / 100;
  return {
    jobs: finished,
    seconds,
    report: {
      jobs: payloads.length, seconds: Math.round(seconds * 100) / 100, jobsPerSecond: Math.round(payloads.length / seconds),
      runMs: { p50: percentile(run, 50), p99: percentile(run, 99), max: percentile(run, 100) }, queueWaitMs: { p50: percentile(wait, 50), p99: percentile(wait, 99) },
      outcomes,
      // Server-wide: anything else using the database during the run is counted too.
      statementsPerJob: Object.fromEntries(Object.keys(delta).map((k) => [k, perJob(k)])),
    },
  };
}
