import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * `command`: the API's and workers' ordinary client. It fails fast (one retry, no offline queue) so
 * a Redis outage becomes a 503 at once instead of requests piling up in memory.
 * `blocking`: for BullMQ Workers and QueueEvents, which require maxRetriesPerRequest: null.
 */
export function createRedis(url: string, kind: 'command' | 'blocking', extra: RedisOptions = {}): Redis {
  const base: RedisOptions =
    kind === 'blocking'
      ? { maxRetriesPerRequest: null }
      : {
          maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true,
          // Commands issued in the same tick go out in one socket write. Without it a rush spent
          // ~28% of the API's CPU in per-command socket writes (CPU profile, load/README.md).
          enableAutoPipelining: true,
        };
  return new Redis(url, { ...base, connectTimeout: 3000, ...extra });
}

/** Connects a lazy client and waits until it is ready; rejects if Redis is unreachable. */
export async function connectRedis(redis: Redis): Promise<Redis> {
  if (redis.status === 'wait') await redis.connect();
  return redis;
}

/**
 * Registers Lua scripts with ioredis `defineCommand`. Each `.lua` file carries its contract in a
 * header; the line `-- numberOfKeys: N` tells the loader how many of the arguments are KEYS.
 * ioredis sends EVALSHA and falls back to EVAL once per connection when the script is not cached.
 */
export function loadLuaScripts(redis: Redis, scripts: Record<string, URL>): void {
  for (const [name, file] of Object.entries(scripts)) {
    if (typeof (redis as unknown as Record<string, unknown>)[name] === 'function') continue;
    const lua = readFileSync(file, 'utf8');
    const m = /^--\s*numberOfKeys:\s*(\d+)\s*$/m.exec(lua);
    if (!m) throw new Error(`${file.pathname}: missing "-- numberOfKeys: N" header`);
    redis.defineCommand(name, { numberOfKeys: Number(m[1]), lua });
  }
}
