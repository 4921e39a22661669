import { AppError } from '../platform/errors.ts';
import type { JobOutcome } from '../jobs/jobs.catalog.ts';

/**
 * Sorts what a user job's use case did: a result or a business error (AppError, e.g.
 * SEAT_UNAVAILABLE) ends the job with that outcome and is never retried; anything else is an
 * infrastructure fault (lock wait timeout, deadlock, optimistic conflict, lost connection) and is
 * thrown so BullMQ retries it with backoff.
 */
export async function outcome<T>(run: () => Promise<T>): Promise<JobOutcome<T>> {
  try {
    return { ok: true, result: await run() };
  } catch (err) {
    if (err instanceof AppError && err.code !== 'DEPENDENCY_UNAVAILABLE') {
      return { ok: false, error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
    }
    throw err;
  }
}
