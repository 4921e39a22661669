// Reading a submitted job: poll it (`?waitMs=` holds the request until it ends) or stream its
// states as Server-Sent Events. Only its submitter can read it; anyone else gets the same 404 as
// for a job that does not exist, so job ids leak nothing. Waiting costs no Redis command: the
// process's one completion subscription (src/jobs/jobs.events.ts) wakes the request.
import { Router } from 'express';
import type { Job } from 'bullmq';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { JobQueues } from '../jobs/jobs.queues.ts';
import type { JobEnd, JobSubscription } from '../jobs/jobs.events.ts';
import type { JobOutcome } from '../jobs/jobs.catalog.ts';
import { jobViewSchema, type JobView } from '../jobs/jobs.results.ts';
import { userIdOf } from './auth.ts';
import { openSse } from './sse.ts';
import type { ApiContext } from './context.ts';

/** A comment line this often keeps proxies from closing an idle stream; it also re-reads the job once as a safety net. */
const HEARTBEAT_MS = 15_000;
const FINISHED = new Set(['completed', 'failed']);
const idParams = z.object({ id: z.string().regex(/^[a-z]+-[A-Za-z0-9-]{1,64}$/, 'is not a job id') });

function pendingView(job: Job, state: string): JobView {
  return { id: job.id!, type: job.name, state: state === 'active' ? 'running' : 'queued' } as JobView;
}

function endedView(job: Job, end: JobEnd, logger: Logger): JobView {
  const base = { id: job.id!, type: job.name };
  if (end.kind === 'completed') {
    const out = end.returnvalue as JobOutcome;
    return (out.ok ? { ...base, state: 'succeeded', result: out.result } : { ...base, state: 'failed', error: out.error }) as JobView;
  }
  // Retries were exhausted on an infrastructure fault; its text may name internals, so log it only.
  logger.warn({ jobId: job.id, reason: end.failedReason }, 'job failed after retries');
  return { ...base, state: 'failed', error: { code: 'JOB_FAILED', message: 'the job could not be completed after several attempts; submit it again' } } as JobView;
}

/**
 * The caller's job and its state, or JOB_NOT_FOUND. The state comes from the job's own hash (one
 * HGETALL), not from BullMQ's getState(), a Lua script over the queue's lists that doubled a poll's
 * Redis work: a finished job has `finishedOn` (with a return value when it completed: every
 * processor returns an outcome), a started one `processedOn`. A job waiting to retry after a failed
 * attempt therefore reads as running, which is what its submitter needs to know.
 */
async function readOwnJob(queues: JobQueues, id: string, userId: number): Promise<{ job: Job; state: string }> {
  const job = await queues.findUserJob(id);
  if (!job || (job.data as { userId?: number }).userId !== userId) throw new AppError('JOB_NOT_FOUND', `no job ${id}`);
  const state = job.finishedOn ? (job.returnvalue != null ? 'completed' : 'failed') : job.processedOn ? 'active' : 'waiting';
  return { job, state };
}

function viewOf(job: Job, state: string, logger: Logger): JobView {
  if (state === 'completed') return endedView(job, { kind: 'completed', returnvalue: job.returnvalue }, logger);
  if (state === 'failed') return endedView(job, { kind: 'failed', failedReason: job.failedReason }, logger);
  return pendingView(job, state);
}

/** Resolves with the job's end, or undefined after `ms` or when `abort` fires. */
function endWithin(sub: JobSubscription, ms: number, abort: Promise<void>): Promise<JobEnd | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), ms); });
  return Promise.race([sub.ended, timeout, abort.then(() => undefined)]).finally(() => clearTimeout(timer));
}

export function jobRoutes({ docs, auth, queues, jobEvents, config, logger }: ApiContext): Router {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/jobs/:id', summary: 'State and outcome of a job I submitted (?waitMs= holds until it ends)', tags: ['jobs'], security: 'user', rateLimit: 'poll',
    params: idParams,
    query: z.object({ waitMs: z.string().regex(/^\d{1,6}$/, 'must be a whole number of milliseconds').transform(Number).optional() }),
    responses: { 200: { description: 'the job; `result` has the schema of its type', schema: jobViewSchema } },
  }, [auth], async (req, res, { params, query }) => {
    const waitMs = Math.min(query.waitMs ?? 0, config.JOB_WAIT_MAX_MS);
    // Subscribe before reading the state: an end that lands in between is then still delivered.
    const sub = waitMs > 0 ? jobEvents.subscribe(params.id) : undefined;
    try {
      const { job, state } = await readOwnJob(queues, params.id, userIdOf(req));
      if (!sub || FINISHED.has(state)) {
        res.json(viewOf(job, state, logger));
        return;
      }
      const gone = new Promise<void>((resolve) => res.once('close', () => resolve()));
      const end = await endWithin(sub, waitMs, gone);
      if (end) {
        res.json(endedView(job, end, logger));
        return;
      }
      // The wait passed: one re-read answers with the current state (and covers a missed event).
      const now = await readOwnJob(queues, params.id, userIdOf(req));
      res.json(viewOf(now.job, now.state, logger));
    } finally {
      sub?.close();
    }
  });

  docs.route(r, {
    method: 'get', path: '/jobs/:id/events',
    summary: 'A job I submitted as Server-Sent Events: `queued`, `active`, then `succeeded` or `failed` (data: the same JSON as GET /api/jobs/{id}), then the stream ends',
    tags: ['jobs'], security: 'user', rateLimit: 'poll',
    params: idParams,
    responses: { 200: { description: 'text/event-stream; a `: heartbeat` comment every 15 s' } },
  }, [auth], async (req, res, { params }) => {
    const userId = userIdOf(req);
    const sub = jobEvents.subscribe(params.id);
    let heartbeat: NodeJS.Timeout | undefined;
    try {
      const { job, state } = await readOwnJob(queues, params.id, userId); // a 404 is still plain JSON
      const sse = openSse(res);
      const finish = (view: JobView) => {
        sse.send(view.state, view);
        sse.end();
      };
      if (FINISHED.has(state)) return finish(viewOf(job, state, logger));
      sse.send('queued', pendingView(job, 'waiting'));
      let active = false;
      const markActive = () => {
        if (active) return;
        active = true;
        sse.send('active', pendingView(job, 'active'));
      };
      if (state === 'active') markActive();
      sub.onActive(markActive);
      const gone = new Promise<void>((resolve) => res.once('close', () => resolve()));
      // The safety net: at each heartbeat the job is read once more, in case an event was lost
      // (e.g. the stream was trimmed while this process lagged). One read per 15 s per stream.
      const checked = new Promise<JobView | undefined>((resolve) => {
        heartbeat = setInterval(() => {
          sse.comment('heartbeat');
          readOwnJob(queues, params.id, userId).then(
            (now) => { if (FINISHED.has(now.state)) resolve(viewOf(now.job, now.state, logger)); else if (now.state === 'active') markActive(); },
            (err: unknown) => { if (err instanceof AppError) resolve(undefined); }, // the job is gone: end the stream
          );
        }, HEARTBEAT_MS);
      });
      const outcome = await Promise.race([sub.ended.then((end) => endedView(job, end, logger)), checked, gone.then(() => null)]);
      if (outcome) finish(outcome);
      else sse.end();
    } finally {
      clearInterval(heartbeat);
      sub.close();
    }
  });
  return r;
}
