// Polling a submitted job. Only its submitter can read it; anyone else gets the same 404 as for a
// job that does not exist, so job ids leak nothing.
import { Router, type RequestHandler } from 'express';
import { QueueEvents, type Job } from 'bullmq';
import { z } from 'zod';
import type { RedisClient } from '../platform/redis.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { JobQueues } from '../jobs/jobs.queues.ts';
import { bullPrefix } from '../jobs/jobs.queues.ts';
import { USER_JOBS, userJobByPrefix, type JobOutcome, type QueueName } from '../jobs/jobs.catalog.ts';
import { userIdOf } from './auth.ts';
import type { ApiDocs } from './openapi.ts';

export const jobViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed']),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).optional(),
});
type JobView = z.infer<typeof jobViewSchema>;

const FINISHED = new Set(['completed', 'failed']);

export async function viewJob(fetched: Job, state: string, logger: Logger, refetch: () => Promise<Job | undefined>): Promise<JobView> {
  let job = fetched;
  // The job may have finished between reading it and reading its state: read it again.
  if (FINISHED.has(state) && !job.finishedOn) job = (await refetch()) ?? job;
  const base = { id: job.id!, type: job.name };
  if (state === 'completed') {
    const out = job.returnvalue as JobOutcome;
    return out.ok ? { ...base, state: 'succeeded', result: out.result } : { ...base, state: 'failed', error: out.error };
  }
  if (state === 'failed') {
    // Retries were exhausted on an infrastructure fault; its text may name internals, so log it only.
    logger.warn({ jobId: job.id, reason: job.failedReason }, 'job failed after retries');
    return { ...base, state: 'failed', error: { code: 'JOB_FAILED', message: 'the job could not be completed after several attempts; submit it again' } };
  }
  return { ...base, state: state === 'active' ? 'running' : 'queued' };
}

/** QueueEvents (one blocking connection per queue) for ?waitMs=, created on first use. */
class JobWaiter {
  private readonly events = new Map<QueueName, QueueEvents>();
  private readonly connection: RedisClient;
  private readonly prefix: string;
  constructor(connection: RedisClient, redisPrefix: string) {
    this.connection = connection;
    this.prefix = bullPrefix(redisPrefix);
  }
  /** Opens the event streams at start, so they already listen when the first long-poll comes. */
  async start(queues: QueueName[]): Promise<void> {
    // Bounded: with Redis down the API still starts; the streams connect when Redis is back.
    const ready = Promise.all(queues.map((q) => this.events_(q).waitUntilReady())).catch(() => undefined);
    await Promise.race([ready, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  private events_(queue: QueueName): QueueEvents {
    let qe = this.events.get(queue);
    if (!qe) {
      qe = new QueueEvents(queue, { connection: this.connection, prefix: this.prefix });
      qe.on('error', () => undefined);
      this.events.set(queue, qe);
    }
    return qe;
  }

  async wait(job: Job, queue: QueueName, ms: number): Promise<void> {
    const qe = this.events_(queue);
    await qe.waitUntilReady();
    // Waits in slices of at most 3 s and re-reads the job's state between them: a completion
    // event published before QueueEvents' first stream read is never delivered (measured: a
    // long-poll hung for its whole 10 s), and the re-read bounds any such miss to one slice.
    // (1 s slices cost ~4% of the API's CPU in a 5,000-fan rush: timers and listeners.)
    const deadline = Date.now() + ms;
    for (let left = ms; left > 0; left = deadline - Date.now()) {
      const ended = await job.waitUntilFinished(qe, Math.min(3000, left)).then(() => true, () => false);
      if (ended || FINISHED.has(await job.getState())) return;
    }
  }
  async close() {
    await Promise.all([...this.events.values()].map((e) => e.close()));
  }
}

export function jobRoutes(docs: ApiDocs, auth: RequestHandler, queues: JobQueues, blocking: RedisClient, redisPrefix: string, maxWaitMs: number, logger: Logger) {
  const r = Router();
  const waiter = new JobWaiter(blocking, redisPrefix);
  docs.route(r, {
    method: 'get', path: '/jobs/:id', summary: 'State and outcome of a job I submitted (?waitMs= holds until it ends)', tags: ['jobs'], security: 'user',
    params: z.object({ id: z.string().regex(/^[a-z]+-[A-Za-z0-9-]{1,64}$/, 'is not a job id') }),
    query: z.object({ waitMs: z.string().regex(/^\d{1,6}$/, 'must be a whole number of milliseconds').transform(Number).optional() }),
    responses: { 200: { description: 'the job', schema: jobViewSchema } },
  }, [auth], async (req, res, { params, query }) => {
    const userId = userIdOf(req);
    const entry = userJobByPrefix(params.id);
    let job = await queues.findUserJob(params.id);
    if (!entry || !job || (job.data as { userId?: number }).userId !== userId) throw new AppError('JOB_NOT_FOUND', `no job ${params.id}`);
    const waitMs = Math.min(query.waitMs ?? 0, maxWaitMs);
    let state = await job.getState();
    if (waitMs > 0 && !FINISHED.has(state)) {
      await waiter.wait(job, entry[1].queue, waitMs);
      job = (await queues.findUserJob(params.id)) ?? job;
      state = await job.getState();
    }
    res.json(await viewJob(job, state, logger, () => queues.findUserJob(params.id)));
  });
  const userQueues = [...new Set(USER_JOBS.map(([, d]) => d.queue))];
  return { router: r, start: () => waiter.start(userQueues), close: () => waiter.close() };
}
