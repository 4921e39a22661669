// Admission against real Redis: concurrent promoters, expiry, abandonment with batched heartbeats,
// idle actives, the inventory ceiling, the rate cap, pause, sold-out, signed tokens, and the
// queue events relayed in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/platform/redis.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { WaitingRoom, type QueueEvent, type WaitingRoomSettings } from '../../src/domain/queue/queue.service.ts';
import { queueKeys } from '../../src/domain/queue/queue.keys.ts';
import { testRuntime } from '../support/env.ts';
import { sleep } from '../support/wait.ts';

let rt: Runtime;
let nextConcert = 1;
beforeAll(async () => { rt = await testRuntime(); });
afterAll(async () => { await rt.close(); });

const settings = (over: Partial<WaitingRoomSettings> = {}): WaitingRoomSettings => ({
  prefix: rt.config.REDIS_PREFIX, tokenSecret: 'admission-test-secret-0123456789abcdef', maxActive: 100, activeTtlSeconds: 600, idleTimeoutSeconds: 300, ...over,
});
const inventory = (available: number, held = 0, sold = 0) => ({ total: available + held + sold, available, held, sold });

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
    expect((await room.status(1, tokens[0]!)).state).toBe('ACTIVE');
  });

  it('an active token that expires frees its slot at the next tick; an abandoned waiting entry drops out (heartbeats written in batches)', async () => {
    const concertId = nextConcert++;
    let now = 1_800_000_000_000;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 1, activeTtlSeconds: 60, idleTimeoutSeconds: 30, activeIdleSeconds: 3600 }), () => now);
    const a = (await room.join(1, concertId)).status.token;
    const b = (await room.join(2, concertId)).status.token;
    const c = (await room.join(3, concertId)).status.token;
    expect((await room.promote(concertId)).admitted).toBe(1);
    expect((await room.status(1, a)).state).toBe('ACTIVE');

    // 20 s later user 2 polls, user 3 does not; 40 s later user 3 has been idle for over 30 s.
    now += 20_000;
    expect(await room.status(2, b)).toMatchObject({ state: 'WAITING', position: 1 });
    const k = queueKeys(rt.config.REDIS_PREFIX, concertId);
    expect(await rt.redis.hget(k.seen, '2')).toBe(String(now - 20_000)); // the poll is only noted
    await room.heartbeats.flush(); // one batched write
    expect(await rt.redis.hget(k.seen, '2')).toBe(String(now));
    now += 20_000;
    expect(await room.promote(concertId)).toMatchObject({ admitted: 0, droppedIdle: 1, waiting: 1, active: 1 });
    expect((await room.status(3, c)).state).toBe('EXPIRED');
    // A late heartbeat for the dropped user never puts it back (ZADD XX).
    room.heartbeats.note(concertId, 3);
    await room.heartbeats.flush();
    expect(await rt.redis.hget(k.seen, '3')).toBeNull();

    // At 61 s user 1's active time has run out: the tick retires it and admits user 2, who kept polling.
    expect((await room.status(2, b)).state).toBe('WAITING');
    now += 21_000;
    expect((await room.status(2, b)).state).toBe('WAITING');
    await room.heartbeats.flush();
    expect(await room.promote(concertId)).toMatchObject({ admitted: 1, expiredActives: 1, waiting: 0, active: 1 });
    expect((await room.status(1, a)).state).toBe('EXPIRED');
    expect((await room.status(2, b)).state).toBe('ACTIVE');
  });

  it('idle ACTIVE fans (no request with their token for QUEUE_ACTIVE_IDLE_SECONDS) lose the slot and the next fan is admitted', async () => {
    const concertId = nextConcert++;
    let now = 1_800_000_000_000;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 2, activeIdleSeconds: 120 }), () => now);
    const t = [0, 1, 2, 3].map(() => '');
    for (const u of [1, 2, 3]) t[u] = (await room.join(u, concertId)).status.token;
    await room.promote(concertId);
    now += 100_000;
    await room.status(1, t[1]); // user 1 keeps using its token, user 2 does not
    await room.status(3, t[3]);
    await room.heartbeats.flush();
    now += 30_000;
    expect(await room.promote(concertId)).toMatchObject({ idleActives: 1, admitted: 1, active: 2 });
    expect((await room.status(1, t[1])).state).toBe('ACTIVE');
    expect((await room.status(2, t[2])).state).toBe('EXPIRED');
    expect((await room.status(3, t[3])).state).toBe('ACTIVE');
  });

  it('the ETA follows the measured admission rate', async () => {
    const concertId = nextConcert++;
    let now = 1_800_000_000_000;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 2, activeTtlSeconds: 1, idleTimeoutSeconds: 3600 }), () => now);
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

  it('pacing (pollAfterMs) grows with the position in line', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 1000 }));
    await room.joinMany(Array.from({ length: 3006 }, (_, i) => i + 1), concertId);
    await room.promote(concertId, inventory(4)); // admits 6 and leaves no slot open
    const paces: number[] = [];
    for (const p of [1, 20, 100, 3000]) {
      const { status } = await room.join(p + 6, concertId); // idempotent: the same place again
      expect(status).toMatchObject({ state: 'WAITING', position: p });
      paces.push(status.pollAfterMs);
    }
    expect(paces[0]).toBe(1000);
    for (let i = 1; i < paces.length; i++) expect(paces[i]!).toBeGreaterThan(paces[i - 1]!);
    expect(paces[3]).toBeGreaterThanOrEqual(20_000);
  });
});

