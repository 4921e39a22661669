import type { Result } from 'ioredis';
import { loadLuaScripts, type RedisClient } from '../../platform/redis.ts';

type Reply = (string | number)[];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    queueJoin(...args: (string | number)[]): Result<Reply, Context>;
    queueStatus(...args: (string | number)[]): Result<Reply, Context>;
    queueLeave(...args: (string | number)[]): Result<number, Context>;
    queuePromote(...args: (string | number)[]): Result<Reply, Context>;
    queueHeartbeat(...args: (string | number)[]): Result<number, Context>;
    queueOpenStart(...args: (string | number)[]): Result<Reply, Context>;
    queueOpenBatch(...args: (string | number)[]): Result<Reply, Context>;
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
