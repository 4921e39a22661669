// The hot paths stay a handful of round trips to MySQL (issue 11): each statement the ORM sends is
// one round trip (a multi-statement batch is one), BEGIN and COMMIT included. If a change makes one
// of these numbers grow, this test names the path and lists what it sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingOrm, type CountingOrm } from '../support/db.ts';
import { makeConcert } from '../support/fixtures.ts';
import { uniqueId, userIdSource } from '../support/env.ts';
import { holdSeats, releaseHold, expireHold } from '../../src/domain/reservation/index.ts';
import { payReservation } from '../../src/domain/payment/index.ts';
import { seedWallet } from '../support/wallets.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';

/**
 * Round trips per path (BEGIN rides with the first batch and, where nothing is checked after the
 * writes, COMMIT with the last: src/platform/transactions.ts batchedTransaction). The issue's
 * ceiling was 6 for each.
 */
const ROUND_TRIPS = { 'reservation.hold': 3, 'payment.pay': 4, 'reservation.release': 2, 'hold.expire': 2 } as const;
let db: CountingOrm;
const users = userIdSource();

beforeAll(async () => { db = await countingOrm(); });
afterAll(async () => { await db.orm.close(true); });

async function counted<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  db.reset();
  const result = await run();
  return { result, statements: [...db.statements] };
}

describe('round trips per hot path', () => {
  it('reservation.hold sends 3 round trips, payment.pay 4, reservation.release and hold.expire 2 each (BEGIN and COMMIT counted)', async () => {
    const { concert, schedules } = await makeConcert(db.orm.em.fork(), { seats: 10, price: 50_000 });
    const scheduleId = schedules[0]!.id;
    const [buyer, releaser, sleeper] = users(3);
    await seedWallet(db.orm.em.fork(), buyer!, 1_000_000);
    const now = new Date();
    const hold = (userId: number, seatNumbers: number[], at = now, holdSeconds = 300) =>
      holdSeats(db.orm.em, { userId, scheduleId, seatNumbers, jobId: `hold-${uniqueId()}` }, { holdSeconds, now: at });

    const held = await counted(() => hold(buyer!, [1, 2]));
    expect(held.result).toMatchObject({ status: 'PENDING', concertId: concert.id, totalAmount: 100_000 });
    const paid = await counted(() => payReservation(db.orm.em, { userId: buyer!, reservationId: held.result.reservationId, submittedAt: now }, now));
    expect(paid.result).toMatchObject({ alreadyPaid: false, amount: 100_000, balanceAfter: 900_000 });

    const toRelease = await hold(releaser!, [3]);
    const released = await counted(() => releaseHold(db.orm.em, toRelease.reservationId, { now, userId: releaser! }));
    expect(released.result.status).toBe('RELEASED');

    const toExpire = await hold(sleeper!, [4], new Date(now.getTime() - 10_000), 1);
    const expired = await counted(() => expireHold(db.orm.em, toExpire.reservationId, { now }));
    expect(expired.result.outcome).toBe('expired');

    const sent = { 'reservation.hold': held.statements, 'payment.pay': paid.statements, 'reservation.release': released.statements, 'hold.expire': expired.statements };
    for (const [path, statements] of Object.entries(sent)) {
      expect.soft(statements.length, `${path} sent:\n${statements.join('\n---\n')}`).toBe(ROUND_TRIPS[path as keyof typeof ROUND_TRIPS]);
    }
    console.log(Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, v.length])));
    expect((await runAudit(db.orm.em.fork())).violations).toEqual({});
  });
});
