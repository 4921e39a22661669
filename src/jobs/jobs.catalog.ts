// The contract between the API and the workers: every job's name, queue, payload schema and
// options, in one typed catalog. Workers must provide a processor for every name (see
// src/workers/processors.ts, a mapped type over this catalog).
import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

// User jobs are isolated by kind so that nobody's flood delays anybody else's purchase: holds
// never wait behind releases or expiries, payments never behind wallet charges. Workers start one
// BullMQ Worker per entry (src/workers/workers.ts), so a new queue is served without other changes.
export const QUEUES = ['admission', 'reservations', 'payments', 'charges', 'releases', 'holds', 'events', 'admin'] as const;
export type QueueName = (typeof QUEUES)[number];

interface JobDef {
  queue: QueueName;
  payload: z.ZodType;
  options: JobsOptions;
  /** Jobs a user submits get an id with this prefix and are readable at /api/jobs/:id. */
  idPrefix?: string;
}

const positiveInt = z.number().int().positive();

// Infrastructure faults (lock wait timeout, deadlock, optimistic conflict, lost connection) are
// thrown and retried with backoff; business outcomes end the job at once.
// Retried every 1-2 s (fixed 2 s, jitter 0.5) for 60 attempts: 60-120 s of retries, enough to ride
// out a database failover or restart (issue 9), without the minute-long gaps of an exponential
// backoff between a lock conflict's later attempts. A hold that became useless meanwhile fails
// HOLD_REQUEST_STALE (HOLD_JOB_MAX_AGE_SECONDS) instead of holding late.
const userJob: JobsOptions = {
  attempts: 61,
  backoff: { type: 'fixed', delay: 2000, jitter: 0.5 },
  // Results stay readable for a day (the idempotency window of Idempotency-Key is the same).
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOBS = {
  /** One admission tick of one concert's waiting room (run by a job scheduler per concert). */
  'admission.tick': {
    queue: 'admission',
    payload: z.object({ concertId: positiveInt }),
    // A tick that fails is simply superseded by the next one; keep only a short history.
    options: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000, age: 24 * 3600 } },
  },
  'reservation.hold': {
    queue: 'reservations',
    idPrefix: 'hold',
    payload: z.object({ userId: positiveInt, scheduleId: positiveInt, seatNumbers: z.array(positiveInt).min(1) }),
    options: userJob,
  },
  'reservation.release': {
    queue: 'releases',
    idPrefix: 'release',
    payload: z.object({ userId: positiveInt, reservationId: positiveInt }),
    options: userJob,
  },
  'payment.pay': {
    queue: 'payments',
    idPrefix: 'pay',
    payload: z.object({ userId: positiveInt, reservationId: positiveInt }),
    options: userJob,
  },
  'wallet.charge': {
    queue: 'charges',
    idPrefix: 'charge',
    payload: z.object({ userId: positiveInt, amount: positiveInt }),
    options: userJob,
  },
  /**
   * An organizer refunds one CONFIRMED reservation. Organizer jobs have their own queue: a
   * cancellation of a large schedule never delays a fan's hold, nor a rush an organizer's refund.
   */
  'admin.refund': {
    queue: 'admin',
    idPrefix: 'refund',
    payload: z.object({ userId: positiveInt.describe('the admin who asked'), reservationId: positiveInt }),
    options: userJob,
  },
  /** An organizer cancels a schedule: holds cancelled, sales refunded, no more holds. */
  'admin.cancel': {
    queue: 'admin',
    idPrefix: 'cancel',
    payload: z.object({ userId: positiveInt.describe('the admin who asked'), scheduleId: positiveInt }),
    options: userJob,
  },
  /** Releases one hold exactly at its expiry (a delayed job per hold). */
  'hold.expire': {
    queue: 'holds',
    payload: z.object({ reservationId: positiveInt }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 200 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  },
  /** Safety net: releases holds whose delayed job was lost (job scheduler). */
  'holds.sweep': {
    queue: 'holds',
    payload: z.object({}),
    options: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 500 } },
  },
  /** Publishes pending outbox rows to Kafka (job scheduler; one relay at a time under a lock). */
  'outbox.relay': {
    queue: 'events',
    payload: z.object({}),
    options: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 500 } },
  },
} as const satisfies Record<string, JobDef>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;

/** The jobs users submit, by the prefix of their ids. */
export const USER_JOBS = Object.entries(JOBS).filter(([, d]) => 'idPrefix' in d) as [JobName, JobDef & { idPrefix: string }][];

export function userJobByPrefix(jobId: string): [JobName, JobDef & { idPrefix: string }] | undefined {
  const prefix = jobId.split('-', 1)[0];
  return USER_JOBS.find(([, d]) => d.idPrefix === prefix);
}

/** What every user job returns: a business success or a business failure with a stable code. */
export type JobOutcome<T = unknown> =
  | { ok: true; result: T }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
