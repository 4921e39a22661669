// One client must not starve the sale: while one account floods charges, releases and holds and
// one IP floods catalog reads, 200 fans (each from its own address, behind a trusted proxy) hold
// and pay. Rate limits are on with their production defaults (catalog lowered to keep the flood
// short). The flooder gets 429s; every fan ends with a confirmed reservation; the audit is clean.
// (The "fans' p99 within 2x of a run without the flooder" comparison is a load scenario:
// `npm run load -- abuse`, see docs/security.md.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { sleep } from '../support/wait.ts';

const FANS = 200;
const PRICE = 50_000;
let t: TestApi;
let workers: WorkerProcess[];
const users = userIdSource();

beforeAll(async () => {
  const env = testEnv({
    RATE_LIMITS: 'on', TRUST_PROXY: 'true', RATE_LIMIT_CATALOG_PER_IP: '300/60',
    QUEUE_MAX_ACTIVE: '1000', WORKER_CONCURRENCY: '16', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  t = await startTestApi(env);
  workers = await Promise.all([spawnWorker(env), spawnWorker(env)]);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await t.close();
});

interface Client { jwt: string; ip: string; queueToken?: string }
const call = (c: Client, path: string, init: { method?: string; json?: unknown } = {}) =>
  api(t.url, path, { ...init, token: c.jwt, headers: { 'x-forwarded-for': c.ip, ...(c.queueToken ? { 'x-queue-token': c.queueToken } : {}) } });

/** Submits a job (retrying politely after a 429, as a client obeying Retry-After would) and waits for its end. */
async function job(c: Client, path: string, json: unknown) {
  for (let attempt = 0; ; attempt++) {
    const res = await call(c, path, { method: 'POST', json });
    if (res.status === 429 && attempt < 5) {
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    expect(res.status, `${path}: ${res.text}`).toBe(202);
    for (;;) {
      const poll = await call(c, `/api/jobs/${res.json.jobId}?waitMs=5000`);
      expect(poll.status, poll.text).toBe(200);
      if (poll.json.state === 'succeeded' || poll.json.state === 'failed') return poll.json;
    }
  }
}

describe('abuse', () => {
  it('a flooding account and a flooding IP get 429s while 200 fans all hold and pay', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: FANS + 20, price: PRICE, maxSeatsPerUser: 4 });
    const scheduleId = schedules[0]!.id;
    const ids = users(FANS + 1);
    const fans: Client[] = await Promise.all(ids.slice(0, FANS).map(async (id, i) => ({ jwt: await t.token(id), ip: `10.20.${i >> 8}.${i & 255}` })));
    const flooder: Client = { jwt: await t.token(ids[FANS]!), ip: '192.0.2.66' };
    for (const c of [...fans, flooder]) {
      const res = await call(c, '/api/queue/tokens', { method: 'POST', json: { concertId: concert.id } });
      expect(res.status, res.text).toBeLessThan(300);
      c.queueToken = res.json.token;
    }
    await t.api.waitingRoom.promote(concert.id);

    let stop = false;
    const flood = async () => {
      const seen: number[] = [];
      // Floods while the fans work, and (should they finish first) until it has been refused once.
      for (let i = 0; i < 400 && !(stop && seen.includes(429)); i++) {
        const kind = i % 3;
        const res = kind === 0 ? await call(flooder, '/api/wallet/charges', { method: 'POST', json: { amount: 1000 } })
          : kind === 1 ? await call(flooder, '/api/reservations', { method: 'POST', json: { scheduleId, seatNumbers: [FANS + 1 + (i % 20)] } })
            : await call(flooder, `/api/reservations/${1 + (i % 50)}`, { method: 'DELETE' });
        seen.push(res.status);
      }
      return seen;
    };
    const catalogFlood = async () => {
      const seen: number[] = [];
      const reader: Client = { jwt: '', ip: '198.51.100.99' };
      for (let i = 0; i < 400; i++) seen.push((await api(t.url, `/api/schedules/${scheduleId}/seats`, { headers: { 'x-forwarded-for': reader.ip } })).status);
      return seen;
    };
    const fanRun = async (fan: Client, i: number) => {
      const hold = await job(fan, '/api/reservations', { scheduleId, seatNumbers: [i + 1] });
      expect(hold.state, JSON.stringify(hold)).toBe('succeeded');
      expect((await job(fan, '/api/wallet/charges', { amount: PRICE })).state).toBe('succeeded');
      const paid = await job(fan, '/api/payments', { reservationId: hold.result.reservationId });
      expect(paid.state, JSON.stringify(paid)).toBe('succeeded');
      return hold.result.reservationId as number;
    };

    const floods = Promise.all([flood(), catalogFlood()]);
    const reservations = await Promise.all(fans.map(fanRun)).finally(() => { stop = true; });
    const [flooded, catalog] = await floods;

    expect(flooded.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(flooded.filter((s) => s >= 500)).toEqual([]);
    expect(catalog.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(new Set(reservations).size).toBe(FANS);
    for (const [i, fan] of fans.entries()) {
      const r = await call(fan, `/api/reservations/${reservations[i]}`);
      expect(r.json.status).toBe('CONFIRMED');
    }
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
  }, 300_000);
});
