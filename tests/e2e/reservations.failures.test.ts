// Holds that run out, and a worker process killed mid-flight. Short hold TTL and short job locks
// so that both happen within the test; API in-process, workers as separate processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { admittedFans, finished, fund, submit } from '../support/flow.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { Reservation } from '../../src/domain/reservation/reservation.entity.ts';
import { Seat } from '../../src/domain/catalog/catalog.entity.ts';
import { sleep, until } from '../support/wait.ts';

let t: TestApi;
let env: Record<string, string>;
const workers: WorkerProcess[] = [];
const users = userIdSource();

beforeAll(async () => {
  env = testEnv({
    QUEUE_MAX_ACTIVE: '1000', HOLD_TTL_SECONDS: '2', HOLD_SWEEP_INTERVAL_MS: '500',
    WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', WORKER_CONCURRENCY: '8',
  });
  t = await startTestApi(env);
  workers.push(...(await Promise.all([spawnWorker(env), spawnWorker(env)])));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await t.close();
});

describe('hold expiry', () => {
  it('a hold that runs out is released by its own expiry job, not before its expiry; the seats resell, and paying the old hold fails HOLD_EXPIRED', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 2 });
    const [first, second] = await admittedFans(t, concert.id, users(2));
    await fund(t, first!.jwt, 500_000);
    const hold = await finished(t, first!.jwt, (await submit(t, first!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1, 2] })).json.jobId);
    expect(hold.state).toBe('succeeded');
    const expiresAt = Date.parse(hold.result.expiresAt);

    // Until expiry the seats are taken.
    const early = await finished(t, second!.jwt, (await submit(t, second!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    expect(early.error.code).toBe('SEAT_UNAVAILABLE');

    await until('the hold to expire', async () =>
      (await api(t.url, `/api/reservations/${hold.result.reservationId}`, { token: first!.jwt })).json.status === 'EXPIRED', 60_000, 50);
    // "Exactly then" by behaviour, not by this machine's speed: the hold's own delayed job ran,
    // and no earlier than the expiry (a lower bound cannot flake on a slow machine).
    const expiry = await t.api.queues.queues.holds.getJob(`expire-${hold.result.reservationId}`);
    expect(expiry?.processedOn).toBeDefined();
    expect(expiry!.processedOn!).toBeGreaterThanOrEqual(expiresAt - 50); // ms clock rounding
    const seats = await api(t.url, `/api/schedules/${schedules[0]!.id}/seats?status=available`);
    expect(seats.json.seats.map((s: { seatNumber: number }) => s.seatNumber)).toEqual([1, 2]);

    const resold = await finished(t, second!.jwt, (await submit(t, second!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    expect(resold.state).toBe('succeeded');
    const late = await finished(t, first!.jwt, (await submit(t, first!, '/api/payments', { reservationId: hold.result.reservationId })).json.jobId);
    expect(late.error.code).toBe('HOLD_EXPIRED');
    expect((await api(t.url, '/api/wallet', { token: first!.jwt })).json.balance).toBe(500_000);
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
  });

  it('a hold whose delayed expiry job was lost is released by the periodic sweep', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1 });
    const [fan] = await admittedFans(t, concert.id, users(1));
    const hold = await finished(t, fan!.jwt, (await submit(t, fan!, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [1] })).json.jobId);
    await t.api.queues.queues.holds.remove(`expire-${hold.result.reservationId}`);
    await until('the sweep to expire the hold', async () =>
      (await t.rt.orm.em.fork().findOneOrFail(Reservation, hold.result.reservationId)).status === 'EXPIRED', 60_000);
    expect((await t.rt.orm.em.fork().findOneOrFail(Seat, { scheduleId: schedules[0]!.id, seatNumber: 1 })).status).toBe('AVAILABLE');
  });
});

describe('a worker killed mid-flight', () => {
  it('its jobs are picked up by another worker and every effect happens exactly once', async () => {
    const extra = await spawnWorker(env);
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 150, maxSeatsPerUser: 1 });
    const fans = await admittedFans(t, concert.id, users(150));
    const submitted = await Promise.all(fans.map((f, i) => submit(t, f, '/api/reservations', { scheduleId: schedules[0]!.id, seatNumbers: [i + 1] })));
    // Kill the extra worker while it is processing one of these jobs.
    const victim = `:${extra.child.pid}`;
    let inFlight: string | undefined;
    for (let i = 0; i < 400 && !inFlight; i++) {
      const active = await t.api.queues.queues.reservations.getJobs(['active']);
      inFlight = active.find((j) => j.processedBy?.endsWith(victim))?.id;
      if (!inFlight) await sleep(5);
    }
    expect(inFlight).toBeDefined();
    await extra.stop('SIGKILL');
    const results = await Promise.all(submitted.map((r, i) => finished(t, fans[i]!.jwt, r.json.jobId)));
    expect(results.filter((j) => j.state !== 'succeeded')).toEqual([]);
    const rerun = (await t.api.queues.findUserJob(inFlight!))!;
    expect(rerun.stalledCounter).toBeGreaterThan(0); // it was recovered from the dead worker…
    expect(rerun.processedBy).not.toContain(victim); // …and finished by another
    const em = t.rt.orm.em.fork();
    expect(await em.count(Reservation, { scheduleId: schedules[0]!.id })).toBe(150);
    expect(new Set(results.map((j) => j.result.reservationId)).size).toBe(150);
    // Holds last 2 s here, so some may have expired already; the audit checks every seat agrees.
    expect((await runAudit(em)).violations).toEqual({});
  });
});
