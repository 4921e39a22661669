// The funnel after a small rush equals what the database and the waiting room hold, in JSON and
// in Prometheus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { userIdSource } from '../support/env.ts';
import { makeConcert } from '../support/fixtures.ts';
import { adminToken, fundDirect, holdDirect, payDirect } from '../support/admin.ts';
import { expireHold, holdSeats, releaseHold } from '../../src/domain/reservation/index.ts';
import { queueKeys } from '../../src/domain/queue/queue.keys.ts';

let t: TestApi;
const users = userIdSource();
beforeAll(async () => {
  t = await startTestApi({ QUEUE_MAX_ACTIVE: '10' });
});
afterAll(async () => {
  await t.close();
});

describe('the funnel', () => {
  it('after a small rush, every count equals the database\'s and the waiting room\'s', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 12, price: 1000 });
    const sid = schedules[0]!.id;
    const fans = users(30);
    const jwts = await Promise.all(fans.map((u) => t.token(u)));
    const joins = await Promise.all(jwts.map((token) => api(t.url, '/api/queue/tokens', { method: 'POST', token, json: { concertId: concert.id } })));
    expect(joins.every((r) => r.status === 201)).toBe(true);
    await t.api.waitingRoom.promote(concert.id); // admits the first 10
    // Two fans still waiting give up.
    for (const i of [20, 21]) {
      expect((await api(t.url, '/api/queue/tokens/current', { method: 'DELETE', token: jwts[i]!, headers: { 'x-queue-token': joins[i]!.json.token } })).status).toBe(204);
    }
    // Of the admitted: 6 hold a seat; 3 of them pay, 1 releases; 1 more hold has expired.
    const holds = [];
    for (let i = 0; i < 6; i++) holds.push(await holdDirect(t, fans[i]!, sid, [i + 1]));
    for (let i = 0; i < 3; i++) {
      await fundDirect(t, fans[i]!, 5000);
      await payDirect(t, fans[i]!, holds[i]!.reservationId);
    }
    await releaseHold(t.rt.orm.em.fork(), holds[3]!.reservationId, { now: new Date(), userId: fans[3]! });
    const past = new Date(Date.now() - 600_000);
    const stale = await holdSeats(t.rt.orm.em.fork(), { userId: fans[6]!, scheduleId: sid, seatNumbers: [7], jobId: `hold-stale-${concert.id}` }, { holdSeconds: 60, now: past });
    await expireHold(t.rt.orm.em.fork(), stale.reservationId, { now: new Date() });

    const res = await api(t.url, `/api/admin/concerts/${concert.id}/funnel`, { token: await adminToken(t, users(1)[0]!) });
    expect(res.status).toBe(200);
    const f = res.json;

    // The truth, read independently.
    const conn = t.rt.orm.em.fork().getConnection();
    const byStatus = Object.fromEntries((await conn.execute<{ status: string; n: number }[]>(
      'select status, count(*) as n from reservations where concert_id = ? group by status', [concert.id],
    )).map((r) => [r.status, Number(r.n)]));
    const seats = Object.fromEntries((await conn.execute<{ status: string; n: number }[]>(
      'select status, count(*) as n from seats where schedule_id = ? group by status', [sid],
    )).map((r) => [r.status, Number(r.n)]));
    const k = queueKeys(t.rt.config.REDIS_PREFIX, concert.id);
    const waiting = await t.rt.redis.zcard(k.waiting);
    const active = await t.rt.redis.zcard(k.active);

    expect(byStatus).toEqual({ CONFIRMED: 3, PENDING: 2, RELEASED: 1, EXPIRED: 1 });
    expect(f).toMatchObject({
      concertId: concert.id,
      joined: 30, admitted: 10, waiting, active, abandoned: 2,
      holding: byStatus.PENDING, paid: byStatus.CONFIRMED, released: byStatus.RELEASED, expired: byStatus.EXPIRED,
      reservationsByStatus: byStatus,
      seatsTotal: 12, seatsLeft: seats.AVAILABLE, seatsHeld: seats.HELD, seatsSold: seats.SOLD,
      soldOut: false, schedules: 1, soldOutSchedules: 0,
    });
    expect(waiting).toBe(18);
    expect(active).toBe(10);
    expect(f.seatsLeft).toBe(7);

    // The same numbers in Prometheus, labelled by concert and stage only.
    const metrics = (await api(t.url, '/metrics')).text;
    const value = (stage: string) => {
      const line = metrics.split('\n').find((l) => l.startsWith('sale_funnel{') && l.includes(`concert_id="${concert.id}"`) && l.includes(`stage="${stage}"`));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    for (const stage of ['joined', 'waiting', 'admitted', 'active', 'abandoned', 'holding', 'paid', 'released', 'expired', 'seatsLeft'] as const) {
      expect(value(stage), stage).toBe(f[stage]);
    }
    expect(value('soldOut')).toBe(0);
  });

  it('a concert whose every schedule is sold shows soldOut and no seats left; an unknown concert is a 404', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 2, price: 1000 });
    const [fan] = users(1) as [number];
    await fundDirect(t, fan, 5000);
    const r = await holdDirect(t, fan, schedules[0]!.id, [1, 2]);
    await payDirect(t, fan, r.reservationId);
    const token = await adminToken(t, users(1)[0]!);
    const f = (await api(t.url, `/api/admin/concerts/${concert.id}/funnel`, { token })).json;
    expect(f).toMatchObject({ soldOut: true, seatsLeft: 0, seatsSold: 2, paid: 1, joined: 0, waiting: 0, admitted: 0 });
    const missing = await api(t.url, '/api/admin/concerts/999999999/funnel', { token });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('CONCERT_NOT_FOUND');
  });
});
