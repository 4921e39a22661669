// Every job name in the catalog must have a processor here, or this file does not compile.
import { UnrecoverableError, type Job } from 'bullmq';
import { JOBS, type JobName, type JobPayload } from '../jobs/jobs.catalog.ts';
import type { WorkerContext } from './context.ts';
import { processAdmissionTick } from './admission.processor.ts';
import { processExpire, processHold, processRelease, processSweep } from './reservation.processor.ts';
import { processCharge, processPay } from './payment.processor.ts';
import { processOutboxRelay } from './outbox.processor.ts';
import { processCancel, processRefund } from './organizer.processor.ts';

export type Processors = { [N in JobName]: (ctx: WorkerContext, payload: JobPayload<N>, job: Job) => Promise<unknown> };

export const processors: Processors = {
  'admission.tick': processAdmissionTick,
  'reservation.hold': processHold,
  'reservation.release': processRelease,
  'payment.pay': processPay,
  'wallet.charge': processCharge,
  'hold.expire': processExpire,
  'holds.sweep': processSweep,
  'outbox.relay': processOutboxRelay,
  'admin.refund': processRefund,
  'admin.cancel': processCancel,
};

/**
 * Runs a job: its name picks the processor, its payload is checked against the catalog's schema.
 * An unknown name or a malformed payload can never succeed, so it fails at once
 * (UnrecoverableError skips the remaining attempts) instead of being retried as if transient.
 */
export async function dispatch(ctx: WorkerContext, job: Job): Promise<unknown> {
  const def = (JOBS as Record<string, (typeof JOBS)[JobName] | undefined>)[job.name];
  if (!def || !Object.hasOwn(processors, job.name)) throw new UnrecoverableError(`UNKNOWN_JOB: no processor for job "${job.name}"`);
  const parsed = def.payload.safeParse(job.data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(payload)').join(', ');
    throw new UnrecoverableError(`MALFORMED_JOB: job "${job.name}" has an invalid payload (${fields})`);
  }
  return (processors[job.name as JobName] as (c: WorkerContext, p: unknown, j: Job) => Promise<unknown>)(ctx, parsed.data, job);
}
