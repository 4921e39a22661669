// Proves the harness reaches the real services: MySQL row locks, Lua through the loader, Kafka.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { Result } from 'ioredis';
import { testRuntime, uniqueId } from '../support/env.ts';
import { loadLuaScripts } from '../../src/platform/redis.ts';
import { ensureTopics, topicName } from '../../src/platform/kafka.ts';
import { CACHE_SET, ResponseCache, cacheValueKey } from '../../src/platform/cache.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { Concert, Schedule, Seat } from '../../src/domain/catalog/catalog.entity.ts';
import { sleep } from '../support/wait.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    incrIfBelow(key: string, ceiling: number): Result<number, Context>;
  }
}

let rt: Runtime;
beforeAll(async () => { rt = await testRuntime(); });
afterAll(async () => { await rt.close(); });

describe('MySQL', () => {
  it('when one transaction holds SELECT … FOR UPDATE on a seat, a second waits until it commits', async () => {
    const em = rt.orm.em.fork();
    const concert = em.create(Concert, { title: 'Lock test', artist: 'A', durationMinutes: 90 });
    await em.flush();
    const now = Date.now();
    const schedule = em.create(Schedule, {
      concertId: concert.id, performanceAt: new Date(now + 86_400_000), bookingOpenAt: new Date(now - 1000),
      bookingCloseAt: new Date(now + 3_600_000), seatCount: 1,
    });
    await em.flush();
    const seat = em.create(Seat, { scheduleId: schedule.id, seatNumber: 1, price: 50_000 });
    await em.flush();

    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => { releaseFirst = r; });
    let firstLocked!: () => void;
    const locked = new Promise<void>((r) => { firstLocked = r; });

    const first = rt.orm.em.fork().transactional(async (tx) => {
      await tx.findOneOrFail(Seat, seat.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
      events.push('first locked');
      firstLocked();
      await firstHolds;
      events.push('first commits');
    });
    await locked;
    const second = rt.orm.em.fork().transactional(async (tx) => {
      await tx.findOneOrFail(Seat, seat.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
      events.push('second locked');
    });
    await sleep(300);
    expect(events).toEqual(['first locked']); // the second is still blocked
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first locked', 'first commits', 'second locked']);
  });
});

describe('Redis Lua loader', () => {
  it('runs a .lua file registered with defineCommand, atomically under concurrency', async () => {
    const redis = rt.redis;
    loadLuaScripts(redis, { incrIfBelow: new URL('../fixtures/incr-if-below.lua', import.meta.url) });
    const key = `${rt.config.REDIS_PREFIX}:counter`;
    const results = await Promise.all(Array.from({ length: 50 }, () => redis.incrIfBelow(key, 10)));
    expect(results.filter((r) => r > 0).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(results.filter((r) => r === -1)).toHaveLength(40);
    await redis.del(key);
  });

  it('the cache stores a loaded value only while its version is the one read before loading', async () => {
    const redis = rt.redis;
    new ResponseCache(redis, rt.config.REDIS_PREFIX, rt.metrics); // registers cacheSetIfVersion
    const value = cacheValueKey(rt.config.REDIS_PREFIX, `lua-${uniqueId()}`);
    expect(await redis.cacheSetIfVersion(value, `${value}:v`, '0', 'first', 60_000)).toBe(CACHE_SET.STORED);
    await redis.incr(`${value}:v`); // an invalidation ran while a second loader was reading
    expect(await redis.cacheSetIfVersion(value, `${value}:v`, '0', 'stale', 60_000)).toBe(CACHE_SET.VERSION_MOVED);
    expect(await redis.get(value)).toBe('first');
    await redis.del(value, `${value}:v`);
  });
});

describe('Kafka', () => {
  it('a message produced with the idempotent producer is consumed back from the broker', async () => {
    const topic = topicName(rt.config, `roundtrip-${uniqueId()}`);
    await ensureTopics(rt.kafka, rt.config, [topic]);
    const producer = rt.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = rt.kafka.consumer({ groupId: `g-${uniqueId()}` });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const id = randomUUID();
    const received = new Promise<{ key: string; value: unknown }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          resolve({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
        },
      });
    });
    await producer.send({ topic, acks: -1, messages: [{ key: 'concert-1', value: JSON.stringify({ id }) }] });
    const got = await received;
    expect(got).toEqual({ key: 'concert-1', value: { id } });
    await consumer.disconnect();
    await producer.disconnect();
  });
});
