// The heart of Encore under concurrency: the API in this process, two worker processes, real
// MySQL and Redis. After every scenario the SQL audit must be clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { admittedFans, finished, fund, submit } from '../support/flow.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { Seat } from '../../src/domain/catalog/catalog.entity.ts';
import { JobQueues } from '../../src/jobs/jobs.queues.ts';

let t: TestApi;
let workers: WorkerProcess[];
const users = userIdSource();

beforeAll(async () => {
  // The per-user caps are off here: these tests race one user's parallel jobs on purpose.
  const env = testEnv({ QUEUE_MAX_ACTIVE: '1000', WORKER_CONCURRENCY: '16', MAX_PENDING_JOBS_PER_USER: '0', WALLET_CHARGES_PER_MINUTE: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  t = await startTestApi(env);
  workers = await Promise.all([spawnWorker(env), spawnWorker(env)]);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await t.close();
});

const expectCleanAudit = async () => {
  const report = await runAudit(t.rt.orm.em.fork());
  expect(report.violations).toEqual({});
};

describe('holding seats', () => {
  it('500 concurrent reservations of one seat: exactly one hold, 499 SEAT_UNAVAILABLE, no 5xx', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1 });
    const fans = await admittedFans(t, concert.id, users(500));
    const submitted = await Promise.all(fans.map((f) => submit(t, f, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })));
    expect(submitted.map((r) => r.status).filter((s) => s !== 202)).toEqual([]);
    const results = await Promise.all(submitted.map((r, i) => finished(t, fans[i]!.jwt, r.json.jobId)));
    expect(results.filter((j) => j.state === 'succeeded')).toHaveLength(1);
    const failures = results.filter((j) => j.state === 'failed').map((j) => j.error.code);
    expect(failures).toHaveLength(499);
    expect(new Set(failures)).toEqual(new Set(['SEAT_UNAVAILABLE']));
    await expectCleanAudit();
  });

  it('200 users grabbing random seats of 100: no seat held twice and every job ends', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 100 });
    const fans = await admittedFans(t, concert.id, users(200));
    const picks = fans.map(() => {
      const a = 1 + Math.floor(Math.random() * 100);
      const b = 1 + Math.floor(Math.random() * 100);
      return a === b ? [a] : [a, b];
    });
    const submitted = await Promise.all(fans.map((f, i) => submit(t, f, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: picks[i] })));
    const results = await Promise.all(submitted.map((r, i) => finished(t, fans[i]!.jwt, r.json.jobId)));
    const held = results.filter((j) => j.state === 'succeeded').flatMap((j) => j.result.seats.map((s: { seatNumber: number }) => s.seatNumber));
    expect(new Set(held).size).toBe(held.length);
    expect(results.every((j) => j.state === 'succeeded' || j.error.code === 'SEAT_UNAVAILABLE')).toBe(true);
    const heldInDb = await t.rt.orm.em.fork().count(Seat, { scheduleId: schedules[0]!.id, status: 'HELD' });
    expect(heldInDb).toBe(held.length);
    await expectCleanAudit();
  });

  it('one user, 10 parallel reservations of one seat each with maxSeatsPerUser 4: exactly 4 held', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 10, maxSeatsPerUser: 4 });
    const [fan] = await admittedFans(t, concert.id, users(1));
    const submitted = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [i + 1] })));
    const results = await Promise.all(submitted.map((r) => finished(t, fan!.jwt, r.json.jobId)));
    expect(results.filter((j) => j.state === 'succeeded')).toHaveLength(4);
    expect(results.filter((j) => j.state === 'failed').map((j) => j.error.code)).toEqual(Array(6).fill('SEAT_LIMIT_EXCEEDED'));
    await expectCleanAudit();
  });
});

