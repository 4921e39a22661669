import type { Result } from 'ioredis';
import type { RedisClient } from '../platform/redis.ts';
import { loadLuaScripts } from '../platform/redis.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    jobsPendingReserve(key: string, jobKey: string, max: number, now: number, graceMs: number, staleMs: number): Result<number, Context>;
    jobsIdempotencyClaim(key: string, requestHash: string, jobId: string, replaces: string, now: number, ttlSeconds: number): Result<[number, string?], Context>;
  }
}

export function loadJobScripts(redis: RedisClient): void {
  loadLuaScripts(redis, {
    jobsPendingReserve: new URL('./jobs-pending-reserve.lua', import.meta.url),
    jobsIdempotencyClaim: new URL('./jobs-idempotency-claim.lua', import.meta.url),
  });
}
