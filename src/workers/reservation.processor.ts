import type { Job } from 'bullmq';
import type { WorkerContext } from './context.ts';
import type { JobPayload } from '../jobs/jobs.catalog.ts';
import { endHold, findOverdueHolds, holdSeats } from '../domain/reservation/reservation.service.ts';
import { invalidateSeatMaps } from '../domain/catalog/catalog.cache.ts';
import { outcome } from './outcome.ts';
import { retryTransient } from '../platform/transactions.ts';

export async function processHold(ctx: WorkerContext, p: JobPayload<'reservation.hold'>, job: Job) {
  return outcome(async () => {
    const { config, orm } = ctx.runtime;
    const view = await retryTransient(() => holdSeats(orm.em.fork(), { ...p, jobId: job.id! }, { holdSeconds: config.HOLD_TTL_SECONDS, now: ctx.clock() }));
    // After commit. If either fails the job is retried; holdSeats then returns the same hold.
    await invalidateSeatMaps(ctx.cache, [view.scheduleId]);
    const delay = Math.max(0, Date.parse(view.expiresAt) - Date.now());
    await ctx.queues.enqueue('hold.expire', { reservationId: view.reservationId }, { jobId: `expire-${view.reservationId}`, delay });
    return view;
  });
}

export async function processRelease(ctx: WorkerContext, p: JobPayload<'reservation.release'>) {
  return outcome(async () => {
    const view = await retryTransient(() => endHold(ctx.runtime.orm.em.fork(), p.reservationId, 'released', { now: ctx.clock(), userId: p.userId }));
    if (view) await invalidateSeatMaps(ctx.cache, [view.scheduleId]);
    return view;
  });
}

export async function processExpire(ctx: WorkerContext, p: JobPayload<'hold.expire'>) {
  const view = await retryTransient(() => endHold(ctx.runtime.orm.em.fork(), p.reservationId, 'expired', { now: ctx.clock() }));
  if (view) await invalidateSeatMaps(ctx.cache, [view.scheduleId]);
  return { reservationId: p.reservationId, expired: Boolean(view) };
}

/**
 * Expires holds whose delayed job went missing (enqueueing it failed after the commit, or Redis
 * lost its data). A hold is swept once it is SWEEP_GRACE_MS overdue, so within about expiry +
 * grace + HOLD_SWEEP_INTERVAL_MS (+ SCHEDULERS_ENSURE_INTERVAL_MS if the sweep's scheduler was
 * lost too). Batches until none is overdue (bounded per run): after a Redis loss in a rush there
 * can be thousands, not 500.
 */
const SWEEP_GRACE_MS = 5_000;
const SWEEP_BATCH = 500;
const SWEEP_MAX_BATCHES = 20;

export async function processSweep(ctx: WorkerContext) {
  let overdue = 0;
  let expired = 0;
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const ids = await findOverdueHolds(ctx.runtime.orm.em.fork(), ctx.clock(), SWEEP_GRACE_MS, SWEEP_BATCH);
    overdue += ids.length;
    for (const id of ids) if ((await processExpire(ctx, { reservationId: id })).expired) expired++;
    if (ids.length < SWEEP_BATCH) break;
  }
  return { overdue, expired };
}
