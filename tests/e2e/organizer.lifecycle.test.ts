// The organizer's actions that move money and seats, end to end over HTTP with real workers:
// pause/resume of admission, refund of a reservation, cancellation of a schedule. Each ends with
// the SQL audit of every invariant (balance = ledger, no seat sold to two, ...).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { userIdSource } from '../support/env.ts';
import { makeConcert } from '../support/fixtures.ts';
import { finished } from '../support/flow.ts';
import { adminToken, fundDirect, holdDirect, payDirect } from '../support/admin.ts';
import { startWorkers, type RunningWorkers } from '../../src/workers/workers.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import type { AuditView } from '../../src/domain/organizer/organizer.audit.ts';

let t: TestApi;
let workers: RunningWorkers;
let admin: string;
let adminId: number;
const users = userIdSource();

beforeAll(async () => {
  t = await startTestApi({ QUEUE_MAX_ACTIVE: '2' });
  workers = await startWorkers(t.rt, { concurrency: 4 });
  adminId = users(1)[0]!;
  admin = await adminToken(t, adminId);
});
afterAll(async () => {
  await workers?.close();
  await t?.close();
});

const post = (path: string, token = admin, headers: Record<string, string> = {}) => api(t.url, path, { method: 'POST', token, headers });
const auditOf = async (targetType: string, targetId: number) =>
  (await api(t.url, `/api/admin/audit?targetType=${targetType}&targetId=${targetId}`, { token: admin })).json.items as AuditView[];
const balance = async (userId: number) => (await api(t.url, '/api/wallet', { token: await t.token(userId) })).json.balance as number;

