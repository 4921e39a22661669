// Reservation jobs: each is one use case plus what must follow its commit (seat-map invalidation,
// the hold's delayed expiry). Business failures become the job's result (outcome.ts).
import { DelayedError, type Job } from 'bullmq';
import type { WorkerContext } from './context.ts';
import type { JobPayload } from '../jobs/jobs.catalog.ts';
import { expireHold, findOverdueHolds, holdSeats, markMissedSellOuts, releaseHold } from '../domain/reservation/index.ts';
import { invalidateSeatMaps } from '../domain/catalog/catalog.cache.ts';
import { outcome } from './outcome.ts';

/**
 * An expiry runs this long after the hold's expiry instant, so that a payment submitted just
 * before it has surely reached the payments queue, where the expiry looks for it.
 */
const EXPIRY_GRACE_MS = 1000;
/** How soon an expiry waiting for a pending payment looks again. */
const EXPIRY_RECHECK_MS = 1000;

export const processHold = (ctx: WorkerContext, p: JobPayload<'reservation.hold'>, job: Job) => outcome(() => hold(ctx, p, job));
export const processRelease = (ctx: WorkerContext, p: JobPayload<'reservation.release'>) => outcome(() => release(ctx, p));

async function hold(ctx: WorkerContext, p: JobPayload<'reservation.hold'>, job: Job) {
  const { config, orm } = ctx.runtime;
  const view = await holdSeats(orm.em, { ...p, jobId: job.id!, submittedAt: new Date(job.timestamp) }, {
    holdSeconds: config.HOLD_TTL_SECONDS, maxWaitSeconds: config.HOLD_JOB_MAX_AGE_SECONDS, now: ctx.clock(),
  });
  // After commit. If either fails the job is retried; holdSeats then returns the same hold.
  await invalidateSeatMaps(ctx.cache, [view.scheduleId]);
  const delay = Math.max(0, Date.parse(view.expiresAt) - Date.now()) + EXPIRY_GRACE_MS;
  await ctx.queues.enqueue('hold.expire', { reservationId: view.reservationId }, { jobId: `expire-${view.reservationId}`, delay });
  return view;
}

async function release(ctx: WorkerContext, p: JobPayload<'reservation.release'>) {
  const view = await releaseHold(ctx.runtime.orm.em, p.reservationId, { now: ctx.clock(), userId: p.userId });
  await invalidateSeatMaps(ctx.cache, [view.scheduleId]);
  return view;
}

export async function processExpire(ctx: WorkerContext, p: JobPayload<'hold.expire'>, job?: Job) {
  const res = await expireHoldNow(ctx, p.reservationId);
  if (res.outcome === 'payment-pending' && job?.token) {
    await job.moveToDelayed(Date.now() + EXPIRY_RECHECK_MS, job.token);
    throw new DelayedError(); // BullMQ's way for a job to postpone itself
  }
  return { reservationId: p.reservationId, outcome: res.outcome, expired: res.outcome === 'expired' };
}

async function expireHoldNow(ctx: WorkerContext, reservationId: number) {
  const res = await expireHold(ctx.runtime.orm.em, reservationId, { now: ctx.clock(), oldestPendingPayment: await oldestPendingPayment(ctx) });
  if (res.outcome === 'expired') await invalidateSeatMaps(ctx.cache, [res.view.scheduleId]);
  return res;
}

/**
 * The submit time of the oldest job of the payments queue that has not finished (waiting, running
 * or waiting to retry), whatever reservation it is for: payments are judged at submission, so a
 * hold must outlive every payment submitted before it expired. Coarse but cheap (a few Redis
 * reads per expiry); under a payment backlog expiries wait for the backlog to drain.
 */
async function oldestPendingPayment(ctx: WorkerContext): Promise<Date | undefined> {
  const q = ctx.queues.queues.payments;
  const [oldestWaiting, active, delayedCount] = await Promise.all([q.getJobs(['wait'], 0, 0, true), q.getJobs(['active']), q.getDelayedCount()]);
  // Many retrying payments: too many to read one by one; treat them as possibly in time.
  if (delayedCount > 200) return new Date(0);
  const delayed = delayedCount > 0 ? await q.getJobs(['delayed']) : [];
  const times = [...oldestWaiting, ...active, ...delayed].map((j) => j.timestamp).filter((t) => Number.isFinite(t));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/**
 * Safety net: expires holds whose delayed job went missing (enqueueing it failed after the commit,
 * or Redis lost its data) and marks schedules whose sell-out a dead payment left unmarked. A hold
 * is swept once it is SWEEP_GRACE_MS overdue, so within about expiry + grace +
 * HOLD_SWEEP_INTERVAL_MS (+ SCHEDULERS_ENSURE_INTERVAL_MS if the sweep's scheduler was lost too).
 * Batches until none is overdue (bounded per run): after a Redis loss in a rush there can be
 * thousands, not 500.
 */
const SWEEP_GRACE_MS = 5_000;
const SWEEP_BATCH = 500;
const SWEEP_MAX_BATCHES = 20;

export async function processSweep(ctx: WorkerContext) {
  const { orm } = ctx.runtime;
  let overdue = 0;
  let expired = 0;
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const ids = await findOverdueHolds(orm.em.fork(), ctx.clock(), SWEEP_GRACE_MS, SWEEP_BATCH);
    overdue += ids.length;
    for (const id of ids) if ((await expireHoldNow(ctx, id)).outcome === 'expired') expired++;
    if (ids.length < SWEEP_BATCH) break;
  }
  const soldOut = await markMissedSellOuts(orm.em.fork(), ctx.clock());
  return { overdue, expired, soldOut };
}
