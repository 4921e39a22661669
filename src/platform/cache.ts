// Two-level read-through cache for serialized response bodies:
//   L1  an in-process LRU bounded by entry count and total body bytes, so a hot key costs no
//       network round trip and no stream of distinct keys can grow the heap without bound;
//   L2  Redis, shared by every API process.
// On a miss, one loader per key runs at a time: in-process by a shared promise, across processes
// by a short Redis lock (SET NX PX) while the others wait for the value to appear.
// Invalidation bumps a per-key version, deletes the Redis value and publishes the key so every
// process drops its L1 copy. A loader only stores its result if the version did not move while it
// was reading, so a read that raced a write cannot park a stale value in Redis for the full TTL.
// Negative caching: a loader that throws a `*_NOT_FOUND` AppError is remembered (in both levels)
// for `notFoundTtlMs`, so a stream of unknown ids does not each reach MySQL; hits rethrow it.
import type { Result } from 'ioredis';
import { duplicateRedis, loadLuaScripts, type RedisClient } from './redis.ts';
import type { Counter, Registry } from 'prom-client';
import { LRUCache } from 'lru-cache';
import { sharedCounter } from './metrics.ts';
import { AppError } from './errors.ts';

export interface CacheLimits {
  /** Most entries kept in process (L1). */
  maxEntries: number;
  /** Most bytes of bodies kept in process (L1). */
  maxBytes: number;
  /** How long a not-found answer is remembered; 0 turns negative caching off. */
  notFoundTtlMs: number;
}
const DEFAULT_LIMITS: CacheLimits = { maxEntries: 5000, maxBytes: 64 * 1024 * 1024, notFoundTtlMs: 10_000 };
/** Marks a stored not-found answer; a JSON body never starts with it. */
const NOT_FOUND = '!nf:';

export interface CacheOptions {
  /** Redis TTL of a value. */
  ttlMs: number;
  /** In-process TTL; bounds staleness if an invalidation message is missed. */
  l1TtlMs: number;
}

/** Return codes of cache-set-if-version.lua. */
export const CACHE_SET = { STORED: 1, VERSION_MOVED: 0 } as const;
export type CacheSetCode = (typeof CACHE_SET)[keyof typeof CACHE_SET];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    cacheSetIfVersion(valueKey: string, versionKey: string, version: string, value: string, ttlMs: number): Result<CacheSetCode, Context>;
    cacheInvalidate(versionKey: string, valueKey: string, channel: string, key: string): Result<number, Context>;
  }
}

/**
 * The Redis key of a cached value. Its version (`:v`) and loader lock (`:loading`) extend it, and
 * the braces give all three one hash slot: the MULTI and the Lua script use them together.
 */
