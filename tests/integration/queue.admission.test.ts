// Admission against real Redis: concurrent promoters, expiry, abandonment, the scheduler and the
// queue.admitted events on the real Kafka broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/platform/redis.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { WaitingRoom, type AdmittedEvent } from '../../src/domain/queue/queue.service.ts';
import { queueKeys } from '../../src/domain/queue/queue.keys.ts';
import { testRuntime } from '../support/env.ts';

let rt: Runtime;
let nextConcert = 1;
beforeAll(async () => { rt = await testRuntime(); });
afterAll(async () => { await rt.close(); });

const settings = () => ({ prefix: rt.config.REDIS_PREFIX, maxActive: 100, activeTtlSeconds: 600, idleTimeoutSeconds: 300 });

describe('promotion', () => {
  it('five promoters at once against 150 waiting users with maxActive 100 admit exactly the first 100 in arrival order', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings());
    const tokens: string[] = [];
    for (let u = 1; u <= 150; u++) tokens.push((await room.join(u, concertId)).status.token);

    // Five promoters, each with its own connection, as five worker processes would be.
    const clients = Array.from({ length: 5 }, () => createRedis(rt.config, 'blocking'));
    try {
      const rooms = clients.map((c) => new WaitingRoom(c, settings()));
      const results = await Promise.all(rooms.map((r) => r.promote(concertId)));
      expect(results.reduce((sum, r) => sum + r.admitted, 0)).toBe(100);
    } finally {
      clients.forEach((c) => c.disconnect());
    }

    const k = queueKeys(rt.config.REDIS_PREFIX, concertId);
    const active = (await rt.redis.zrange(k.active, '0', '-1')).map((m) => Number(m)).sort((a, b) => a - b);
    expect(active).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const waitingPositions = await Promise.all(
      tokens.slice(100).map(async (token, i) => {
        const s = await room.status(101 + i, token);
        expect(s.state).toBe('WAITING');
        return s.state === 'WAITING' ? s.position : -1;
      }),
    );
    expect(waitingPositions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const firstStatus = await room.status(1, tokens[0]!);
    expect(firstStatus.state).toBe('ACTIVE');
  });

  it('an active token that expires frees its slot at the next tick; an abandoned waiting entry drops out', async () => {
    const concertId = nextConcert++;
    let now = 1_800_000_000_000;
    const room = new WaitingRoom(rt.redis, { ...settings(), maxActive: 1, activeTtlSeconds: 60, idleTimeoutSeconds: 30 }, () => now);
    const a = (await room.join(1, concertId)).status.token;
    const b = (await room.join(2, concertId)).status.token;
    const c = (await room.join(3, concertId)).status.token;
    expect((await room.promote(concertId)).admitted).toBe(1);
    expect((await room.status(1, a)).state).toBe('ACTIVE');

    // 20 s later user 2 polls, user 3 does not; 40 s later user 3 has been idle for over 30 s.
    now += 20_000;
    expect(await room.status(2, b)).toMatchObject({ state: 'WAITING', position: 1 });
    now += 20_000;
    expect(await room.promote(concertId)).toMatchObject({ admitted: 0, droppedIdle: 1, waiting: 1, active: 1 });
    expect((await room.status(3, c)).state).toBe('EXPIRED');

    // At 61 s user 1's active time has run out: the tick retires it and admits user 2, who kept polling.
    expect((await room.status(2, b)).state).toBe('WAITING');
    now += 21_000;
    expect((await room.status(2, b)).state).toBe('WAITING');
    expect(await room.promote(concertId)).toMatchObject({ admitted: 1, expiredActives: 1, waiting: 0, active: 1 });
    expect((await room.status(1, a)).state).toBe('EXPIRED');
    expect((await room.status(2, b)).state).toBe('ACTIVE');
  });

  it('the ETA follows the measured admission rate', async () => {
    const concertId = nextConcert++;
    let now = 1_800_000_000_000;
    const room = new WaitingRoom(rt.redis, { ...settings(), maxActive: 2, activeTtlSeconds: 1, idleTimeoutSeconds: 3600 }, () => now);
    const tokens: string[] = [];
    for (let u = 1; u <= 30; u++) tokens.push((await room.join(u, concertId)).status.token);
    // Before any tick: turnover estimate, maxActive per active TTL = 2 users/s.
    expect(await room.status(30, tokens[29]!)).toMatchObject({ position: 30, estimatedWaitSeconds: 15 });
    for (let tick = 0; tick < 6; tick++) {
      await room.promote(concertId);
      now += 1_001; // every active expires each second, so 2 users/s are admitted
    }
    const s = await room.status(30, tokens[29]!);
    expect(s).toMatchObject({ state: 'WAITING', position: 18 });
    if (s.state !== 'WAITING') throw new Error('unreachable');
    expect(s.estimatedWaitSeconds).toBeGreaterThanOrEqual(8);
    expect(s.estimatedWaitSeconds).toBeLessThanOrEqual(12);
  });
});

describe('admission events', () => {
  it('under concurrent exclusive promoters, every admission is relayed exactly once and in order', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, { ...settings(), maxActive: 40 });
    for (let u = 1; u <= 40; u++) await room.join(u, concertId);
    const relayed: AdmittedEvent[] = [];
    const relay = async (events: AdmittedEvent[]) => { relayed.push(...events); };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => room.promoteExclusively(concertId, relay)));
    expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    // A promoter that lost the lock skipped; one more tick flushes anything left.
    await room.promoteExclusively(concertId, relay);
    expect(relayed.map((e) => e.userId)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('when the relay (Kafka) fails, admissions still happen and their events wait in Redis until it works', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, { ...settings(), maxActive: 3 });
    for (let u = 1; u <= 3; u++) await room.join(u, concertId);
    await expect(room.promoteExclusively(concertId, async () => { throw new Error('broker down'); })).rejects.toThrow('broker down');
    expect(await rt.redis.zcard(queueKeys(rt.config.REDIS_PREFIX, concertId).active)).toBe(3);
    const relayed: AdmittedEvent[] = [];
    await room.promoteExclusively(concertId, async (e) => { relayed.push(...e); });
    expect(relayed.map((e) => e.userId)).toEqual([1, 2, 3]);
    expect(await rt.redis.xlen(queueKeys(rt.config.REDIS_PREFIX, concertId).events)).toBe(0);
  });
});
