// Two-level read-through cache for serialized response bodies:
//   L1  an in-process Map, so a hot key costs no network round trip;
//   L2  Redis, shared by every API process.
// On a miss, one loader per key runs at a time: in-process by a shared promise, across processes
// by a short Redis lock (SET NX PX) while the others wait for the value to appear.
// Invalidation bumps a per-key version, deletes the Redis value and publishes the key so every
// process drops its L1 copy. A loader only stores its result if the version did not move while it
// was reading, so a read that raced a write cannot park a stale value in Redis for the full TTL.
import type { Result } from 'ioredis';
import { duplicateRedis, type RedisClient } from './redis.ts';
import type { Counter, Registry } from 'prom-client';
import { sharedCounter } from './metrics.ts';

export interface CacheOptions {
  /** Redis TTL of a value. */
  ttlMs: number;
  /** In-process TTL; bounds staleness if an invalidation message is missed. */
  l1TtlMs: number;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    cacheSetIfVersion(valueKey: string, versionKey: string, version: string, value: string, ttlMs: number): Result<number, Context>;
  }
}

// KEYS[1] value key, KEYS[2] version key; ARGV[1] version seen before loading, ARGV[2] value, ARGV[3] ttl ms.
const SET_IF_VERSION = `
local v = redis.call('GET', KEYS[2]) or '0'
if v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * The Redis key of a cached value. Its version (`:v`) and loader lock (`:loading`) extend it, and
 * the braces give all three one hash slot: the MULTI and the Lua script use them together.
 */
export function cacheValueKey(prefix: string, key: string): string {
  return `${prefix}:cache:{${key}}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ResponseCache {
  private readonly l1 = new Map<string, { body: string; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly channel: string;
  private readonly loads: Counter<'cache'>;
  private readonly hits: Counter<'cache' | 'level'>;
  private subscriber?: RedisClient;
  private readonly redis: RedisClient;
  private readonly prefix: string;

  constructor(redis: RedisClient, prefix: string, metrics: Registry) {
    this.redis = redis;
    this.prefix = prefix;
    this.channel = `${prefix}:cache:invalidate`;
    redis.defineCommand('cacheSetIfVersion', { numberOfKeys: 2, lua: SET_IF_VERSION });
    this.loads = sharedCounter(metrics, 'cache_loads_total', 'cache misses that ran the loader', ['cache']);
    this.hits = sharedCounter(metrics, 'cache_hits_total', 'cache hits', ['cache', 'level']);
  }

  /** Subscribes to invalidations from other processes (a dedicated connection, as Redis requires). */
  async start(): Promise<void> {
    this.subscriber = duplicateRedis(this.redis, { enableOfflineQueue: true, lazyConnect: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel, key: string) => this.l1.delete(key));
    // After a reconnect some invalidations may have been missed: drop everything.
    this.subscriber.on('ready', () => this.l1.clear());
    // Not awaited: with Redis down the API must still start (and answer 503). ioredis subscribes
    // again by itself after every reconnect.
    this.subscriber.subscribe(this.channel).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.subscriber?.disconnect();
  }

  async get(cache: string, key: string, opts: CacheOptions, load: () => Promise<unknown>): Promise<string> {
    const now = Date.now();
    const local = this.l1.get(key);
    if (local && local.expiresAt > now) {
      this.hits.inc({ cache, level: 'l1' });
      return local.body;
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetch(cache, key, opts, load).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async fetch(cache: string, key: string, opts: CacheOptions, load: () => Promise<unknown>): Promise<string> {
    const valueKey = this.valueKey(key);
    const lockKey = `${valueKey}:loading`;
    for (let attempt = 0; ; attempt++) {
      const [[, cached], [, version]] = (await this.redis.multi().get(valueKey).get(`${valueKey}:v`).exec()) as [[null, string | null], [null, string | null]];
      if (cached !== null) {
        this.hits.inc({ cache, level: 'l2' });
        this.remember(key, cached, opts);
        return cached;
      }
      // Another process is loading this key: wait briefly for its value rather than hit MySQL too.
      const gotLock = await this.redis.set(lockKey, '1', 'PX', 2000, 'NX');
      if (gotLock || attempt >= 40) {
        try {
          this.loads.inc({ cache });
          const body = JSON.stringify(await load());
          await this.redis.cacheSetIfVersion(valueKey, `${valueKey}:v`, version ?? '0', body, opts.ttlMs);
          this.remember(key, body, opts);
          return body;
        } finally {
          if (gotLock) await this.redis.del(lockKey);
        }
      }
      await sleep(25);
    }
  }

  private remember(key: string, body: string, opts: CacheOptions): void {
    this.l1.set(key, { body, expiresAt: Date.now() + Math.min(opts.l1TtlMs, opts.ttlMs) });
  }

  /** Drops keys everywhere: Redis values, the L1 of every process, and any racing load's result. One round trip. */
  async invalidate(...keys: string[]): Promise<void> {
    // One transaction per key, sent together (still about one round trip): a MULTI must keep its
    // keys in one hash slot on a Redis Cluster, and no reader needs two keys to change at once.
    await Promise.all(keys.map((key) => {
      const valueKey = this.valueKey(key);
      this.l1.delete(key);
      return this.redis.multi().incr(`${valueKey}:v`).pexpire(`${valueKey}:v`, 86_400_000).del(valueKey).publish(this.channel, key).exec();
    }));
  }

  private valueKey(key: string): string {
    return cacheValueKey(this.prefix, key);
  }
}
