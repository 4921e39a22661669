// The organizer API against a real app, MySQL and Redis: roles on every admin route, concerts and
// schedules with their seat maps, cache invalidation across two API processes, the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { uniqueId, userIdSource } from '../support/env.ts';
import { adminToken } from '../support/admin.ts';

let a: TestApi;
let b: TestApi;
let admin: string;
let fan: string;
const users = userIdSource();
const [adminId, fanId] = users(2) as [number, number];

beforeAll(async () => {
  const shared = { REDIS_PREFIX: `t${uniqueId()}` };
  a = await startTestApi(shared);
  b = await startTestApi(shared);
  admin = await adminToken(a, adminId);
  fan = await a.token(fanId);
});
afterAll(async () => {
  await a.close();
  await b.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** A whole day (YYYY-MM-DD), as the schedules filter takes. */
const day = (ms: number) => iso(ms).slice(0, 10);
const post = (t: TestApi, path: string, json: unknown, token = admin) => api(t.url, path, { method: 'POST', token, json });

async function newConcert(extra: Record<string, unknown> = {}) {
  const res = await post(a, '/api/admin/concerts', { title: `Organized ${uniqueId()}`, artist: 'The Testers', durationMinutes: 110, ...extra });
  expect(res.status).toBe(201);
  return res.json as { id: number; title: string };
}

const scheduleBody = (seatMap: unknown, over: Record<string, unknown> = {}) => ({
  performanceAt: iso(Date.now() + 20 * DAY), bookingOpenAt: iso(Date.now() - HOUR), bookingCloseAt: iso(Date.now() + 19 * DAY), maxSeatsPerUser: 2, seatMap, ...over,
});

describe('roles', () => {
  it('every /api/admin route in the OpenAPI document is 401 without a token and 403 with a fan\'s token', async () => {
    const doc = (await api(a.url, '/openapi.json')).json as { paths: Record<string, Record<string, { security?: unknown }>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/admin'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, '1') })));
    // The organizer API as issue 13 lists it, at least; new admin routes are covered as they are declared.
    expect(routes.length).toBeGreaterThanOrEqual(9);
    for (const { method, path } of routes) {
      const json = method === 'GET' ? undefined : {};
      const anonymous = await api(a.url, path, { method, json });
      expect(anonymous.status, `${method} ${path} without a token`).toBe(401);
      expect(anonymous.json.error.code).toBe('UNAUTHENTICATED');
      const asFan = await api(a.url, path, { method, json, token: fan });
      expect(asFan.status, `${method} ${path} with a fan's token`).toBe(403);
      expect(asFan.json.error.code).toBe('FORBIDDEN');
    }
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/admin')) continue;
      for (const op of Object.values(methods)) expect(op.security).toEqual([{ bearer: ['admin'] }]);
    }
  });
});

describe('concerts', () => {
  it('an admin creates a concert, changes it, and both API processes show the change at once', async () => {
    const opens = iso(Date.now() + DAY);
    const c = await newConcert({ description: 'first', posterImageUrl: 'https://img.example/p.png', saleOpensAt: opens });
    expect(c).toMatchObject({ artist: 'The Testers', durationMinutes: 110, description: 'first', saleOpensAt: opens });
    // Both processes have the concert and the list cached (L1 and Redis) before the change.
    for (const t of [a, b]) {
      expect((await api(t.url, `/api/concerts/${c.id}`)).json.title).toBe(c.title);
      expect((await api(t.url, '/api/concerts')).json.map((x: { id: number }) => x.id)).toContain(c.id);
    }
    const patched = await api(a.url, `/api/admin/concerts/${c.id}`, { method: 'PATCH', token: admin, json: { title: 'Renamed', saleOpensAt: null, description: null } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id: c.id, title: 'Renamed', saleOpensAt: null, description: null, posterImageUrl: 'https://img.example/p.png' });
    for (const t of [a, b]) {
      await expect.poll(async () => (await api(t.url, `/api/concerts/${c.id}`)).json.title, { timeout: 5000, interval: 50 }).toBe('Renamed');
      await expect.poll(async () => (await api(t.url, '/api/concerts')).json.find((x: { id: number }) => x.id === c.id)?.title, { timeout: 5000, interval: 50 }).toBe('Renamed');
    }
  });

  it('bad input is a 400 naming the field; an unknown concert is a 404', async () => {
    const bad = async (path: string, json: unknown, field: string, method = 'POST') => {
      const res = await api(a.url, path, { method, token: admin, json });
      expect(res.status, JSON.stringify(res.json)).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_FAILED');
      expect(res.json.error.details.field).toBe(field);
    };
    await bad('/api/admin/concerts', { title: '', artist: 'x', durationMinutes: 100 }, 'title');
    await bad('/api/admin/concerts', { title: 'x', artist: 'x', durationMinutes: 0 }, 'durationMinutes');
    await bad('/api/admin/concerts', { title: 'x', artist: 'x', durationMinutes: 90, posterImageUrl: 'javascript:alert(1)' }, 'posterImageUrl');
    await bad('/api/admin/concerts', { title: 'x', artist: 'x', durationMinutes: 90, saleOpensAt: 'tomorrow' }, 'saleOpensAt');
    await bad('/api/admin/concerts', { title: 'x', artist: 'x', durationMinutes: 90, id: 5 }, 'body');
    const c = await newConcert();
    await bad(`/api/admin/concerts/${c.id}`, {}, 'body', 'PATCH');
    const missing = await api(a.url, '/api/admin/concerts/999999999', { method: 'PATCH', token: admin, json: { title: 'y' } });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('CONCERT_NOT_FOUND');
  });
});

describe('schedules', () => {
  it('a schedule with 1,000 seats in price tiers is created in one call, listed at once, and its seat map is readable', async () => {
    const c = await newConcert();
    // A schedule list cached before the change, with a custom range, must not hide the new schedule.
    const range = `from=${day(Date.now())}&to=${day(Date.now() + 60 * DAY)}`;
    for (const t of [a, b]) expect((await api(t.url, `/api/concerts/${c.id}/schedules?all=true&${range}`)).json).toEqual([]);
    const res = await post(a, `/api/admin/concerts/${c.id}/schedules`, scheduleBody({
      tiers: [{ from: 1, to: 100, price: 150_000 }, { from: 101, to: 400, price: 120_000 }, { from: 401, to: 1000, price: 90_000 }],
    }));
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json).toMatchObject({
      concertId: c.id, seatCount: 1000, maxSeatsPerUser: 2, status: 'AVAILABLE',
      prices: [{ price: 150_000, seats: 100 }, { price: 120_000, seats: 300 }, { price: 90_000, seats: 600 }],
    });
    for (const t of [a, b]) {
      await expect.poll(async () => (await api(t.url, `/api/concerts/${c.id}/schedules?all=true&${range}`)).json.map((s: { id: number }) => s.id), { timeout: 5000, interval: 50 })
        .toEqual([res.json.id]);
    }
    const listed = (await api(b.url, `/api/concerts/${c.id}/schedules`)).json;
    expect(listed).toEqual([expect.objectContaining({ id: res.json.id, bookable: true, seatCount: 1000, maxSeatsPerUser: 2 })]);
    const seats = (await api(b.url, `/api/schedules/${res.json.id}/seats`)).json.seats;
    expect(seats).toHaveLength(1000);
    expect(seats[0]).toEqual({ seatNumber: 1, price: 150_000, status: 'AVAILABLE' });
    expect(seats[400]).toEqual({ seatNumber: 401, price: 90_000, status: 'AVAILABLE' });
  });

  it('1,000 explicit seats with their prices fit in one request (beyond the fans\' 16 kB body limit)', async () => {
    const c = await newConcert();
    const seats = Array.from({ length: 1000 }, (_, i) => ({ seatNumber: 1000 - i, price: 50_000 + (i % 7) * 1000 }));
    expect(JSON.stringify(seats).length).toBeGreaterThan(16 * 1024);
    const res = await post(a, `/api/admin/concerts/${c.id}/schedules`, scheduleBody({ seats }));
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.seatCount).toBe(1000);
    const map = (await api(a.url, `/api/schedules/${res.json.id}/seats`)).json.seats;
    expect(map.map((s: { seatNumber: number }) => s.seatNumber)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(map[999].price).toBe(50_000);
    // The fans' limit still applies outside /api/admin.
    const big = await api(a.url, '/api/queue/tokens', { method: 'POST', token: fan, json: { concertId: c.id, pad: 'x'.repeat(20_000) } });
    expect(big.status).toBe(413);
  });

  it('a bad seat map or booking window is a 400 naming the field, and nothing is written', async () => {
    const c = await newConcert();
    const bad = async (body: unknown, field: string) => {
      const res = await post(a, `/api/admin/concerts/${c.id}/schedules`, body);
      expect(res.status, JSON.stringify(res.json)).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_FAILED');
      expect(res.json.error.details.field).toBe(field);
    };
    await bad(scheduleBody({ tiers: [{ from: 1, to: 10, price: 1 }, { from: 10, to: 20, price: 2 }] }), 'seatMap.tiers');
    await bad(scheduleBody({ tiers: [{ from: 10, to: 1, price: 1 }] }), 'seatMap.tiers.0.to');
    await bad(scheduleBody({ seats: [{ seatNumber: 1, price: 1 }, { seatNumber: 1, price: 2 }] }), 'seatMap.seats');
    await bad(scheduleBody({ tiers: [{ from: 1, to: 1_000_000, price: 1 }] }), 'seatMap.tiers');
    await bad(scheduleBody({ seats: [{ seatNumber: 1, price: -1 }] }), 'seatMap.seats.0.price');
    await bad(scheduleBody({ tiers: [{ from: 1, to: 10, price: 1 }] }, { bookingCloseAt: iso(Date.now() - 2 * HOUR) }), 'bookingCloseAt');
    await bad(scheduleBody({ tiers: [{ from: 1, to: 10, price: 1 }] }, { bookingCloseAt: iso(Date.now() + 30 * DAY) }), 'bookingCloseAt');
    await bad(scheduleBody({ tiers: [{ from: 1, to: 10, price: 1 }] }, { performanceAt: 'soon' }), 'performanceAt');
    expect((await api(a.url, `/api/concerts/${c.id}/schedules?all=true`)).json).toEqual([]);
    const missing = await post(a, '/api/admin/concerts/999999999/schedules', scheduleBody({ tiers: [{ from: 1, to: 10, price: 1 }] }));
    expect(missing.json.error.code).toBe('CONCERT_NOT_FOUND');
  });
});

describe('audit log', () => {
  it('records who did what to which target with before and after, newest first, paginated and filtered', async () => {
    const otherAdminId = users(1)[0]!;
    const other = await adminToken(a, otherAdminId);
    const c = await newConcert();
    await api(a.url, `/api/admin/concerts/${c.id}`, { method: 'PATCH', token: other, json: { durationMinutes: 95 } });
    const sched = await post(a, `/api/admin/concerts/${c.id}/schedules`, scheduleBody({ tiers: [{ from: 1, to: 5, price: 10 }] }));

    const mine = await api(a.url, `/api/admin/audit?targetType=concert&targetId=${c.id}`, { token: admin });
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((e: { action: string }) => e.action)).toEqual(['concert.update', 'concert.create']);
    const [update, create] = mine.json.items;
    expect(update).toMatchObject({ actorId: otherAdminId, targetType: 'concert', targetId: String(c.id), before: { durationMinutes: 110 }, after: { durationMinutes: 95 } });
    expect(create).toMatchObject({ actorId: adminId, before: null, after: { id: c.id, title: c.title } });
    expect(Date.parse(update.createdAt)).toBeGreaterThanOrEqual(Date.parse(create.createdAt));

    const schedEntry = (await api(a.url, `/api/admin/audit?action=schedule.create&targetId=${sched.json.id}`, { token: admin })).json.items;
    expect(schedEntry).toEqual([expect.objectContaining({ actorId: adminId, targetType: 'schedule', after: expect.objectContaining({ seatCount: 5, concertId: c.id }) })]);

    // Paging through one actor's entries one at a time returns each exactly once, newest first.
    const seen: number[] = [];
    let before: number | null = null;
    do {
      const page: { json: { items: { id: number }[]; nextBefore: number | null } } = await api(a.url, `/api/admin/audit?actorId=${adminId}&limit=1${before ? `&before=${before}` : ''}`, { token: admin });
      seen.push(...page.json.items.map((e) => e.id));
      before = page.json.nextBefore;
    } while (before !== null);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect([...seen].sort((x, y) => y - x)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await api(a.url, '/api/admin/audit?limit=0', { token: admin })).json.error.details.field).toBe('limit');
  });
});