describe('pause and resume', () => {
  it('a paused sale admits nobody and tells waiting fans PAUSED; resuming admits them in order; both are audited', async () => {
    const { concert } = await makeConcert(t.rt.orm.em.fork(), { seats: 5 });
    // Paused before the rush (the workers' admission ticks run all along).
    const paused = await post(`/api/admin/concerts/${concert.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.json).toEqual({ concertId: concert.id, paused: true });
    const fans = users(3);
    const tokens: string[] = [];
    for (const u of fans) {
      const res = await api(t.url, '/api/queue/tokens', { method: 'POST', token: await t.token(u), json: { concertId: concert.id } });
      expect(res.status).toBeLessThan(300);
      tokens.push(res.json.token);
    }
    expect((await t.api.waitingRoom.promote(concert.id)).admitted).toBe(0);
    const status = await api(t.url, '/api/queue/status', { token: await t.token(fans[0]!), headers: { 'x-queue-token': tokens[0]! } });
    expect(status.json).toMatchObject({ state: 'WAITING', position: 1, reason: 'PAUSED' });

    expect((await post(`/api/admin/concerts/${concert.id}/resume`)).json).toEqual({ concertId: concert.id, paused: false });
    // The scheduler's ticks (restarted by resume) admit the first two in line order.
    await expect.poll(async () => (await api(t.url, '/api/queue/status', { token: await t.token(fans[0]!), headers: { 'x-queue-token': tokens[0]! } })).json.state, { timeout: 30_000 }).toBe('ACTIVE');
    const third = await api(t.url, '/api/queue/status', { token: await t.token(fans[2]!), headers: { 'x-queue-token': tokens[2]! } });
    expect(third.json).toMatchObject({ state: 'WAITING', position: 1 });
    expect(third.json.reason).toBeUndefined();
    expect((await auditOf('concert', concert.id)).map((e) => [e.action, e.actorId, e.after])).toEqual([
      ['concert.resume', adminId, { paused: false }], ['concert.pause', adminId, { paused: true }],
    ]);
    expect((await post('/api/admin/concerts/999999999/pause')).status).toBe(404);
  });
});

describe('refund', () => {
  it('a confirmed reservation is refunded to the wallet, its seats go back on sale, once however often it is asked', async () => {
    const { schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 3, price: 4000 });
    const sid = schedules[0]!.id;
    const [fan] = users(1) as [number];
    await fundDirect(t, fan, 10_000);
    const r = await holdDirect(t, fan, sid, [1, 2]);
    await payDirect(t, fan, r.reservationId);
    expect(await balance(fan)).toBe(2000);
    // The seat map is cached as sold before the refund.
    expect((await api(t.url, `/api/schedules/${sid}/seats?status=available`)).json.seats.map((s: { seatNumber: number }) => s.seatNumber)).toEqual([3]);

    const submitted = await post(`/api/admin/reservations/${r.reservationId}/refund`, admin, { 'idempotency-key': `refund-${r.reservationId}` });
    expect(submitted.status).toBe(202);
    const job = await finished(t, admin, submitted.json.jobId);
    expect(job).toMatchObject({ state: 'succeeded', result: { refundedAmount: 8000, alreadyRefunded: false, reservation: { status: 'REFUNDED' } } });
    expect(await balance(fan)).toBe(10_000);
    const ledger = (await api(t.url, '/api/wallet/ledger', { token: await t.token(fan) })).json.items;
    expect(ledger[0]).toMatchObject({ amount: 8000, balanceAfter: 10_000, reference: `refund:${r.reservationId}` });
    expect((await api(t.url, `/api/schedules/${sid}/seats?status=available`)).json.seats.map((s: { seatNumber: number }) => s.seatNumber)).toEqual([1, 2, 3]);
    expect((await api(t.url, `/api/reservations/${r.reservationId}`, { token: await t.token(fan) })).json.status).toBe('REFUNDED');

    // Asked again (a new request): nothing moves, and the log says so.
    const again = await finished(t, admin, (await post(`/api/admin/reservations/${r.reservationId}/refund`)).json.jobId);
    expect(again.result).toMatchObject({ alreadyRefunded: true, refundedAmount: 8000 });
    expect(await balance(fan)).toBe(10_000);
    const log = await auditOf('reservation', r.reservationId);
    expect(log.map((e) => [e.action, (e.after as { alreadyRefunded: boolean }).alreadyRefunded])).toEqual([['reservation.refund', true], ['reservation.refund', false]]);
    expect(log[1]!.before).toMatchObject({ status: 'CONFIRMED', totalAmount: 8000 });
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
  });

  it('a hold that is not paid is not refundable; an unknown reservation is a 404; a fan may not ask', async () => {
    const { schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1 });
    const [fan] = users(1) as [number];
    const r = await holdDirect(t, fan, schedules[0]!.id, [1]);
    const job = await finished(t, admin, (await post(`/api/admin/reservations/${r.reservationId}/refund`)).json.jobId);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'RESERVATION_NOT_CONFIRMED' } });
    expect((await post('/api/admin/reservations/999999999/refund')).json.error.code).toBe('RESERVATION_NOT_FOUND');
    expect((await post(`/api/admin/reservations/${r.reservationId}/refund`, await t.token(fan))).status).toBe(403);
  });
});

describe('cancel a schedule', () => {
  it('holds end, every sale is refunded, no seat can be held any more, the catalog shows it at once, and the audit is clean', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 8, price: 3000, schedules: 2 });
    const [sid, other] = [schedules[0]!.id, schedules[1]!.id];
    const buyers = users(3);
    const holders = users(2);
    for (const [i, u] of buyers.entries()) {
      await fundDirect(t, u, 9000);
      await payDirect(t, u, (await holdDirect(t, u, sid, [i + 1])).reservationId);
    }
    for (const [i, u] of holders.entries()) await holdDirect(t, u, sid, [i + 4]);
    // Cached before the cancellation: the schedule list and the seat map.
    expect((await api(t.url, `/api/concerts/${concert.id}/schedules?all=true`)).json.find((s: { id: number }) => s.id === sid).status).toBe('AVAILABLE');
    expect((await api(t.url, `/api/schedules/${sid}/seats?status=sold`)).json.seats).toHaveLength(3);

    const job = await finished(t, admin, (await post(`/api/admin/schedules/${sid}/cancel`)).json.jobId);
    expect(job).toMatchObject({ state: 'succeeded', result: { scheduleId: sid, alreadyCancelled: false, holdsCancelled: 2, refunded: 3 } });
    for (const u of buyers) expect(await balance(u)).toBe(9000);
    const listed = (await api(t.url, `/api/concerts/${concert.id}/schedules?all=true`)).json;
    expect(listed.find((s: { id: number }) => s.id === sid)).toMatchObject({ status: 'CANCELLED', bookable: false });
    expect((await api(t.url, `/api/schedules/${sid}/seats?status=sold`)).json.seats).toEqual([]);
    await expect(holdDirect(t, users(1)[0]!, sid, [8])).rejects.toMatchObject({ code: 'SCHEDULE_NOT_BOOKABLE' });
    // The other schedule is untouched, and the funnel counts only it.
    const funnel = (await api(t.url, `/api/admin/concerts/${concert.id}/funnel`, { token: admin })).json;
    expect(funnel).toMatchObject({ schedules: 1, seatsTotal: 8, seatsLeft: 8, reservationsByStatus: { REFUNDED: 3, CANCELLED: 2 } });
    expect((await api(t.url, `/api/schedules/${other}/seats?status=available`)).json.seats).toHaveLength(8);

    // Cancelling again changes nothing; both requests are in the log.
    expect((await finished(t, admin, (await post(`/api/admin/schedules/${sid}/cancel`)).json.jobId)).result).toMatchObject({ alreadyCancelled: true, holdsCancelled: 0, refunded: 0 });
    const log = await auditOf('schedule', sid);
    expect(log.map((e) => e.action)).toEqual(['schedule.cancel', 'schedule.cancel']);
    expect(log[1]).toMatchObject({ actorId: adminId, before: { status: 'AVAILABLE', concertId: concert.id }, after: { status: 'CANCELLED', refunded: 3, holdsCancelled: 2 } });
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
    expect((await post('/api/admin/schedules/999999999/cancel')).json.error.code).toBe('SCHEDULE_NOT_FOUND');
  });
});
