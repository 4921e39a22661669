// Every job name in the catalog must have a processor here, or this file does not compile.
import type { Job } from 'bullmq';
import type { JobName, JobPayload } from '../jobs/jobs.catalog.ts';
import type { WorkerContext } from './context.ts';
import { processAdmissionTick } from './admission.processor.ts';
import { processExpire, processHold, processRelease, processSweep } from './reservation.processor.ts';
import { processCharge, processPay } from './payment.processor.ts';
import { processOutboxRelay } from './outbox.processor.ts';

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
};
