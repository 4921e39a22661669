// What a submission may be refused for, before anything is enqueued: the user's unfinished-job
// cap, the per-minute charge limit, a release of anything but the caller's PENDING hold, and a
// queue that cannot serve a new job in time. Also: queues are isolated (a payment never waits
// behind charges) and an Idempotency-Key whose job failed gets a fresh attempt.
// API in this process, workers as separate processes, real MySQL and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { admittedFans, finished, fund, submit } from '../support/flow.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { JOBS } from '../../src/jobs/jobs.catalog.ts';
import { JobQueues } from '../../src/jobs/jobs.queues.ts';
import { sleep, until } from '../support/wait.ts';

let t: TestApi;
const workers: WorkerProcess[] = [];
const users = userIdSource();

beforeAll(async () => {
  const env = testEnv({ QUEUE_MAX_ACTIVE: '1000', WORKER_CONCURRENCY: '4', WALLET_CHARGES_PER_MINUTE: '5' });
  t = await startTestApi(env);
  workers.push(await spawnWorker(env));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await t.close();
});

describe('unfinished jobs per user', () => {
  it('with 2 unfinished jobs a third submit is a 429 TOO_MANY_PENDING_JOBS with Retry-After and enqueues nothing; once they end it is accepted', async () => {
    const charges = t.api.queues.queues.charges;
    const jwt = await t.token(users(1)[0]!);
    await charges.pause(); // the jobs stay unfinished until resumed
    try {
      const first = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 100 } });
      const second = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 100 } });
      expect([first.status, second.status]).toEqual([202, 202]);
      const before = await charges.getJobCounts('wait');
      const third = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 100 } });
      expect(third.status).toBe(429);
      expect(third.json.error).toMatchObject({ code: 'TOO_MANY_PENDING_JOBS', details: { limit: 2, pending: 2 } });
      expect(third.headers.get('retry-after')).toBe('1');
      expect(await charges.getJobCounts('wait')).toEqual(before);
      await charges.resume();
      await Promise.all([first, second].map((r) => finished(t, jwt, r.json.jobId)));
    } finally {
      await charges.resume();
    }
    const later = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 100 } });
    expect(later.status).toBe(202);
  });
});

describe('wallet charges per minute', () => {
  it('the sixth charge within a minute is a 429 RATE_LIMITED with Retry-After', async () => {
    // Keep the six submits inside one fixed minute window.
    if (new Date().getSeconds() > 40) await sleep((61 - new Date().getSeconds()) * 1000);
    const jwt = await t.token(users(1)[0]!);
    for (let i = 0; i < 5; i++) {
      const res = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 10 } });
      expect(res.status).toBe(202);
      await finished(t, jwt, res.json.jobId);
    }
    const sixth = await api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 10 } });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 5 } });
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});

describe('releasing a hold', () => {
  it('only the caller\'s PENDING hold is released; anything else is refused before enqueueing', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 4, price: 1_000 });
    const [fan, other] = await admittedFans(t, concert.id, users(2));
    const releases = t.api.queues.queues.releases;
    const counts = () => releases.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed');
    const hold = await finished(t, fan!.jwt, (await submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    const id = hold.result.reservationId as number;
    const before = await counts();
    const stranger = await api(t.url, `/api/reservations/${id}`, { method: 'DELETE', token: other!.jwt });
    expect([stranger.status, stranger.json.error.code]).toEqual([404, 'RESERVATION_NOT_FOUND']);
    const missing = await api(t.url, '/api/reservations/999999999', { method: 'DELETE', token: fan!.jwt });
    expect([missing.status, missing.json.error.code]).toEqual([404, 'RESERVATION_NOT_FOUND']);
    expect(await counts()).toEqual(before);

    const released = await api(t.url, `/api/reservations/${id}`, { method: 'DELETE', token: fan!.jwt });
    expect(released.status).toBe(202);
    const done = await finished(t, fan!.jwt, released.json.jobId);
    expect(done).toMatchObject({ type: 'reservation.release', state: 'succeeded', result: { reservationId: id, status: 'RELEASED' } });
    const again = await api(t.url, `/api/reservations/${id}`, { method: 'DELETE', token: fan!.jwt });
    expect([again.status, again.json.error.code, again.json.error.details.status]).toEqual([409, 'RESERVATION_NOT_PENDING', 'RELEASED']);

    // A paid hold is CONFIRMED: not releasable either.
    await fund(t, fan!.jwt, 1_000);
    const paidHold = await finished(t, fan!.jwt, (await submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [2] })).json.jobId);
    await finished(t, fan!.jwt, (await submit(t, fan!, '/api/payments', { reservationId: paidHold.result.reservationId })).json.jobId);
    const afterPay = await counts();
    const paid = await api(t.url, `/api/reservations/${paidHold.result.reservationId}`, { method: 'DELETE', token: fan!.jwt });
    expect([paid.status, paid.json.error.code, paid.json.error.details.status]).toEqual([409, 'RESERVATION_NOT_PENDING', 'CONFIRMED']);
    expect(await counts()).toEqual(afterPay);
  });
});

