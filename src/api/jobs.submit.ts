// Submitting a user job. In order, before anything is enqueued: the Idempotency-Key (a repeat of
// a live or successful job answers with that job, whatever the limits), the per-minute limit of
// the job kind, load shedding of its queue, and the user's unfinished-job cap. Then enqueue and
// answer 202 at once.
import type { Request, Response } from 'express';
import type { RedisClient } from '../platform/redis.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { JobQueues } from '../jobs/jobs.queues.ts';
import { JOBS, type JobName, type JobPayload } from '../jobs/jobs.catalog.ts';
import { IdempotencyKeys, sha256 } from '../jobs/jobs.idempotency.ts';
import { PendingJobs } from '../jobs/jobs.pending.ts';
import { LoadShedder } from '../jobs/jobs.overload.ts';
import { SubmitRate } from '../jobs/jobs.rate.ts';
import type { JobEvents } from '../jobs/jobs.events.ts';
import { userIdOf } from './auth.ts';

const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

export interface SubmitGuards {
  queues: JobQueues;
  idempotency: IdempotencyKeys;
  pending: PendingJobs;
  shedder: LoadShedder;
  rate: SubmitRate;
}

export class JobSubmitter {
  private readonly g: SubmitGuards;
  constructor(guards: SubmitGuards) {
    this.g = guards;
  }

  static fromConfig(redis: RedisClient, config: Config, queues: JobQueues, events: JobEvents): JobSubmitter {
    return new JobSubmitter({
      queues,
      idempotency: new IdempotencyKeys(redis, config.REDIS_PREFIX, queues),
      pending: new PendingJobs(redis, config.REDIS_PREFIX, config.MAX_PENDING_JOBS_PER_USER),
      shedder: new LoadShedder(queues, events, {
        budgetSeconds: config.OVERLOAD_BACKLOG_SECONDS ?? config.HOLD_TTL_SECONDS, minBacklog: config.OVERLOAD_MIN_BACKLOG,
      }),
      rate: new SubmitRate(redis, config.REDIS_PREFIX),
    });
  }

  async submit<N extends JobName>(req: Request, res: Response, name: N, payload: JobPayload<N>, opts: { perMinute?: number } = {}): Promise<void> {
    const userId = userIdOf(req);
    const key = req.header('idempotency-key');
    if (key !== undefined && !KEY.test(key)) {
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1-100 characters of A-Z a-z 0-9 _ . : -', { in: 'headers', field: 'Idempotency-Key' });
    }
    const requestHash = sha256(`${name}\n${JSON.stringify(payload)}`);
    let replaces = '';
    if (key !== undefined) {
      const pre = await this.g.idempotency.precheck(userId, key, requestHash);
      if ('repeat' in pre) return accepted(res, pre.repeat, name);
      replaces = pre.replaces;
    }
    if (opts.perMinute !== undefined) await this.g.rate.take(userId, name, opts.perMinute);
    await this.g.shedder.check(JOBS[name].queue);
    const jobId = JobQueues.newUserJobId(name);
    if (key !== undefined) {
      const claim = await this.g.idempotency.claim(userId, key, requestHash, jobId, replaces);
      // A concurrent identical submission (a double click) claimed the key first: answer with its job.
      if (!claim.claimed) return accepted(res, claim.jobId, name);
    }
    try {
      await this.g.pending.reserve(userId, name, jobId);
      try {
        await this.g.queues.enqueue(name, payload, { jobId });
      } catch (err) {
        await this.g.pending.release(userId, name, jobId).catch(() => undefined);
        throw err;
      }
    } catch (err) {
      if (key !== undefined) await this.g.idempotency.unclaim(userId, key, jobId).catch(() => undefined);
      throw err;
    }
    accepted(res, jobId, name);
  }
}

function accepted(res: Response, jobId: string, type: JobName): void {
  res.status(202).location(`/api/jobs/${jobId}`).json({ jobId, type, state: 'queued', statusUrl: `/api/jobs/${jobId}`, eventsUrl: `/api/jobs/${jobId}/events` });
}
