// The fault suite: a small on-sale rush against a private Encore (its own MariaDB, Redis with AOF,
// Kafka broker, API and workers), and during each rush one fault. After each: the SQL audit is
// clean, every fan has a final answer, every payment.completed is on Kafka exactly once after
// dedupe. Reports hold/payment p99 during the fault, fans' longest wait and the recovery time.
//
//   npm run chaos                       all faults, 2,000 fans on 500 seats, 30 s freeze, 120 s Kafka outage
//   npm run chaos -- --ci               the cheap ones (SIGKILL worker, graceful SIGTERM, Redis restart and flush, 10 s freeze), 300 fans on 100 seats
//   npm run chaos -- --only redis-flush --fans 500 --seats 100
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import { Stack, sleep } from './chaos/stack.ts';
import { ChaosClient, fan, type Answer, type JobTiming } from './chaos/rush.ts';
import { FAULTS } from './chaos/faults.ts';
import { createOrm } from '../src/platform/db.ts';
import { ormModel } from '../src/domain/model.ts';
import { makeConcert } from '../tests/support/fixtures.ts';

const { values: args } = parseArgs({
  options: {
    ci: { type: 'boolean', default: false },
    fans: { type: 'string' }, seats: { type: 'string' }, only: { type: 'string' },
    freeze: { type: 'string' }, 'kafka-down': { type: 'string' }, port: { type: 'string', default: '3960' },
    'deadline-seconds': { type: 'string' },
  },
});
const ci = args.ci!;
const fans = Number(args.fans ?? (ci ? 300 : 2000));
const seats = Number(args.seats ?? (ci ? 100 : 500));
const opts = { freezeSeconds: Number(args.freeze ?? (ci ? 10 : 30)), kafkaDownSeconds: Number(args['kafka-down'] ?? (ci ? 20 : 120)) };
const only = args.only?.split(',');
const faults = FAULTS.filter((f) => (only ? only.includes(f.name) : !ci || f.ci));
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (m: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${m}`);
const p99 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]! : 0);

interface Row { fault: string; what: string; fans: number; confirmed: number; soldOut: number; noAnswer: number; audit: string; events: string;
  holdP99: number; payP99: number; holdsDuring: number; paymentsDuring: number; longestWaitMs: number; recoveryMs: number; eventsDeliveredMs: number; refused: number; dropped: Record<string, number>; note?: string; problem?: string; ok: boolean }

const stack = new Stack({ basePort: Number(args.port), workers: 2 });
// Ctrl-C or a CI timeout: stop every private process this run started, then exit.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { void stack.stop().finally(() => process.exit(130)); });
}
const rows: Row[] = [];
let consumer: Consumer | undefined;
try {
  await stack.start(log);
  const orm = await createOrm({ DATABASE_URL: stack.env.DATABASE_URL!, DB_DRIVER: 'mariadb', DB_POOL_MAX: 2 }, ormModel);
  const db = () => createConnection({ host: '127.0.0.1', port: stack.mariadb.port, user: 'root', password: 'chaos', database: 'encore_chaos' });
  const kafka = new Kafka({ brokers: [stack.kafka.brokers], logLevel: logLevel.NOTHING, retry: { retries: 1000, initialRetryTime: 200, maxRetryTime: 2000 } });
  const seen: { id: string; concertId: number }[] = [];
  consumer = kafka.consumer({ groupId: `chaos-observer-${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1000, retry: { retries: 1000, initialRetryTime: 200, maxRetryTime: 2000 } });
  await consumer.connect();
  await consumer.subscribe({ topics: ['chaos.payment.completed'], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { const e = JSON.parse(message.value!.toString()); seen.push({ id: e.id, concertId: e.data.concertId }); } });
  const client = new ChaosClient(stack.url, stack.env.JWT_SECRET!);
  let nextUser = 1_000_000 + Math.floor(Math.random() * 1_000_000) * 10;

  for (const fault of faults) {
    log(`fault ${fault.name}: ${fault.what} (${fans} fans, ${seats} seats)`);
    const { concert, schedules } = await makeConcert(orm.em.fork(), { seats, maxSeatsPerUser: 1, price: 10_000 });
    const timings: JobTiming[] = [];
    const deadline = Date.now() + Number(args['deadline-seconds'] ?? (ci ? 600 : 1200)) * 1000;
    const users = Array.from({ length: fans }, () => nextUser++);
    let answered = 0;
    const rush = Promise.all(users.map(async (u, i) => {
      await sleep((i / fans) * 3000);
      try { return await fan(client, u, concert.id, schedules[0]!.id, deadline, timings); } finally { answered++; }
    }));
    const progress = setInterval(() => {
      const waiting = Object.fromEntries([...client.inFlight].filter(([, n]) => n > 0));
      log(`  ${answered}/${fans} fans answered; requests in flight: ${JSON.stringify(waiting)}`);
    }, 30_000);
    await sleep(4000); // the rush is under way: holds and payments in flight
    const { startedAt, repairedAt, note, problem } = await fault.apply(stack, opts);
    log(`  fault applied and repaired in ${repairedAt - startedAt} ms${note ? ` (${note})` : ''}`);
    // Recovery: how long after the repair until a job goes through the whole path again.
    const probeUser = nextUser++;
    let recoveredAt = 0;
    while (!recoveredAt && Date.now() < deadline) {
      const r = await client.request('POST', '/api/wallet/charges', probeUser, { body: { amount: 1 } });
      if (r.status === 202) {
        const done = await client.request('GET', `/api/jobs/${r.json.jobId}?waitMs=5000`, probeUser);
        if (done.json?.state === 'succeeded') recoveredAt = Date.now();
      } else await sleep(250);
    }
    const answers: Answer[] = await rush.finally(() => clearInterval(progress));
    log(`  every fan answered${recoveredAt ? '' : ' (the probe job never went through)'}; checking the outbox, Kafka and the audit`);
    await stack.heal();
    // Events: wait for the outbox to drain, then compare with what reached Kafka.
    const conn = await db();
    let drainedAt = 0;
    for (let i = 0; i < 1200 && !drainedAt; i++) {
      const [[r]] = (await conn.query('select count(*) as n from outbox where sent_at is null')) as unknown as [[{ n: number }]];
      if (Number(r.n) === 0) drainedAt = Date.now(); else await sleep(500);
    }
    const [outboxRows] = (await conn.query("select event_id, envelope from outbox where type = 'payment.completed'")) as unknown as [{ event_id: string; envelope: string }[]];
    const [[confirmed]] = (await conn.query("select count(*) as n from reservations where schedule_id = ? and status = 'CONFIRMED'", [schedules[0]!.id])) as unknown as [[{ n: number }]];
    await conn.end();
    log(`  outbox ${drainedAt ? 'drained' : 'NOT drained'}; reading payment.completed back from Kafka`);
    const expected = new Set(outboxRows.filter((r) => JSON.parse(r.envelope).data.concertId === concert.id).map((r) => r.event_id));
    for (let i = 0; i < 240 && [...expected].some((id) => !seen.some((s) => s.id === id)); i++) await sleep(500);
    const delivered = seen.filter((s) => expected.has(s.id));
    const distinct = new Set(delivered.map((s) => s.id)).size;
    const eventsOk = distinct === expected.size && expected.size === Number(confirmed.n);
    let audit = 'clean';
    try {
      execFileSync(process.execPath, [join(root, 'src/cli/audit.ts')], { env: { ...process.env, ...stack.env, LOG_LEVEL: 'warn' }, stdio: 'pipe' });
    } catch (err) {
      audit = `VIOLATIONS: ${String((err as { stdout?: Buffer }).stdout ?? '').slice(0, 500)}`;
    }
    const conns = client.connectionErrors.splice(0).filter((e) => e.at >= startedAt - 1000);
    const during = timings.filter((t) => t.submittedAt >= startedAt - 1000 && t.submittedAt <= (recoveredAt || repairedAt));
    const row: Row = {
      fault: fault.name, what: fault.what, fans,
      confirmed: answers.filter((a) => a === 'CONFIRMED').length, soldOut: answers.filter((a) => a === 'SOLD_OUT').length, noAnswer: answers.filter((a) => a === 'NO_ANSWER').length,
      audit, events: `${distinct}/${expected.size} distinct (${delivered.length - distinct} duplicates deduped), ${confirmed.n} confirmed`,
      holdP99: p99(during.filter((t) => t.kind === 'hold').map((t) => t.ms)), payP99: p99(during.filter((t) => t.kind === 'payment').map((t) => t.ms)),
      holdsDuring: during.filter((t) => t.kind === 'hold').length, paymentsDuring: during.filter((t) => t.kind === 'payment').length,
      longestWaitMs: Math.max(0, ...timings.map((t) => t.ms)), recoveryMs: recoveredAt ? recoveredAt - repairedAt : -1,
      eventsDeliveredMs: drainedAt ? drainedAt - repairedAt : -1, note, problem, ok: false,
      refused: conns.filter((e) => e.code === 'refused').length, dropped: conns.filter((e) => e.code === 'dropped').reduce<Record<string, number>>((m, e) => ({ ...m, [e.detail]: (m[e.detail] ?? 0) + 1 }), {}),
    };
    row.ok = !problem && row.noAnswer === 0 && audit === 'clean' && eventsOk && row.confirmed === Number(confirmed.n);
    rows.push(row);
    log(`  ${row.ok ? 'OK' : 'FAILED'}: ${JSON.stringify(row)}`);
  }
  await client.close();
  await orm.close(true);
} finally {
  await consumer?.disconnect().catch(() => undefined);
  await stack.stop();
}