describe('queue isolation', () => {
  it('charges, releases and expiries have queues of their own, and a payment finishes while 2,000 charges still wait', async () => {
    const queueOf = (n: keyof typeof JOBS) => JOBS[n].queue;
    expect(new Set([queueOf('reservation.hold'), queueOf('reservation.release'), queueOf('hold.expire')]).size).toBe(3);
    expect(queueOf('payment.pay')).not.toBe(queueOf('wallet.charge'));

    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1, price: 1_000 });
    const [fan] = await admittedFans(t, concert.id, users(1));
    await fund(t, fan!.jwt, 1_000);
    const hold = await finished(t, fan!.jwt, (await submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    // A flood of charges from other accounts, straight into their queue.
    const flooders = users(2000);
    await t.api.queues.queues.charges.addBulk(flooders.map((userId) => ({
      name: 'wallet.charge', data: { userId, amount: 1 }, opts: { ...JOBS['wallet.charge'].options, jobId: JobQueues.newUserJobId('wallet.charge') },
    })));
    try {
      const pay = await submit(t, fan!, '/api/payments', { reservationId: hold.result.reservationId });
      const paid = await finished(t, fan!.jwt, pay.json.jobId);
      expect(paid.state).toBe('succeeded');
      expect(await t.api.queues.queues.charges.getWaitingCount()).toBeGreaterThan(0);
    } finally {
      await t.api.queues.queues.charges.drain(); // the flood would otherwise shed the next tests' charges
    }
  });
});

describe('idempotency after a failure', () => {
  it('a payment that failed INSUFFICIENT_BALANCE, resubmitted with the same Idempotency-Key after funding, runs again as a fresh job and succeeds', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1, price: 5_000 });
    const [fan] = await admittedFans(t, concert.id, users(1));
    const hold = await finished(t, fan!.jwt, (await submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    const key = { 'idempotency-key': `pay-${hold.result.reservationId}` };
    const body = { reservationId: hold.result.reservationId };
    const first = await submit(t, fan!, '/api/payments', body, key);
    expect((await finished(t, fan!.jwt, first.json.jobId)).error.code).toBe('INSUFFICIENT_BALANCE');

    await fund(t, fan!.jwt, 5_000);
    const retry = await submit(t, fan!, '/api/payments', body, key);
    expect(retry.status).toBe(202);
    expect(retry.json.jobId).not.toBe(first.json.jobId);
    const paid = await finished(t, fan!.jwt, retry.json.jobId);
    expect(paid).toMatchObject({ state: 'succeeded', result: { reservationId: body.reservationId, alreadyPaid: false } });
    expect((await finished(t, fan!.jwt, first.json.jobId)).error.code).toBe('INSUFFICIENT_BALANCE'); // the failed attempt stays as it was
    expect((await api(t.url, '/api/wallet', { token: fan!.jwt })).json.balance).toBe(0);
  });

  it('five simultaneous submits with one Idempotency-Key start one job', async () => {
    const jwt = await t.token(users(1)[0]!);
    const key = { 'idempotency-key': 'double-click' };
    const res = await Promise.all(Array.from({ length: 5 }, () => api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 7 }, headers: key })));
    expect(res.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(res.map((r) => r.json.jobId)).size).toBe(1);
    await finished(t, jwt, res[0]!.json.jobId);
    expect((await api(t.url, '/api/wallet', { token: jwt })).json.balance).toBe(7);
  });
});

describe('load shedding', () => {
  it('a hold queue whose backlog nothing has finished for 10 s answers 503 OVERLOADED with Retry-After, other queues still accept, and it accepts again once the backlog drains', async () => {
    // Its own API and Redis prefix with no worker yet, and a small line that is always accepted.
    const env = testEnv({ QUEUE_MAX_ACTIVE: '1000', OVERLOAD_MIN_BACKLOG: '5' });
    const t2 = await startTestApi(env);
    try {
      const { concert, schedules } = await makeConcert(t2.rt.orm.em.fork(), { seats: 2 });
      const [fan] = await admittedFans(t2, concert.id, users(1));
      for (let i = 0; i < 10; i++) {
        await t2.api.queues.enqueue('reservation.hold', { userId: users(1)[0]!, scheduleId: 999_999_999, seatNumbers: [1] }, { jobId: JobQueues.newUserJobId('reservation.hold') });
      }
      const seat = (n: number) => ({ scheduleId: schedules[0]!.id, seatNumbers: [n] });
      // A burst into a queue that was idle is accepted: no rate can be judged until the queue has
      // been busy for the rate's window (10 s).
      const first = await submit(t2, fan!, '/api/reservations', seat(1));
      expect(first.status).toBe(202);
      await sleep(10_500);
      // Busy for 10 s and nothing finished: the queue sheds.
      const shed = await submit(t2, fan!, '/api/reservations', seat(2));
      expect(shed.status).toBe(503);
      expect(shed.json.error).toMatchObject({ code: 'OVERLOADED', details: { queue: 'reservations', backlog: 11 } });
      expect(Number(shed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await t2.api.queues.queues.reservations.getWaitingCount()).toBe(11);
      const charge = await api(t2.url, '/api/wallet/charges', { method: 'POST', token: fan!.jwt, json: { amount: 1 } });
      expect(charge.status).toBe(202); // another queue: unaffected

      workers.push(await spawnWorker(env)); // the backlog drains (the 10 stray holds fail SCHEDULE_NOT_FOUND)
      expect((await finished(t2, fan!.jwt, first.json.jobId)).state).toBe('succeeded');
      const accepted = await until('a hold submit accepted', async () => {
        const r = await submit(t2, fan!, '/api/reservations', seat(2));
        return r.status === 202 && r;
      }, 60_000, 50);
      expect((await finished(t2, fan!.jwt, accepted.json.jobId)).state).toBe('succeeded');
    } finally {
      await t2.close();
    }
  }, 120_000);
});