export function cacheValueKey(prefix: string, key: string): string {
  return `${prefix}:cache:{${key}}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ResponseCache {
  private readonly l1: LRUCache<string, string>;
  private readonly limits: CacheLimits;
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly channel: string;
  private readonly loads: Counter<'cache'>;
  private readonly hits: Counter<'cache' | 'level'>;
  private subscriber?: RedisClient;
  private readonly redis: RedisClient;
  private readonly prefix: string;

  constructor(redis: RedisClient, prefix: string, metrics: Registry, limits: Partial<CacheLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.l1 = boundedL1(this.limits);
    this.redis = redis;
    this.prefix = prefix;
    this.channel = `${prefix}:cache:invalidate`;
    loadLuaScripts(redis, {
      cacheSetIfVersion: new URL('./cache-set-if-version.lua', import.meta.url),
      cacheInvalidate: new URL('./cache-invalidate.lua', import.meta.url),
    });
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

  /**
   * The cached body of `key`, loading it on a miss. `tags` name groups of keys that can be dropped
   * together with invalidateTag() when their exact keys are not known to the writer (a concert's
   * schedule lists, cached per requested date range).
   */
  async get(cache: string, key: string, opts: CacheOptions, load: () => Promise<unknown>, tags: string[] = []): Promise<string> {
    const local = this.l1.get(key);
    if (local !== undefined) {
      this.hits.inc({ cache, level: 'l1' });
      return unwrap(local);
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetch(cache, key, opts, load, tags).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return unwrap(await pending);
  }

  /** Entries and bytes held in process (tests and metrics). */
  get l1Size(): { entries: number; bytes: number } {
    return { entries: this.l1.size, bytes: this.l1.calculatedSize };
  }

  private async fetch(cache: string, key: string, opts: CacheOptions, load: () => Promise<unknown>, tags: string[]): Promise<string> {
    const valueKey = this.valueKey(key);
    const lockKey = `${valueKey}:loading`;
    for (let attempt = 0; ; attempt++) {
      // One MGET (both keys share the value's hash tag): no MULTI, whose Pipeline object ioredis
      // builds by copying every script defined on the client.
      const [cached = null, version = null] = await this.redis.mget(valueKey, `${valueKey}:v`);
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
          // Tagged before loading: an invalidateTag() that misses this key ran before this load
          // read the database, so the value loaded is already fresh.
          if (tags.length) await this.tagKey(key, tags, opts.ttlMs);
          let body: string;
          let ttlMs = opts.ttlMs;
          try {
            body = JSON.stringify(await load());
          } catch (err) {
            if (!(err instanceof AppError && err.code.endsWith('_NOT_FOUND') && this.limits.notFoundTtlMs > 0)) throw err;
            body = NOT_FOUND + JSON.stringify({ code: err.code, message: err.message, details: err.details });
            ttlMs = Math.min(ttlMs, this.limits.notFoundTtlMs);
          }
          // VERSION_MOVED: an invalidation ran during the load; this caller still gets its body.
          await this.redis.cacheSetIfVersion(valueKey, `${valueKey}:v`, version ?? '0', body, ttlMs);
          this.remember(key, body, { ...opts, ttlMs });
          return body;
        } finally {
          if (gotLock) await this.redis.del(lockKey);
        }
      }
      await sleep(25);
    }
  }

  private remember(key: string, body: string, opts: CacheOptions): void {
    this.l1.set(key, body, { ttl: Math.min(opts.l1TtlMs, opts.ttlMs) });
  }

  private async tagKey(key: string, tags: string[], ttlMs: number): Promise<void> {
    // One MULTI per tag set: each set is one key, so one hash slot on a Redis Cluster.
    await Promise.all(tags.map((tag) => this.redis.multi().sadd(this.tagSet(tag), key).pexpire(this.tagSet(tag), ttlMs + 60_000).exec()));
  }

  private tagSet(tag: string): string {
    return `${this.prefix}:cache-tag:${tag}`;
  }

  /** Drops every key loaded with `tag` (see get()), everywhere, like invalidate(). */
  async invalidateTag(tag: string, ...alsoKeys: string[]): Promise<void> {
    const members = await this.redis.smembers(this.tagSet(tag));
    await this.invalidate(...members, ...alsoKeys);
  }

  /** Drops keys everywhere: Redis values, the L1 of every process, and any racing load's result. One round trip. */
  async invalidate(...keys: string[]): Promise<void> {
    // One script per key, sent together (still about one round trip): each key's value and version
    // share a hash slot on a Redis Cluster, and no reader needs two keys to change at once.
    await Promise.all(keys.map((key) => {
      const valueKey = this.valueKey(key);
      this.l1.delete(key);
      return this.redis.cacheInvalidate(`${valueKey}:v`, valueKey, this.channel, key);
    }));
  }

  private valueKey(key: string): string {
    return cacheValueKey(this.prefix, key);
  }
}

/**
 * The in-process level: an LRU bounded by entries and by total size. Sizes count string length
 * (UTF-16 code units, up to 2 bytes each in V8) plus a fixed per-entry overhead, which is close
 * enough for a bound.
 */
export function boundedL1(limits: Pick<CacheLimits, 'maxEntries' | 'maxBytes'>): LRUCache<string, string> {
  return new LRUCache<string, string>({
    max: limits.maxEntries, maxSize: limits.maxBytes, sizeCalculation: (body, key) => body.length + key.length + 64,
  });
}

/** A stored body, or the stored not-found error thrown again. */
function unwrap(body: string): string {
  if (!body.startsWith(NOT_FOUND)) return body;
  const e = JSON.parse(body.slice(NOT_FOUND.length)) as { code: string; message: string; details?: Record<string, unknown> };
  throw new AppError(e.code, e.message, e.details);
}