describe('paying', () => {
  it('one reservation paid by 10 parallel requests: one payment, one debit', async () => {
    // Three seats, two bought: the concert does not sell out, so the fan's status below is about
    // its own slot, not the concert's SOLD_OUT (which a sold-out flag set in time would answer).
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 3, price: 70_000 });
    const [fan] = await admittedFans(t, concert.id, users(1));
    await fund(t, fan!.jwt, 200_000);
    const hold = await finished(t, fan!.jwt, (await submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1, 2] })).json.jobId);
    expect(hold.state).toBe('succeeded');
    const reservationId = hold.result.reservationId;
    const pays = await Promise.all(Array.from({ length: 10 }, () => submit(t, fan!, '/api/payments', { reservationId })));
    // The first payment ends the fan's queue slot, so a request that arrives after it finished is
    // refused at the door; how many do depends on timing, never on correctness.
    const refused = pays.filter((r) => r.status !== 202);
    expect(refused.map((r) => [r.status, r.json.error.code])).toEqual(refused.map(() => [403, 'QUEUE_TOKEN_NOT_ACTIVE']));
    const results = await Promise.all(pays.filter((r) => r.status === 202).map((r) => finished(t, fan!.jwt, r.json.jobId)));
    // Every accepted attempt succeeds with the same payment (idempotent by reservation), or found
    // the queue slot already ended by the first payment.
    const paymentIds = new Set(results.filter((j) => j.state === 'succeeded').map((j) => j.result.paymentId));
    expect(paymentIds.size).toBe(1);
    expect(results.filter((j) => j.state === 'succeeded' && !j.result.alreadyPaid)).toHaveLength(1);
    const wallet = await api(t.url, '/api/wallet', { token: fan!.jwt });
    expect(wallet.json.balance).toBe(200_000 - 140_000);
    const r = await api(t.url, `/api/reservations/${reservationId}`, { token: fan!.jwt });
    expect(r.json.status).toBe('CONFIRMED');
    // Paying ended the fan's queue slot at once.
    const status = await api(t.url, '/api/queue/status', { token: fan!.jwt, headers: { 'x-queue-token': fan!.queueToken } });
    expect(status.json.state).toBe('EXPIRED');
    await expectCleanAudit();
  });

  it('100 parallel charges and payments on one wallet: balance equals ledger, never negative', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 50, price: 10_000, maxSeatsPerUser: 50 });
    const [fan] = await admittedFans(t, concert.id, users(1));
    const holds = [];
    for (let i = 0; i < 50; i++) {
      const res = await submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [i + 1] });
      holds.push(res.json.jobId as string);
    }
    const held = await Promise.all(holds.map((id) => finished(t, fan!.jwt, id)));
    expect(held.filter((j) => j.state !== 'succeeded')).toEqual([]);
    const reservations = held.map((j) => j.result.reservationId as number);
    // 50 charges of 5,000 race 50 payments of 10,000: some payments must fail for lack of money.
    // The payments are enqueued directly: over HTTP the first one to finish ends the fan's queue
    // slot and the later submits are refused (403), which is the queue rule, not the money race.
    const chargeJobs = await Promise.all(Array.from({ length: 50 }, () => api(t.url, '/api/wallet/charges', { method: 'POST', token: fan!.jwt, json: { amount: 5_000 } })));
    const payJobIds = await Promise.all(reservations.map(async (reservationId) => {
      const jobId = JobQueues.newUserJobId('payment.pay');
      await t.api.queues.enqueue('payment.pay', { userId: fan!.userId, reservationId }, { jobId });
      return jobId;
    }));
    const results = await Promise.all([...chargeJobs.map((r) => r.json.jobId as string), ...payJobIds].map((id) => finished(t, fan!.jwt, id)));
    const charged = results.filter((j) => j.type === 'wallet.charge' && j.state === 'succeeded').length;
    const paid = results.filter((j) => j.type === 'payment.pay' && j.state === 'succeeded').length;
    expect(charged).toBe(50);
    const failedPays = results.filter((j) => j.type === 'payment.pay' && j.state === 'failed').map((j) => j.error.code);
    expect(failedPays.filter((c) => c !== 'INSUFFICIENT_BALANCE')).toEqual([]);
    const wallet = await api(t.url, '/api/wallet', { token: fan!.jwt });
    expect(wallet.json.balance).toBe(50 * 5_000 - paid * 10_000);
    expect(wallet.json.balance).toBeGreaterThanOrEqual(0);
    await expectCleanAudit();
  });
});