// p99 of the jobs submitted during the fault, and how many there were (none: the fans were waiting).
const during = (ms: number, n: number) => (n ? `${ms} ms (${n})` : '— (0)');
const table = [
  '| fault | fans: confirmed / sold out / no answer | lost | audit | payment.completed on Kafka | hold p99 during | payment p99 during | longest job wait | recovery (first job after repair) | outbox drained after repair | requests refused / dropped |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.fault} | ${r.confirmed} / ${r.soldOut} / ${r.noAnswer} | ${r.ok ? 'nothing' : 'SEE LOG'} | ${r.audit} | ${r.events} | ${during(r.holdP99, r.holdsDuring)} | ${during(r.payP99, r.paymentsDuring)} | ${r.longestWaitMs} ms | ${r.recoveryMs} ms | ${r.eventsDeliveredMs} ms | ${r.refused} / ${Object.values(r.dropped).reduce((a, b) => a + b, 0)} |`),
].join('\n');
console.log(`\n${table}\n`);
mkdirSync(join(root, '.services'), { recursive: true });
writeFileSync(join(root, `.services/chaos-${ci ? 'ci' : 'full'}.json`), JSON.stringify(rows, null, 2));
const failed = rows.filter((r) => !r.ok).length;
console.log(`chaos: ${rows.length - failed} faults passed, ${failed} failed`);
process.exitCode = failed || rows.length !== faults.length ? 1 : 0;
