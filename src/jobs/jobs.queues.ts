// BullMQ Queue instances for producers (API and workers that enqueue follow-up jobs).
import { Queue, type Job } from 'bullmq';
import { duplicateRedis, type RedisClient } from '../platform/redis.ts';
import { randomUUID } from 'node:crypto';
import { JOBS, QUEUES, userJobByPrefix, type JobName, type JobPayload, type QueueName } from './jobs.catalog.ts';

/** BullMQ key prefix. The braces make every queue's keys share one Redis Cluster slot. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:{jobs}`;
}

export class JobQueues {
  readonly queues: Record<QueueName, Queue>;
  private readonly tickMs: number;
  private readonly connection: RedisClient;
  /** Concert id → when this process last made sure its admission scheduler exists. */
  private readonly tickerEnsuredAt = new Map<number, number>();

  constructor(connection: RedisClient, redisPrefix: string, opts: { tickMs: number }) {
    const prefix = bullPrefix(redisPrefix);
    // A connection of their own (same options): BullMQ defines its ~50 Lua commands on the client
    // it is given, and ioredis copies every defined command into each Pipeline it builds, which
    // auto-pipelining does every tick: 64 scripts made a Pipeline cost ~60 µs on the shared client.
    this.connection = duplicateRedis(connection, {});
    this.queues = Object.fromEntries(QUEUES.map((q) => [q, new Queue(q, { connection: this.connection, prefix })])) as Record<QueueName, Queue>;
    for (const q of Object.values(this.queues)) q.on('error', () => undefined); // surfaced by the caller's awaited call
    this.tickMs = opts.tickMs;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: { jobId?: string; delay?: number } = {}) {
    const def = JOBS[name];
    const data = def.payload.parse(payload);
    return this.queues[def.queue].add(name, data, { ...def.options, ...opts });
  }

  /**
   * Makes sure the concert's admission tick is scheduled. Called when a user joins a line or polls
   * it; remembered for 30 s per process so the rush does not upsert on every request. The tick
   * removes its own scheduler once the concert has nobody waiting or active, and the next join or
   * poll (after at most 30 s of memo) brings it back, which also covers a join racing that removal.
   */
  async ensureAdmissionTicker(concertId: number, force = false): Promise<void> {
    const now = Date.now();
    const last = this.tickerEnsuredAt.get(concertId);
    if (!force && last !== undefined && now - last < 30_000) return;
    this.tickerEnsuredAt.set(concertId, now);
    try {
      await this.schedule('admission.tick', admissionSchedulerId(concertId), this.tickMs, { concertId });
    } catch (err) {
      this.tickerEnsuredAt.delete(concertId);
      throw err;
    }
  }

  /** A new id for a user job: `<prefix>-<uuid>`, so the id alone names its queue. */
  static newUserJobId(name: JobName): string {
    const def = JOBS[name] as { idPrefix?: string };
    if (!def.idPrefix) throw new Error(`${name} is not a user job`);
    return `${def.idPrefix}-${randomUUID()}`;
  }

  /** The user job with this id, if it exists (and was not yet removed by retention). */
  async findUserJob(jobId: string): Promise<Job | undefined> {
    const entry = userJobByPrefix(jobId);
    if (!entry) return undefined;
    return (await this.queues[entry[1].queue].getJob(jobId)) ?? undefined;
  }

  /** Creates or updates a job scheduler that adds job `name` every `everyMs` (BullMQ upsert). */
  async schedule<N extends JobName>(name: N, schedulerId: string, everyMs: number, payload: JobPayload<N>): Promise<void> {
    const def = JOBS[name];
    await this.queues[def.queue].upsertJobScheduler(schedulerId, { every: everyMs }, { name, data: def.payload.parse(payload), opts: def.options });
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    this.connection.disconnect();
  }
}

export function admissionSchedulerId(concertId: number): string {
  return `admit-${concertId}`;
}
