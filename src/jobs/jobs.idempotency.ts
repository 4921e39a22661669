// Idempotency-Key: the same key with the same request returns the job it first started, for a
// day (the retention of finished user jobs). A job that FAILED is not an answer worth repeating:
// the same key then starts a fresh attempt (a new job id) in its place. Money stays safe even so:
// a charge posts under its job id, a payment under its reservation id, each at most once.
import { createHash } from 'node:crypto';
import type { RedisClient } from '../platform/redis.ts';
import type { JobOutcome } from './jobs.catalog.ts';
import type { JobQueues } from './jobs.queues.ts';
import { IDEMPOTENCY_CLAIM, loadJobScripts } from './jobs.scripts.ts';
import { IdempotencyKeyReusedError } from './jobs.errors.ts';

const WINDOW_SECONDS = 24 * 3600;
/** A key may name a job that is still being enqueued for this long; after it, a missing job is a lost one. */
const ENQUEUE_GRACE_MS = 10_000;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** What a key says before a submission: repeat this job, or start one (replacing a failed one). */
export type Precheck = { repeat: string } | { start: true; replaces: string };

export class IdempotencyKeys {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly queues: JobQueues;
  constructor(redis: RedisClient, redisPrefix: string, queues: JobQueues) {
    loadJobScripts(redis);
    this.redis = redis;
    this.prefix = redisPrefix;
    this.queues = queues;
  }

  /** Read-only: does this key already name a live or finished-well job of this request? */
  async precheck(userId: number, key: string, requestHash: string): Promise<Precheck> {
    const record = await this.redis.get(this.recordKey(userId, key));
    if (!record) return { start: true, replaces: '' };
    const [hash, jobId, claimedAt] = record.split(' ');
    if (hash !== requestHash) throw new IdempotencyKeyReusedError();
    return (await this.failed(jobId!, Number(claimedAt))) ? { start: true, replaces: jobId! } : { repeat: jobId! };
  }

  /** Points the key at `jobId`; if a concurrent identical submission got there first, returns its job id. */
  async claim(userId: number, key: string, requestHash: string, jobId: string, replaces: string): Promise<{ claimed: boolean; jobId: string }> {
    const [code, current] = await this.redis.jobsIdempotencyClaim(this.recordKey(userId, key), requestHash, jobId, replaces, Date.now(), WINDOW_SECONDS);
    if (code === IDEMPOTENCY_CLAIM.KEY_REUSED) throw new IdempotencyKeyReusedError();
    return { claimed: code === IDEMPOTENCY_CLAIM.CLAIMED, jobId: current! };
  }

  /** Forgets a claim whose job was not enqueued after all (best effort; a stale one heals after the grace). */
  async unclaim(userId: number, key: string, jobId: string): Promise<void> {
    const k = this.recordKey(userId, key);
    if ((await this.redis.get(k))?.split(' ')[1] === jobId) await this.redis.del(k);
  }

  private async failed(jobId: string, claimedAt: number): Promise<boolean> {
    const job = await this.queues.findUserJob(jobId);
    if (!job) return Date.now() - claimedAt > ENQUEUE_GRACE_MS;
    const state = await job.getState();
    if (state === 'failed') return true;
    return state === 'completed' && (job.returnvalue as JobOutcome | null)?.ok === false;
  }

  private recordKey(userId: number, key: string): string {
    return `${this.prefix}:idem:${userId}:${key}`;
  }
}
