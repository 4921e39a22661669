// Money and seats under concurrency, at the use-case level against the real database: the last
// seats paid at once, refunds racing each other, a schedule cancelled while fans hold and pay.
// After each, the SQL audit must be clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingOrm, type CountingOrm } from '../support/db.ts';
import { makeConcert } from '../support/fixtures.ts';
import { uniqueId, userIdSource } from '../support/env.ts';
import { seedWallet } from '../support/wallets.ts';
import { holdSeats, type ReservationView } from '../../src/domain/reservation/index.ts';
import { cancelSchedule, payReservation, refundReservation } from '../../src/domain/payment/index.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { Schedule } from '../../src/domain/catalog/catalog.entity.ts';
import { Reservation } from '../../src/domain/reservation/reservation.entity.ts';
import { Wallet } from '../../src/domain/wallet/wallet.entity.ts';
import type { EntityManager } from '../../src/platform/db.ts';

let db: CountingOrm;
const users = userIdSource();
beforeAll(async () => { db = await countingOrm(); });
afterAll(async () => { await db.orm.close(true); });

const expectCleanAudit = async () => expect((await runAudit(db.orm.em.fork())).violations).toEqual({});
const outboxRows = async (type: string, aggregateId: number) =>
  (await db.orm.em.getConnection().execute<{ n: number }[]>('select count(*) as n from outbox where type = ? and aggregate_id = ?', [type, String(aggregateId)]))[0]!.n;
const settle = (ps: Promise<unknown>[]) => Promise.allSettled(ps);

/** `n` fresh funded users, each holding one seat (numbers 1..n) of the schedule. */
async function holders(scheduleId: number, n: number, balance = 1_000_000): Promise<ReservationView[]> {
  const ids = users(n);
  const now = new Date();
  return Promise.all(ids.map(async (userId, i) => {
    await seedWallet(db.orm.em.fork(), userId, balance);
    return holdSeats(db.orm.em, { userId, scheduleId, seatNumbers: [i + 1], jobId: `hold-${uniqueId()}` }, { holdSeconds: 300, now });
  }));
}

const pay = (em: EntityManager, r: ReservationView) => payReservation(em, { userId: r.userId, reservationId: r.reservationId, submittedAt: new Date() }, new Date());

describe('sold out exactly once', () => {
  it('when the last 20 seats of a schedule are paid at once, it is SOLD_OUT with exactly one schedule.sold_out event (3 rounds)', async () => {
    for (let round = 0; round < 3; round++) {
      const { schedules } = await makeConcert(db.orm.em.fork(), { seats: 20, price: 10_000 });
      const scheduleId = schedules[0]!.id;
      const held = await holders(scheduleId, 20);
      const results = await Promise.all(held.map((r) => pay(db.orm.em, r)));
      expect(results.filter((r) => r.scheduleSoldOut)).toHaveLength(1);
      expect((await db.orm.em.fork().findOneOrFail(Schedule, scheduleId)).status).toBe('SOLD_OUT');
      expect(await outboxRows('schedule.sold_out', scheduleId)).toBe(1);
    }
    await expectCleanAudit();
  });
});

describe('refunds', () => {
  it('10 parallel refunds of one reservation: one credit, seats on sale again, a sold-out schedule reopens', async () => {
    const { schedules } = await makeConcert(db.orm.em.fork(), { seats: 2, price: 30_000 });
    const scheduleId = schedules[0]!.id;
    const held = await holders(scheduleId, 2, 100_000);
    await Promise.all(held.map((r) => pay(db.orm.em, r)));
    expect((await db.orm.em.fork().findOneOrFail(Schedule, scheduleId)).status).toBe('SOLD_OUT');
    const target = held[0]!;
    const results = await Promise.all(Array.from({ length: 10 }, () => refundReservation(db.orm.em, target.reservationId, { now: new Date(), actorId: 1 })));
    expect(results.filter((r) => !r.alreadyRefunded)).toHaveLength(1);
    expect((await db.orm.em.fork().findOneOrFail(Wallet, target.userId)).balance).toBe(100_000);
    expect((await db.orm.em.fork().findOneOrFail(Reservation, target.reservationId)).status).toBe('REFUNDED');
    expect((await db.orm.em.fork().findOneOrFail(Schedule, scheduleId)).status).toBe('AVAILABLE');
    expect(await outboxRows('reservation.refunded', target.reservationId)).toBe(1);
    // The seat sells again, and the schedule sells out again.
    const [again] = await holders(scheduleId, 1);
    expect(again!.seats).toEqual([{ seatNumber: 1, price: 30_000 }]);
    expect((await pay(db.orm.em, again!)).scheduleSoldOut).toBe(true);
    await expectCleanAudit();
  });

  it('a PENDING hold cannot be refunded (RESERVATION_NOT_CONFIRMED)', async () => {
    const { schedules } = await makeConcert(db.orm.em.fork(), { seats: 1 });
    const [r] = await holders(schedules[0]!.id, 1);
    await expect(refundReservation(db.orm.em, r!.reservationId, { now: new Date(), actorId: 1 })).rejects.toMatchObject({ code: 'RESERVATION_NOT_CONFIRMED' });
  });
});

describe('cancelling a schedule', () => {
  it('while fans hold, pay and try to hold: every hold ends CANCELLED, every sale is refunded, no hold succeeds after, audit clean', async () => {
    const { schedules } = await makeConcert(db.orm.em.fork(), { seats: 40, price: 20_000, maxSeatsPerUser: 1 });
    const scheduleId = schedules[0]!.id;
    const held = await holders(scheduleId, 30, 50_000);
    // 15 pay while the cancellation runs; 10 more fans try to hold the free seats 31..40.
    const late = users(10);
    await Promise.all(late.map((u) => seedWallet(db.orm.em.fork(), u, 50_000)));
    const racing = settle([
      ...held.slice(0, 15).map((r) => pay(db.orm.em, r)),
      ...late.map((userId, i) => holdSeats(db.orm.em, { userId, scheduleId, seatNumbers: [31 + i], jobId: `hold-${uniqueId()}` }, { holdSeconds: 300, now: new Date() })),
    ]);
    const cancelled = await cancelSchedule(db.orm.em, scheduleId, { now: new Date(), actorId: 1 });
    const outcomes = await racing;
    // Holds that lost the race to the cancellation are told the schedule is not bookable.
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code);
    expect(failures.filter((c) => c !== 'SCHEDULE_NOT_BOOKABLE')).toEqual([]);
    // A second run finishes whatever the first left (here: holds that committed after its listing).
    const again = await cancelSchedule(db.orm.em, scheduleId, { now: new Date(), actorId: 1 });
    expect(again.alreadyCancelled).toBe(true);
    expect(cancelled.holdsCancelled + cancelled.refunded + again.holdsCancelled + again.refunded).toBeGreaterThanOrEqual(30);

    const em = db.orm.em.fork();
    expect((await em.findOneOrFail(Schedule, scheduleId)).status).toBe('CANCELLED');
    expect(await em.count(Reservation, { scheduleId, status: { $in: ['PENDING', 'CONFIRMED'] } })).toBe(0);
    for (const r of held) expect((await em.findOneOrFail(Wallet, r.userId)).balance).toBe(50_000);
    const after = await holdSeats(db.orm.em, { userId: late[0]!, scheduleId, seatNumbers: [40], jobId: `hold-${uniqueId()}` }, { holdSeconds: 300, now: new Date() }).catch((e) => e);
    expect(after.code).toBe('SCHEDULE_NOT_BOOKABLE');
    await expectCleanAudit();
  });
});
