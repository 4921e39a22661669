// Organizer jobs: refund a reservation, cancel a schedule (the lifecycle's locked money and seat
// moves, plus the audit row and cache invalidation; see src/domain/organizer/organizer.refunds.ts).
import type { Job } from 'bullmq';
import type { WorkerContext } from './context.ts';
import type { JobPayload } from '../jobs/jobs.catalog.ts';
import { cancelAsOrganizer, refundAsOrganizer } from '../domain/organizer/organizer.refunds.ts';
import { outcome } from './outcome.ts';

const actor = (ctx: WorkerContext, userId: number, job: Job) => ({ actorId: userId, now: ctx.clock(), requestId: String(job.id) });

export const processRefund = (ctx: WorkerContext, p: JobPayload<'admin.refund'>, job: Job) =>
  outcome(() => refundAsOrganizer(ctx.runtime.orm.em, ctx.cache, actor(ctx, p.userId, job), p.reservationId));

export const processCancel = (ctx: WorkerContext, p: JobPayload<'admin.cancel'>, job: Job) =>
  outcome(() => cancelAsOrganizer(ctx.runtime.orm.em, ctx.cache, actor(ctx, p.userId, job), p.scheduleId));
