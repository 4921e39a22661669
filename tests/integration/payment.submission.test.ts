// Payments are judged when the fan submitted them, not when their job runs (issue 9): a hold's
// expiry waits while a payment submitted before it may still be queued, and a fan keeps their
// queue slot while they still hold seats. Processors run in this process against a real BullMQ
// queue (no worker consumes the payments queue here, so a payment stays queued on purpose).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job } from 'bullmq';
import { testRuntime, uniqueId, userIdSource } from '../support/env.ts';
import { makeConcert } from '../support/fixtures.ts';
import { seedWallet } from '../support/wallets.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { createWorkerContext, type WorkerContext } from '../../src/workers/context.ts';
import { processExpire } from '../../src/workers/reservation.processor.ts';
import { processPay } from '../../src/workers/payment.processor.ts';
import { holdSeats, type ReservationView } from '../../src/domain/reservation/index.ts';
import { payReservation } from '../../src/domain/payment/index.ts';
import { Reservation } from '../../src/domain/reservation/reservation.entity.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { sleep } from '../support/wait.ts';

let rt: Runtime;
let ctx: WorkerContext;
const users = userIdSource();

beforeAll(async () => {
  rt = await testRuntime({ RANKING_CONSUMER: 'false' });
  ctx = createWorkerContext(rt);
});
afterAll(async () => {
  await ctx.close();
  await rt.close();
});

async function shortHolds(n: number, holdSeconds: number): Promise<ReservationView[]> {
  const { schedules } = await makeConcert(rt.orm.em.fork(), { seats: n, price: 10_000 });
  return Promise.all(users(n).map(async (userId, i) => {
    await seedWallet(rt.orm.em.fork(), userId, 100_000);
    return holdSeats(rt.orm.em, { userId, scheduleId: schedules[0]!.id, seatNumbers: [i + 1], jobId: `hold-${uniqueId()}` }, { holdSeconds, now: new Date() });
  }));
}

const submitPay = async (r: ReservationView) => {
  const job = await ctx.queues.enqueue('payment.pay', { userId: r.userId, reservationId: r.reservationId }, { jobId: `pay-${uniqueId()}` });
  return (await Job.fromId(ctx.queues.queues.payments, job.id!))!;
};
const statusOf = async (id: number) => (await rt.orm.em.fork().findOneOrFail(Reservation, id)).status;
const untilExpired = async (holds: ReservationView[]) => { while (holds.some((h) => Date.parse(h.expiresAt) > Date.now())) await sleep(50); };

describe('a payment submitted before the hold expired', () => {
  it('is honoured although its job runs after the expiry, and the expiry waits for it meanwhile', async () => {
    const [hold] = await shortHolds(1, 3);
    const job = await submitPay(hold!);
    expect(job.timestamp).toBeLessThan(Date.parse(hold!.expiresAt));
    await untilExpired([hold!]);
    expect((await processExpire(ctx, { reservationId: hold!.reservationId })).outcome).toBe('payment-pending');
    expect(await statusOf(hold!.reservationId)).toBe('PENDING');
    const paid = await processPay(ctx, job.data, job);
    expect(paid).toMatchObject({ ok: true, result: { alreadyPaid: false } });
    await job.remove();
    expect(await statusOf(hold!.reservationId)).toBe('CONFIRMED');
    expect((await processExpire(ctx, { reservationId: hold!.reservationId })).outcome).toBe('ended');
  });

  it('10 holds expiring while their payments are queued: expiries and payments run at once, every hold is CONFIRMED', async () => {
    const holds = await shortHolds(10, 5);
    const jobs = await Promise.all(holds.map(submitPay));
    // Precondition (a slow machine could break it): every payment was submitted in time.
    expect(jobs.filter((j, i) => j.timestamp >= Date.parse(holds[i]!.expiresAt))).toEqual([]);
    await untilExpired(holds);
    const results = await Promise.all([
      ...holds.map((h) => processExpire(ctx, { reservationId: h.reservationId })),
      ...jobs.map((j) => processPay(ctx, j.data, j)),
    ]);
    expect(results.slice(10).filter((r) => !(r as { ok: boolean }).ok)).toEqual([]);
    await Promise.all(jobs.map((j) => j.remove()));
    expect(await Promise.all(holds.map((h) => statusOf(h.reservationId)))).toEqual(Array(10).fill('CONFIRMED'));
    expect((await runAudit(rt.orm.em.fork())).violations).toEqual({});
  });

  it('with no payment queued, an expired hold is expired and its late payment fails HOLD_EXPIRED', async () => {
    const [hold] = await shortHolds(1, 1);
    await untilExpired([hold!]);
    expect((await processExpire(ctx, { reservationId: hold!.reservationId })).outcome).toBe('expired');
    const late = await payReservation(rt.orm.em, { userId: hold!.userId, reservationId: hold!.reservationId, submittedAt: new Date() }, new Date()).catch((e) => e);
    expect(late.code).toBe('HOLD_EXPIRED');
  });

  it('a payment submitted after the expiry fails HOLD_EXPIRED even before the expiry job ran', async () => {
    const [hold] = await shortHolds(1, 1);
    await untilExpired([hold!]);
    const late = await payReservation(rt.orm.em, { userId: hold!.userId, reservationId: hold!.reservationId, submittedAt: new Date() }, new Date()).catch((e) => e);
    expect(late.code).toBe('HOLD_EXPIRED');
    expect(await statusOf(hold!.reservationId)).toBe('PENDING');
  });
});

describe('a hold request that waited too long', () => {
  it('fails HOLD_REQUEST_STALE instead of holding, unless this job already held (a re-run)', async () => {
    const { schedules } = await makeConcert(rt.orm.em.fork(), { seats: 2 });
    const [userId] = users(1);
    const req = { userId: userId!, scheduleId: schedules[0]!.id, seatNumbers: [1], jobId: `hold-${uniqueId()}` };
    const stale = await holdSeats(rt.orm.em, { ...req, submittedAt: new Date(Date.now() - 200_000) }, { holdSeconds: 300, maxWaitSeconds: 120, now: new Date() }).catch((e) => e);
    expect(stale).toMatchObject({ code: 'HOLD_REQUEST_STALE', details: { maxSeconds: 120 } });
    const held = await holdSeats(rt.orm.em, req, { holdSeconds: 300, now: new Date() });
    const rerun = await holdSeats(rt.orm.em, { ...req, submittedAt: new Date(Date.now() - 200_000) }, { holdSeconds: 300, maxWaitSeconds: 120, now: new Date() });
    expect(rerun.reservationId).toBe(held.reservationId);
  });
});

describe("the fan's queue slot", () => {
  it('stays while the fan still holds seats of the concert and ends with the last payment', async () => {
    const { schedules } = await makeConcert(rt.orm.em.fork(), { seats: 4, price: 10_000 });
    const [userId] = users(1);
    await seedWallet(rt.orm.em.fork(), userId!, 100_000);
    const hold = (seat: number) => holdSeats(rt.orm.em, { userId: userId!, scheduleId: schedules[0]!.id, seatNumbers: [seat], jobId: `hold-${uniqueId()}` }, { holdSeconds: 300, now: new Date() });
    const [a, b] = [await hold(1), await hold(2)];
    const pay = (r: ReservationView) => payReservation(rt.orm.em, { userId: userId!, reservationId: r.reservationId, submittedAt: new Date() }, new Date());
    expect((await pay(a)).pendingHoldsLeft).toBe(true);
    expect((await pay(b)).pendingHoldsLeft).toBe(false);
  });
});
