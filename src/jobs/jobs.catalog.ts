// The contract between the API and the workers: every job's name, queue, payload schema and
// options, in one typed catalog. Workers must provide a processor for every name (see
// src/workers/processors.ts, a mapped type over this catalog).
import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

export const QUEUES = ['admission'] as const;
export type QueueName = (typeof QUEUES)[number];

interface JobDef {
  queue: QueueName;
  payload: z.ZodType;
  options: JobsOptions;
}

const positiveInt = z.number().int().positive();

export const JOBS = {
  /** One admission tick of one concert's waiting room (run by a job scheduler per concert). */
  'admission.tick': {
    queue: 'admission',
    payload: z.object({ concertId: positiveInt }),
    // A tick that fails is simply superseded by the next one; keep only a short history.
    options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000, age: 24 * 3600 } },
  },
} as const satisfies Record<string, JobDef>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;
