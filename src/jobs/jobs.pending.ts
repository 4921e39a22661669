// At most MAX_PENDING_JOBS_PER_USER unfinished jobs per user, checked before anything is enqueued.
// Counted from the jobs' own state (see jobs-pending-reserve.lua): a job that completes, fails for
// good, or whose worker dies and which is then retried, counts exactly as long as it is unfinished.
import type { RedisClient } from '../platform/redis.ts';
import { JOBS, type JobName } from './jobs.catalog.ts';
import { bullPrefix } from './jobs.queues.ts';
import { PENDING_RESERVE, loadJobScripts } from './jobs.scripts.ts';
import { TooManyPendingJobsError } from './jobs.errors.ts';

/** A reserved slot whose job hash does not exist yet is being enqueued for at most this long. */
const ENQUEUE_GRACE_MS = 10_000;
/** A job unfinished after this no longer blocks its user (it is stuck; the workers' problem). */
const STALE_MS = 15 * 60_000;

export class PendingJobs {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly max: number;
  constructor(redis: RedisClient, redisPrefix: string, max: number) {
    loadJobScripts(redis);
    this.redis = redis;
    this.prefix = bullPrefix(redisPrefix);
    this.max = max;
  }

  /** Takes a slot for `jobId` or throws TOO_MANY_PENDING_JOBS; a limit of 0 turns the cap off. */
  async reserve(userId: number, name: JobName, jobId: string): Promise<void> {
    if (this.max === 0) return;
    const pending = await this.redis.jobsPendingReserve(this.key(userId), this.jobKey(name, jobId), this.max, Date.now(), ENQUEUE_GRACE_MS, STALE_MS);
    if (pending !== PENDING_RESERVE.RESERVED) throw new TooManyPendingJobsError(this.max, pending);
  }

  /** Gives a slot back when its job was not enqueued after all. */
  async release(userId: number, name: JobName, jobId: string): Promise<void> {
    if (this.max === 0) return;
    await this.redis.zrem(this.key(userId), this.jobKey(name, jobId));
  }

  private key(userId: number): string {
    return `${this.prefix}:pending:${userId}`;
  }

  private jobKey(name: JobName, jobId: string): string {
    return `${this.prefix}:${JOBS[name].queue}:${jobId}`;
  }
}
