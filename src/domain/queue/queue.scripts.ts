// The waiting room's Lua scripts: their replies and return codes, and the typed commands ioredis
// gets from `defineCommand`. Each .lua file's header is the contract (every KEYS[i] and ARGV[i]);
// the parameter names below follow it, keys first. Redis turns Lua numbers into integers and
// leaves strings (a ZSCORE, an HMGET field) as strings, hence the `number | string` members.
import type { Result } from 'ioredis';
import { loadLuaScripts, type RedisClient } from '../../platform/redis.ts';

/** The state heading the replies of queue-join.lua and queue-status.lua (join never answers RESET or EXPIRED). */
export const PLACE_STATE = { RESET: -1, WAITING: 1, ACTIVE: 2, EXPIRED: 3, SOLD_OUT: 4 } as const;
export type PlaceStateCode = (typeof PLACE_STATE)[keyof typeof PLACE_STATE];

/** Return codes of queue-leave.lua. */
export const QUEUE_LEAVE = { ENDED: 1, NO_PLACE: 0 } as const;
export type QueueLeaveCode = (typeof QUEUE_LEAVE)[keyof typeof QUEUE_LEAVE];

/** The `applied` code of queue-open-batch.lua (NOT_DUE: the cursor was elsewhere, nothing written). */
export const OPEN_BATCH = { APPLIED: 1, NOT_DUE: 0 } as const;
export type OpenBatchCode = (typeof OPEN_BATCH)[keyof typeof OPEN_BATCH];

/** A 0/1 flag in a reply (created, done, paused, …). */
type Flag = 0 | 1;

export type QueueJoinReply = [
  state: PlaceStateCode, epoch: string, seq: number | string, position: number, activeUntil: number | string, created: Flag,
  waitingCount: number, paused: string, allHeld: string, rate: string, free: number, opensAt: number | string,
];
export type QueueStatusReply = [
  state: PlaceStateCode, position: number, activeUntil: number | string, waitingCount: number,
  paused: string, allHeld: string, rate: string, free: number, opensAt: number | string,
];
export type QueuePromoteReply = [
  admitted: number, expiredActives: number, idleActives: number, droppedIdle: number, waiting: number, active: number,
  headSeq: number, tailSeq: number, paused: Flag, soldOut: Flag, allHeld: Flag, rate: string, ceiling: number, preQueue: number,
];
export type QueueOpenStartReply = [opening: 'started' | 'done', cursor: number, entrants: number];
export type QueueOpenBatchReply = [applied: OpenBatchCode, cursor: number, done: Flag];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    queueJoin(
      waitingKey: string, seenKey: string, activeKey: string, activeSeenKey: string, activeSeqKey: string, seqKey: string,
      metaKey: string, preKey: string, entrantsKey: string,
      userId: string, now: number, freshEpoch: string, opensAt: number,
    ): Result<QueueJoinReply, Context>;
    queueStatus(
      waitingKey: string, activeKey: string, activeSeqKey: string, metaKey: string, preKey: string, entrantsKey: string,
      userId: string, seq: number, epoch: string, now: number,
    ): Result<QueueStatusReply, Context>;
    /** `seq`: the place that must be the current one, or '' for whatever is current. */
    queueLeave(
      waitingKey: string, seenKey: string, activeKey: string, activeSeenKey: string, activeSeqKey: string, preKey: string,
      userId: string, seq: string,
    ): Result<QueueLeaveCode, Context>;
    /** `soldOut`, `allHeld`: 1 / 0, or -1 when unknown; `hold`: 1 admits nobody this tick. */
    queuePromote(
      waitingKey: string, seenKey: string, activeKey: string, activeSeenKey: string, activeSeqKey: string, seqKey: string,
      metaKey: string, eventsKey: string, preKey: string, entrantsKey: string,
      now: number, ceiling: number, activeTtlMs: number, waitingIdleCutoff: number, activeIdleCutoff: number,
      admitRate: number, soldOut: -1 | Flag, allHeld: -1 | Flag, concertId: number, sweepLimit: number, hold: Flag,
    ): Result<QueuePromoteReply, Context>;
    /** Returns how many signs of life were recorded. */
    queueHeartbeat(seenKey: string, now: number, ...userIds: string[]): Result<number, Context>;
    queueOpenStart(metaKey: string, preKey: string, entrantsKey: string, now: number): Result<QueueOpenStartReply, Context>;
    /** `usersThenIds`: the batch's k userIds in place order, then the k entrant ids at the same sorted indexes. */
    queueOpenBatch(
      waitingKey: string, seenKey: string, metaKey: string, entrantIdsKey: string, entrantsKey: string,
      now: number, start: number, k: number, ...usersThenIds: string[]
    ): Result<QueueOpenBatchReply, Context>;
  }
}

export function loadQueueScripts(redis: RedisClient): void {
  loadLuaScripts(redis, {
    queueJoin: new URL('./queue-join.lua', import.meta.url),
    queueStatus: new URL('./queue-status.lua', import.meta.url),
    queueLeave: new URL('./queue-leave.lua', import.meta.url),
    queuePromote: new URL('./queue-promote.lua', import.meta.url),
    queueHeartbeat: new URL('./queue-heartbeat.lua', import.meta.url),
    queueOpenStart: new URL('./queue-open-start.lua', import.meta.url),
    queueOpenBatch: new URL('./queue-open-batch.lua', import.meta.url),
  });
}
