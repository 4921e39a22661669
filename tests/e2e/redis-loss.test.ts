// Self-healing after Redis loses its data: FLUSHALL on a private Redis under running worker
// processes. The recurring schedulers come back by themselves, a hold whose delayed expiry job
// vanished still expires (by the sweep, within its bound), and nothing is left stranded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { admittedFans, finished, fund, submit } from '../support/flow.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { PrivateRedis } from '../support/private-redis.ts';
import { outboxBacklog } from '../../src/domain/events/outbox.relay.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { Reservation } from '../../src/domain/reservation/reservation.entity.ts';
import { Seat } from '../../src/domain/catalog/catalog.entity.ts';
import { until } from '../support/wait.ts';

const redis = new PrivateRedis(6400 + Number(process.env.VITEST_POOL_ID ?? 1) * 7);
let t: TestApi;
let workers: WorkerProcess[];
const users = userIdSource();

beforeAll(async () => {
  await redis.start();
  const env = testEnv({
    REDIS_URL: redis.url, QUEUE_MAX_ACTIVE: '1000', HOLD_TTL_SECONDS: '6',
    HOLD_SWEEP_INTERVAL_MS: '1000', SCHEDULERS_ENSURE_INTERVAL_MS: '1000', OUTBOX_RELAY_INTERVAL_MS: '200',
  });
  t = await startTestApi(env);
  workers = await Promise.all([spawnWorker(env), spawnWorker(env)]);
}, 180_000);
afterAll(async () => {
  await Promise.all((workers ?? []).map((w) => w.stop()));
  await t?.close();
  await redis.stop();
});

describe('Redis loses every key (FLUSHALL) under running workers', () => {
  it('the schedulers come back, an existing hold still expires via the sweep, and new fans hold and pay again', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 2 });
    const [first] = await admittedFans(t, concert.id, users(1));
    const hold = await finished(t, first!.jwt, (await submit(t, first!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    expect(hold.state).toBe('succeeded');
    const expiresAt = Date.parse(hold.result.expiresAt);

    await redis.flushAll(); // the hold's delayed expiry job, the schedulers, the line: all gone
    const flushedAt = Date.now();
    // The hold's own expiry job is gone for good (nothing re-creates it); only the sweep can help.
    expect(await t.api.queues.queues.holds.getJob(`expire-${hold.result.reservationId}`)).toBeUndefined();

    await until('the schedulers to be re-created by the workers', async () =>
      Boolean(await t.api.queues.queues.holds.getJobScheduler('holds-sweep')) && Boolean(await t.api.queues.queues.events.getJobScheduler('outbox-relay')));
    console.info(`schedulers back ${Date.now() - flushedAt} ms after FLUSHALL (bound: SCHEDULERS_ENSURE_INTERVAL_MS = 1 s)`);

    await until('the orphaned hold to expire', async () =>
      (await t.rt.orm.em.fork().findOneOrFail(Reservation, hold.result.reservationId)).status === 'EXPIRED');
    // Never early (a lower bound cannot flake); how late is reported against its bound.
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    console.info(`orphaned hold expired ${Date.now() - expiresAt} ms after its expiry (bound: 5 s grace + 1 s sweep interval + 1 s ensure)`);
    expect((await t.rt.orm.em.fork().findOneOrFail(Seat, { scheduleId: schedules[0]!.id, seatNumber: 1 })).status).toBe('AVAILABLE');

    // Nothing stranded: a fan joining after the loss holds the freed seat and pays; the outbox relay
    // (its scheduler re-created) publishes the events.
    const [second] = await admittedFans(t, concert.id, users(1));
    await fund(t, second!.jwt, 500_000);
    const again = await finished(t, second!.jwt, (await submit(t, second!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    expect(again.state).toBe('succeeded');
    const paid = await finished(t, second!.jwt, (await submit(t, second!, '/api/payments', { reservationId: again.result.reservationId })).json.jobId);
    expect(paid.state).toBe('succeeded');
    await until('the outbox to drain', async () => (await outboxBacklog(t.rt.orm.em.fork())).pending === 0);
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
  }, 300_000);
});
