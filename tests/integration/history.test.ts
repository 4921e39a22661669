// A fan's own history over HTTP: reservations and wallet ledger, newest first, paginated, and
// never anyone else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { userIdSource } from '../support/env.ts';
import { makeConcert } from '../support/fixtures.ts';
import { fundDirect, holdDirect, payDirect } from '../support/admin.ts';
import { releaseHold } from '../../src/domain/reservation/index.ts';

let t: TestApi;
const users = userIdSource();
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

async function pages(path: string, token: string, limit: number) {
  const all: Record<string, unknown>[][] = [];
  let before: number | null = null;
  do {
    const res = await api(t.url, `${path}?limit=${limit}${before ? `&before=${before}` : ''}`, { token });
    expect(res.status).toBe(200);
    all.push(res.json.items);
    before = res.json.nextBefore;
  } while (before !== null);
  return all;
}

describe('my history', () => {
  it('lists my reservations newest first with their seats, page by page, and none of another fan\'s', async () => {
    const [me, other] = users(2) as [number, number];
    const { schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 10, maxSeatsPerUser: 10, price: 1000 });
    const sid = schedules[0]!.id;
    await fundDirect(t, me, 100_000);
    const r1 = await holdDirect(t, me, sid, [1, 2]);
    await payDirect(t, me, r1.reservationId);
    const r2 = await holdDirect(t, me, sid, [3]);
    await releaseHold(t.rt.orm.em.fork(), r2.reservationId, { now: new Date(), userId: me });
    const r3 = await holdDirect(t, me, sid, [4]);
    await holdDirect(t, other, sid, [5]);

    const token = await t.token(me);
    const got = await pages('/api/reservations', token, 2);
    expect(got.map((p) => p.length)).toEqual([2, 1]);
    expect(got.flat()).toEqual([
      expect.objectContaining({ reservationId: r3.reservationId, status: 'PENDING', seats: [{ seatNumber: 4, price: 1000 }] }),
      expect.objectContaining({ reservationId: r2.reservationId, status: 'RELEASED', seats: [{ seatNumber: 3, price: 1000 }] }),
      expect.objectContaining({ reservationId: r1.reservationId, status: 'CONFIRMED', totalAmount: 2000, userId: me, scheduleId: sid,
        seats: [{ seatNumber: 1, price: 1000 }, { seatNumber: 2, price: 1000 }] }),
    ]);
    const nobody = await api(t.url, '/api/reservations', { token: await t.token(users(1)[0]!) });
    expect(nobody.json).toEqual({ items: [], nextBefore: null });
  });

  it('lists my ledger newest first, page by page: charges and payments with the balance after each', async () => {
    const [me, other] = users(2) as [number, number];
    const { schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 3, price: 7000 });
    await fundDirect(t, me, 10_000);
    await fundDirect(t, me, 5_000);
    await fundDirect(t, other, 99_000);
    const r = await holdDirect(t, me, schedules[0]!.id, [1]);
    await payDirect(t, me, r.reservationId);

    const token = await t.token(me);
    const got = (await pages('/api/wallet/ledger', token, 1)).flat();
    expect(got.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([['PAYMENT', -7000, 8000], ['CHARGE', 5000, 15_000], ['CHARGE', 10_000, 10_000]]);
    expect(got[0]!.reference).toBe(`payment:${r.reservationId}`);
    expect((await api(t.url, '/api/wallet', { token })).json.balance).toBe(got[0]!.balanceAfter);
  });

  it('needs a token, and bad paging input is a 400 naming the field', async () => {
    expect((await api(t.url, '/api/reservations')).status).toBe(401);
    expect((await api(t.url, '/api/wallet/ledger')).status).toBe(401);
    const token = await t.token(users(1)[0]!);
    for (const [q, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=x', 'limit'], ['before=-1', 'before']]) {
      const res = await api(t.url, `/api/wallet/ledger?${q}`, { token });
      expect(res.status).toBe(400);
      expect(res.json.error.details.field).toBe(field);
    }
  });
});