describe('inventory-aware admission', () => {
  it('never more ACTIVE than QUEUE_ADMIT_PER_SEAT × seats neither sold nor held, over many concurrent ticks', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 100, admitPerSeat: 1.5 }));
    await room.joinMany(Array.from({ length: 200 }, (_, i) => i + 1), concertId);
    const results = await Promise.all(Array.from({ length: 10 }, () => room.promote(concertId, inventory(10, 5, 5))));
    expect(results.reduce((s, r) => s + r.admitted, 0)).toBe(15);
    expect(await rt.redis.zcard(queueKeys(rt.config.REDIS_PREFIX, concertId).active)).toBe(15);
    // Two more seats come free: three more fans, the next in line.
    expect(await room.promote(concertId, inventory(12, 3, 5))).toMatchObject({ admitted: 3, active: 18 });
  });

  it('when every seat is held but not sold, fans wait with reason ALL_SEATS_HELD and nobody is admitted', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings());
    const { status } = await room.join(1, concertId);
    expect(await room.promote(concertId, inventory(0, 10, 0))).toMatchObject({ admitted: 0, line: { allHeld: true } });
    expect(await room.status(1, status.token)).toMatchObject({ state: 'WAITING', reason: 'ALL_SEATS_HELD', position: 1 });
    expect(await room.promote(concertId, inventory(1, 9, 0))).toMatchObject({ admitted: 1 });
    expect((await room.status(1, status.token)).state).toBe('ACTIVE');
  });

  it('with MySQL unreachable the tick admits nobody but still retires expired actives', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings());
    await room.joinMany([1, 2, 3], concertId);
    expect(await room.promote(concertId, 'unreachable')).toMatchObject({ admitted: 0, waiting: 3 });
  });

  it('QUEUE_ADMIT_RATE caps admissions per second', async () => {
    const concertId = nextConcert++;
    let now = 1_800_000_000_000;
    const room = new WaitingRoom(rt.redis, settings({ admitRate: 5 }), () => now);
    await room.joinMany(Array.from({ length: 100 }, (_, i) => i + 1), concertId);
    let admitted = 0;
    for (let tick = 0; tick < 10; tick++) {
      admitted += (await room.promote(concertId)).admitted;
      now += 1000;
    }
    expect(admitted).toBeGreaterThanOrEqual(45);
    expect(admitted).toBeLessThanOrEqual(55);
  });

  it('a paused line admits nobody; fans keep their places with reason PAUSED; resume admits them in order', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 1 }));
    const a = (await room.join(1, concertId)).status.token;
    const b = (await room.join(2, concertId)).status.token;
    await room.pause(concertId);
    expect(await room.promote(concertId)).toMatchObject({ admitted: 0, line: { paused: true } });
    expect(await room.status(2, b)).toMatchObject({ state: 'WAITING', position: 2, reason: 'PAUSED' });
    await room.resume(concertId);
    expect((await room.promote(concertId)).admitted).toBe(1);
    expect((await room.status(1, a)).state).toBe('ACTIVE');
    expect(await room.status(2, b)).toMatchObject({ state: 'WAITING', position: 1 });
  });
});

describe('sold out', () => {
  it('one state change turns the whole line SOLD_OUT, records one queue.sold_out event, and joins are refused', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 1 }));
    const tokens: string[] = [];
    for (let u = 1; u <= 50; u++) tokens.push((await room.join(u, concertId)).status.token);
    await room.promote(concertId, inventory(1));
    const r = await room.promote(concertId, inventory(0, 0, 1));
    expect(r.line.soldOut).toBe(true);
    await room.promote(concertId, inventory(0, 0, 1)); // a second tick records no second event
    const states = await Promise.all(tokens.map((t, i) => room.status(i + 1, t)));
    expect(new Set(states.map((s) => s.state))).toEqual(new Set(['SOLD_OUT']));
    await expect(room.join(999, concertId)).rejects.toMatchObject({ code: 'SOLD_OUT' });
    const events: QueueEvent[] = [];
    await room.relayEvents(concertId, async (e) => { events.push(...e); });
    expect(events.map((e) => e.type)).toEqual(['admitted', 'sold_out']);
  });
});

