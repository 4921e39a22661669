import { DeadlockException, LockWaitTimeoutException, OptimisticLockError } from '@mikro-orm/core';

/** Faults that a fresh attempt of the same transaction can cure. */
export function isTransient(err: unknown): boolean {
  return err instanceof OptimisticLockError || err instanceof DeadlockException || err instanceof LockWaitTimeoutException;
}

/**
 * Runs a transaction again on an optimistic-lock conflict, a deadlock or a lock wait timeout, at
 * most `attempts` times with growing jitter; after that the fault is thrown and the job's own
 * retries (with backoff) take over.
 */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * i));
    }
  }
}
