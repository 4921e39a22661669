// Redlock over the process's Redis. With retryCount 0 a caller that finds the lock taken gets
// `undefined` at once and moves on: for periodic work (admission ticks, the outbox relay) the
// holder is already doing it. The lock is extended automatically while `fn` runs.
//
// Where the quorum is taken:
//   - REDLOCK_NODES (independent masters, not one cluster): a majority of them, as Redlock means
//     it; losing a minority of those nodes loses no lock. The runtime registers those clients
//     against its main client (`useLockNodes`), so every `new Locks(runtime.redis)` uses them.
//   - otherwise the main client alone (one node, or one Redis Cluster, where the lock key lives
//     on one master). Replication is asynchronous, so a master that fails over right after a lock
//     was granted may forget it: two holders for up to one TTL. What the locks guard tolerates
//     that: admission is one atomic script (no over-admission either way), the relay's rows are
//     marked sent in SQL and consumers dedupe by event id (docs/topologies.md).
import { Redlock, ExecutionError } from '@sesamecare-oss/redlock';
import type { RedisClient } from './redis.ts';

const quorumNodes = new WeakMap<RedisClient, RedisClient[]>();

/** Makes every Locks built on `main` take its quorum over `nodes` instead. */
export function useLockNodes(main: RedisClient, nodes: RedisClient[]): void {
  quorumNodes.set(main, nodes);
}

export class Locks {
  private readonly redlock: Redlock;
  constructor(redis: RedisClient) {
    this.redlock = new Redlock(quorumNodes.get(redis) ?? [redis], { retryCount: 0, automaticExtensionThreshold: 500 });
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