describe('tokens', () => {
  it('a forged or altered token is rejected; another user\'s is forbidden', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings());
    await room.joinMany([1, 2, 3], concertId);
    const mine = (await room.join(3, concertId)).status.token;
    const [c, u, s, e, mac] = mine.split('.');
    // Claiming an earlier place (seq 1) with the same MAC, or another user's id, fails the signature.
    await expect(room.status(3, [c, u, '1', e, mac].join('.'))).rejects.toMatchObject({ code: 'QUEUE_TOKEN_INVALID' });
    await expect(room.status(1, [c, '1', s, e, mac].join('.'))).rejects.toMatchObject({ code: 'QUEUE_TOKEN_INVALID' });
    const forger = new WaitingRoom(rt.redis, settings({ tokenSecret: 'not-the-server-secret-0123456789abcdef' }));
    const forged = (await forger.join(4, concertId)).status.token;
    await expect(room.status(4, forged)).rejects.toMatchObject({ code: 'QUEUE_TOKEN_INVALID' });
    await expect(room.status(1, mine)).rejects.toMatchObject({ code: 'QUEUE_TOKEN_FORBIDDEN' });
    expect(await room.status(3, mine)).toMatchObject({ state: 'WAITING', position: 3 });
  });

  it('a genuine token whose line vanished with Redis\'s data answers QUEUE_RESET, and joining again works', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings());
    const old = (await room.join(1, concertId)).status.token;
    const k = queueKeys(rt.config.REDIS_PREFIX, concertId);
    await rt.redis.del(k.waiting, k.seen, k.seq, k.meta); // as after a flush or a failover without persistence
    await expect(room.status(1, old)).rejects.toMatchObject({ code: 'QUEUE_RESET' });
    const fresh = (await room.join(1, concertId)).status;
    expect(fresh).toMatchObject({ state: 'WAITING', position: 1 });
    expect(fresh.token).not.toBe(old);
    // The old token stays a reset one, even though the line exists again.
    await expect(room.status(1, old)).rejects.toMatchObject({ code: 'QUEUE_RESET' });
  });
});

describe('queue events', () => {
  it('under concurrent exclusive promoters, every admission is relayed exactly once and in order', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 40 }));
    for (let u = 1; u <= 40; u++) await room.join(u, concertId);
    const relayed: QueueEvent[] = [];
    const relay = async (events: QueueEvent[]) => { relayed.push(...events); };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => room.promoteExclusively(concertId, undefined, relay)));
    expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    // A promoter that lost the lock skipped; one more tick flushes anything left.
    await room.promoteExclusively(concertId, undefined, relay);
    expect(relayed.map((e) => (e.type === 'admitted' ? e.userId : -1))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('when the relay (Kafka) fails, admissions still happen and their events wait in Redis until it works', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 3 }));
    for (let u = 1; u <= 3; u++) await room.join(u, concertId);
    await expect(room.promoteExclusively(concertId, undefined, async () => { throw new Error('broker down'); })).rejects.toThrow('broker down');
    expect(await rt.redis.zcard(queueKeys(rt.config.REDIS_PREFIX, concertId).active)).toBe(3);
    const relayed: QueueEvent[] = [];
    await room.promoteExclusively(concertId, undefined, async (e) => { relayed.push(...e); });
    expect(relayed.map((e) => (e.type === 'admitted' ? e.userId : -1))).toEqual([1, 2, 3]);
    expect(await rt.redis.xlen(queueKeys(rt.config.REDIS_PREFIX, concertId).events)).toBe(0);
  });

  it('the relay runs after the promoter lock is released: a slow relay never holds up the next promotion', async () => {
    const concertId = nextConcert++;
    const room = new WaitingRoom(rt.redis, settings({ maxActive: 1 }));
    await room.joinMany([1, 2], concertId);
    let release: (() => void) | undefined;
    // The first relay call hangs until released; later ones (the second admission) go through.
    const slowRelay = () => (release ? Promise.resolve() : new Promise<void>((r) => { release = r; }));
    const slow = room.promoteExclusively(concertId, undefined, slowRelay);
    // Wait until the slow relay has started (it holds only the relay lock).
    for (let i = 0; i < 100 && !release; i++) await sleep(20);
    await room.endFor(1, concertId);
    const second = await room.promoteExclusively(concertId, undefined, async () => undefined);
    expect(second).toMatchObject({ admitted: 1, relayed: 0 }); // promoted; the relay lock was busy
    release!();
    expect(await slow).toMatchObject({ admitted: 1, relayed: 2 }); // the held relay then sent both, in order
  });
});
