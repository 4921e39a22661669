// Submitting a user job: optional Idempotency-Key handling, then enqueue and answer 202 at once.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { RedisClient } from '../platform/redis.ts';
import { AppError } from '../platform/errors.ts';
import { JobQueues } from '../jobs/jobs.queues.ts';
import type { JobName, JobPayload } from '../jobs/jobs.catalog.ts';
import { userIdOf } from './auth.ts';

const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;
const WINDOW_SECONDS = 24 * 3600; // equals the retention of finished user jobs

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class JobSubmitter {
  private readonly queues: JobQueues;
  private readonly redis: RedisClient;
  private readonly prefix: string;
  constructor(queues: JobQueues, redis: RedisClient, prefix: string) {
    this.queues = queues;
    this.redis = redis;
    this.prefix = prefix;
  }

  /**
   * The same Idempotency-Key with the same job and body returns the first job (its id is derived
   * from the key); the same key with anything else is a 422. Money is protected again in the
   * worker (unique ledger references), so even a lost key cannot charge twice.
   */
  async submit<N extends JobName>(req: Request, res: Response, name: N, payload: JobPayload<N>): Promise<void> {
    const userId = userIdOf(req);
    const key = req.header('idempotency-key');
    let idHash: string | undefined;
    if (key !== undefined) {
      if (!KEY.test(key)) {
        throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1-100 characters of A-Z a-z 0-9 _ . : -', { in: 'headers', field: 'Idempotency-Key' });
      }
      const requestHash = sha256(`${name}\n${JSON.stringify(payload)}`);
      const redisKey = `${this.prefix}:idem:${userId}:${key}`;
      const stored = await this.redis.set(redisKey, requestHash, 'EX', WINDOW_SECONDS, 'NX');
      if (stored === null && (await this.redis.get(redisKey)) !== requestHash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', { field: 'Idempotency-Key' });
      }
      idHash = sha256(`${userId}\n${key}`).slice(0, 32);
    }
    const jobId = JobQueues.newUserJobId(name, idHash);
    await this.queues.enqueue(name, payload, { jobId });
    res.status(202).location(`/api/jobs/${jobId}`).json({ jobId, type: name, state: 'queued', statusUrl: `/api/jobs/${jobId}` });
  }
}
