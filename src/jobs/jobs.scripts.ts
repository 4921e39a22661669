import type { Result } from 'ioredis';
import type { RedisClient } from '../platform/redis.ts';
import { loadLuaScripts } from '../platform/redis.ts';

/** Return codes of jobs-idempotency-claim.lua (the first element of its reply). */
export const IDEMPOTENCY_CLAIM = { CLAIMED: 1, SAME_REQUEST: 0, KEY_REUSED: -1 } as const;
export type IdempotencyClaimCode = (typeof IDEMPOTENCY_CLAIM)[keyof typeof IDEMPOTENCY_CLAIM];

/** Return code of jobs-pending-reserve.lua when the slot is taken; any other reply is the user's unfinished job count. */
export const PENDING_RESERVE = { RESERVED: 0 } as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    jobsPendingReserve(key: string, jobKey: string, max: number, now: number, graceMs: number, staleMs: number): Result<number, Context>;
    jobsIdempotencyClaim(key: string, requestHash: string, jobId: string, replaces: string, now: number, ttlSeconds: number): Result<[IdempotencyClaimCode, string?], Context>;
  }
}

export function loadJobScripts(redis: RedisClient): void {
  loadLuaScripts(redis, {
    jobsPendingReserve: new URL('./jobs-pending-reserve.lua', import.meta.url),
    jobsIdempotencyClaim: new URL('./jobs-idempotency-claim.lua', import.meta.url),
  });
}
