// Redlock over the process's Redis client. With retryCount 0 a caller that finds the lock taken
// gets `undefined` at once and moves on: for periodic work (admission ticks, the outbox relay)
// the holder is already doing it. The lock is extended automatically while `fn` runs.
import { Redlock, ExecutionError } from '@sesamecare-oss/redlock';
import type { Redis } from 'ioredis';

export class Locks {
  private readonly redlock: Redlock;
  constructor(redis: Redis) {
    this.redlock = new Redlock([redis], { retryCount: 0, automaticExtensionThreshold: 500 });
  }

  async ifFree<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.redlock.using([key], ttlMs, fn);
    } catch (err) {
      if (err instanceof ExecutionError) return undefined;
      throw err;
    }
  }
}
