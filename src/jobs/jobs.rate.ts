// Per-user submission limits per minute for job kinds that need one (wallet charges): a fixed
// one-minute window counted in Redis, shared by every API process.
import type { RedisClient } from '../platform/redis.ts';
import type { JobName } from './jobs.catalog.ts';
import { SubmitRateLimitedError } from './jobs.errors.ts';

export class SubmitRate {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  constructor(redis: RedisClient, redisPrefix: string) {
    this.redis = redis;
    this.prefix = redisPrefix;
  }

  /** Counts one submission of `name` by the user; throws RATE_LIMITED past `perMinute` (0 = no limit). */
  async take(userId: number, name: JobName, perMinute: number): Promise<void> {
    if (perMinute === 0) return;
    const now = Date.now();
    const window = Math.floor(now / 60_000);
    const key = `${this.prefix}:rate:${name}:${userId}:${window}`;
    const n = await this.redis.incr(key);
    if (n === 1) await this.redis.expire(key, 61);
    if (n > perMinute) throw new SubmitRateLimitedError(perMinute, Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000)));
  }
}
