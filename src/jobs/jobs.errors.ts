// Why a job submission was refused before anything was enqueued. `retryAfterSeconds` in the
// details becomes the Retry-After header of the answer.
import { AppError } from '../platform/errors.ts';

export class TooManyPendingJobsError extends AppError {
  constructor(limit: number, pending: number) {
    super('TOO_MANY_PENDING_JOBS', `at most ${limit} unfinished jobs per user (you have ${pending}); wait for one to finish`, { limit, pending, retryAfterSeconds: 1 });
  }
}

export class OverloadedError extends AppError {
  constructor(queue: string, backlog: number, drainSeconds: number | null, retryAfterSeconds: number) {
    super('OVERLOADED', 'too many requests are waiting to be served in time; try again shortly', {
      queue, backlog, ...(drainSeconds === null ? {} : { drainSeconds: Math.round(drainSeconds) }), retryAfterSeconds,
    });
  }
}

export class SubmitRateLimitedError extends AppError {
  constructor(limit: number, retryAfterSeconds: number) {
    super('RATE_LIMITED', `at most ${limit} of these per minute`, { limit, perSeconds: 60, retryAfterSeconds });
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', { field: 'Idempotency-Key' });
  }
}