describe('jobs and idempotency', () => {
  it('the same Idempotency-Key and body return the same job; another body is a 422', async () => {
    const [fan] = await admittedFans(t, (await makeConcert(t.rt.orm.em.fork())).concert.id, users(1));
    const key = { 'idempotency-key': `k-${fan!.userId}` };
    const first = await api(t.url, '/api/wallet/charges', { method: 'POST', token: fan!.jwt, json: { amount: 1000 }, headers: key });
    const again = await api(t.url, '/api/wallet/charges', { method: 'POST', token: fan!.jwt, json: { amount: 1000 }, headers: key });
    expect(again.status).toBe(202);
    expect(again.json.jobId).toBe(first.json.jobId);
    const other = await api(t.url, '/api/wallet/charges', { method: 'POST', token: fan!.jwt, json: { amount: 2000 }, headers: key });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await finished(t, fan!.jwt, first.json.jobId);
    expect((await api(t.url, '/api/wallet', { token: fan!.jwt })).json.balance).toBe(1000);
  });

  it('a job is readable only by its submitter; anyone else gets 404', async () => {
    const jwt = await t.token(users(1)[0]!);
    const res = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 10 } });
    const stranger = await t.token(users(1)[0]!);
    const peek = await api(t.url, `/api/jobs/${res.json.jobId}`, { token: stranger });
    expect(peek.status).toBe(404);
    expect(peek.json.error.code).toBe('JOB_NOT_FOUND');
    expect((await api(t.url, `/api/jobs/${res.json.jobId}`)).status).toBe(401);
  });

  it('a charge over the per-charge limit is a 422 naming the limit', async () => {
    const jwt = await t.token(users(1)[0]!);
    const res = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 1_000_001 } });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { field: 'amount', limit: 'maxCharge' } });
  });
});

describe('queue token required', () => {
  it('no token, a waiting token, or a token for another concert: 401/403 and nothing enqueued', async () => {
    const a = await makeConcert(t.rt.orm.em.fork());
    const b = await makeConcert(t.rt.orm.em.fork());
    const [fanA] = await admittedFans(t, a.concert.id, users(1));
    const counts = async () => (await t.api.queues.queues.reservations.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'));
    const before = await counts();
    const body = { scheduleId: b.schedules[0]!.id, seatNumbers: [1] };
    const none = await api(t.url, '/api/reservations', { method: 'POST', token: fanA!.jwt, json: body });
    expect([none.status, none.json.error.code]).toEqual([401, 'QUEUE_TOKEN_MISSING']);
    const wrong = await submit(t, fanA!, '/api/reservations', body);
    expect([wrong.status, wrong.json.error.code]).toEqual([403, 'QUEUE_TOKEN_WRONG_CONCERT']);
    // A token that has ended (its owner left the line) is EXPIRED.
    const [fanB] = await admittedFans(t, b.concert.id, users(1));
    await api(t.url, '/api/queue/tokens/current', { method: 'DELETE', token: fanB!.jwt, headers: { 'x-queue-token': fanB!.queueToken } });
    const expired = await submit(t, fanB!, '/api/reservations', body);
    expect([expired.status, expired.json.error.code, expired.json.error.details]).toEqual([403, 'QUEUE_TOKEN_NOT_ACTIVE', { state: 'EXPIRED' }]);
    // Someone else's token.
    const stolen = await api(t.url, '/api/reservations', { method: 'POST', token: fanA!.jwt, json: body, headers: { 'x-queue-token': fanB!.queueToken } });
    expect([stolen.status, stolen.json.error.code]).toEqual([403, 'QUEUE_TOKEN_FORBIDDEN']);
    expect(await counts()).toEqual(before);
  });
});
