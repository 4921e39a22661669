// The one completion subscription of an API process. One BullMQ QueueEvents per user queue reads
// that queue's event stream (XREAD on a dedicated blocking connection) and dispatches `active`,
// `completed` and `failed` in-process to whoever waits for that job id: every ?waitMs= long-poll
// and every /api/jobs/:id/events stream of the process. A waiting request therefore costs no Redis
// command and no listener on the BullMQ Queue while it waits (the old per-request
// waitUntilFinished added one of each and re-read the job every 3 s).
//
// The same stream also counts completions per queue, which is what load shedding measures.
import { QueueEvents } from 'bullmq';
import type { RedisClient } from '../platform/redis.ts';
import type { QueueName } from './jobs.catalog.ts';
import { bullPrefix } from './jobs.queues.ts';

export type JobEnd = { kind: 'completed'; returnvalue: unknown } | { kind: 'failed'; failedReason: string };

/** What one waiter sees of one job: whether it became active, and how it ended. */
export interface JobSubscription {
  /** Resolves when the job ends (never rejects). */
  readonly ended: Promise<JobEnd>;
  /** Calls `cb` when the job becomes active (a retry may make it active again). */
  onActive(cb: () => void): void;
  close(): void;
}

interface Waiter { end: (e: JobEnd) => void; active: (() => void)[] }

/** Completions per second of one queue are measured over this many seconds, in per-second buckets. */
export const RATE_WINDOW_SECONDS = 10;
const WINDOW_SECONDS = RATE_WINDOW_SECONDS;

class RateWindow {
  private readonly buckets = new Array<number>(WINDOW_SECONDS).fill(0);
  private second = Math.floor(Date.now() / 1000);
  private readonly since = Date.now();
  add(n = 1): void {
    this.roll();
    this.buckets[this.second % WINDOW_SECONDS]! += n;
  }
  perSecond(): number {
    this.roll();
    const total = this.buckets.reduce((a, b) => a + b, 0);
    // A process that has listened for less than the window divides by what it has seen.
    const seconds = Math.min(WINDOW_SECONDS, Math.max(1, (Date.now() - this.since) / 1000));
    return total / seconds;
  }
  private roll(): void {
    const now = Math.floor(Date.now() / 1000);
    for (let s = this.second + 1; s <= now && s - this.second <= WINDOW_SECONDS; s++) this.buckets[s % WINDOW_SECONDS] = 0;
    this.second = Math.max(this.second, now);
  }
}

export class JobEvents {
  private readonly streams: QueueEvents[] = [];
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly rates = new Map<QueueName, RateWindow>();
  private readonly connection: RedisClient;
  private readonly prefix: string;
  private readonly queues: QueueName[];

  constructor(connection: RedisClient, redisPrefix: string, queues: QueueName[]) {
    this.connection = connection;
    this.prefix = bullPrefix(redisPrefix);
    this.queues = queues;
    for (const q of queues) this.rates.set(q, new RateWindow());
  }

  /**
   * Starts reading every queue's stream from its current last entry. (QueueEvents' default `$`
   * starts at its first XREAD and misses what lands before it; reading from the last id seen at
   * start misses nothing after start.) Bounded: with Redis down the API still starts, and the
   * streams then read from `$` once Redis is back.
   */
  async start(): Promise<void> {
    await Promise.all(this.queues.map(async (queue) => {
      const key = `${this.prefix}:${queue}:events`;
      const last = await Promise.race([
        this.connection.xrevrange(key, '+', '-', 'COUNT', 1).then((r) => r[0]?.[0] ?? '0-0', () => '$'),
        new Promise<string>((r) => setTimeout(() => r('$'), 2000).unref()),
      ]);
      const qe = new QueueEvents(queue, { connection: this.connection, prefix: this.prefix, lastEventId: last });
      qe.on('error', () => undefined); // QueueEvents reconnects by itself and resumes from its last id
      qe.on('active', ({ jobId }) => this.dispatch(jobId, (w) => w.active.forEach((cb) => cb())));
      qe.on('completed', ({ jobId, returnvalue }) => {
        this.rates.get(queue)!.add();
        this.dispatch(jobId, (w) => w.end({ kind: 'completed', returnvalue }));
      });
      qe.on('failed', ({ jobId, failedReason }) => {
        this.rates.get(queue)!.add();
        this.dispatch(jobId, (w) => w.end({ kind: 'failed', failedReason }));
      });
      this.streams.push(qe);
    }));
  }

  /** Subscribe before reading the job's state, so an end between the two is never missed. */
  subscribe(jobId: string): JobSubscription {
    let resolve!: (e: JobEnd) => void;
    const ended = new Promise<JobEnd>((r) => { resolve = r; });
    const waiter: Waiter = { end: (e) => resolve(e), active: [] };
    let set = this.waiters.get(jobId);
    if (!set) this.waiters.set(jobId, (set = new Set()));
    set.add(waiter);
    return {
      ended,
      onActive: (cb) => { waiter.active.push(cb); },
      close: () => {
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(jobId) === set) this.waiters.delete(jobId);
      },
    };
  }

  /** Jobs of `queue` that ended per second, over the last few seconds, as seen by this process. */
  completionRate(queue: QueueName): number {
    return this.rates.get(queue)?.perSecond() ?? 0;
  }

  /** How many requests of this process wait on a job now (for tests and metrics). */
  waiting(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }

  private dispatch(jobId: string, fn: (w: Waiter) => void): void {
    const set = this.waiters.get(jobId);
    if (set) for (const w of [...set]) fn(w);
  }

  async close(): Promise<void> {
    await Promise.all(this.streams.map((e) => e.close()));
  }
}
