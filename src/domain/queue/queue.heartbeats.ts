// Signs of life of waiting and active fans, recorded in batches: a poll (or an open push stream)
// notes its user in memory, and every flush writes each concert's noted users with one script
// call (waiting fans) and one `ZADD XX GT` (active fans) per chunk. Neither re-adds a user who left
// or was dropped meanwhile, nor moves a sign of life backwards (several API processes flush the
// same users).
// Before: one ZADD per poll per fan inside the status script.
import type { RedisClient } from '../../platform/redis.ts';
import { queueKeys } from './queue.keys.ts';
import { loadQueueScripts } from './queue.scripts.ts';

const CHUNK = 2000;

export class Heartbeats {
  private pending = new Map<number, Set<number>>();
  private timer?: NodeJS.Timeout;
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly clock: () => number;
  /** Users whose signs of life are implied (e.g. an open SSE stream), asked for at each flush. */
  private readonly standing = new Set<() => Iterable<[number, number]>>();

  constructor(redis: RedisClient, prefix: string, clock: () => number) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
    loadQueueScripts(redis);
  }

  note(concertId: number, userId: number): void {
    let set = this.pending.get(concertId);
    if (!set) this.pending.set(concertId, (set = new Set()));
    set.add(userId);
  }

  /** A source of (concertId, userId) pairs that are alive at every flush, e.g. connected streams. */
  addStanding(source: () => Iterable<[number, number]>): () => void {
    this.standing.add(source);
    return () => this.standing.delete(source);
  }

  start(flushMs: number, onError: (err: unknown) => void): void {
    this.timer ??= setInterval(() => void this.flush().catch(onError), flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
  }

  /** Writes every noted sign of life; a failed write is dropped (the next poll notes it again). */
  async flush(): Promise<void> {
    for (const source of this.standing) for (const [c, u] of source()) this.note(c, u);
    const batch = this.pending;
    this.pending = new Map();
    const now = this.clock();
    const writes: Promise<unknown>[] = [];
    for (const [concertId, users] of batch) {
      const k = queueKeys(this.prefix, concertId);
      const ids = [...users];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK).map(String);
        writes.push(
          this.redis.queueHeartbeat(k.seen, now, ...chunk),
          this.redis.zadd(k.activeSeen, 'XX', 'GT', ...chunk.flatMap((u) => [now, u])),
        );
      }
    }
    await Promise.all(writes);
  }
}