describe('concurrent admin writes', () => {
  it('20 parallel edits of one concert serialise: the audit chain links each before to the previous after', async () => {
    const c = await newConcert();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      api(a.url, `/api/admin/concerts/${c.id}`, { method: 'PATCH', token: admin, json: { durationMinutes: 200 + i } })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const log = (await api(a.url, `/api/admin/audit?targetType=concert&targetId=${c.id}&action=concert.update&limit=100`, { token: admin })).json.items.reverse();
    expect(log).toHaveLength(20);
    expect(log[0].before.durationMinutes).toBe(110);
    for (let i = 1; i < log.length; i++) expect(log[i].before).toEqual(log[i - 1].after);
    const final = (await api(a.url, `/api/concerts/${c.id}`)).json.durationMinutes;
    expect(final).toBe(log[19].after.durationMinutes);
    expect(new Set(log.map((e: { after: { durationMinutes: number } }) => e.after.durationMinutes)).size).toBe(20);
  });

  it('10 schedules of one concert created in parallel all land, each with all its seats', async () => {
    const c = await newConcert();
    const results = await Promise.all(Array.from({ length: 10 }, () =>
      post(a, `/api/admin/concerts/${c.id}/schedules`, scheduleBody({ tiers: [{ from: 1, to: 200, price: 5000 }] }))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const rows = await a.rt.orm.em.fork().getConnection().execute<{ schedule_id: number; n: number }[]>(
      'select s.schedule_id, count(*) as n from seats s join schedules sc on sc.id = s.schedule_id where sc.concert_id = ? group by s.schedule_id', [c.id],
    );
    expect(rows.map((r) => Number(r.n))).toEqual(Array(10).fill(200));
  });
});
