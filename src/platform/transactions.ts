// The one way use cases open a transaction: `transaction(em, tx => …)` forks the EntityManager,
// runs the callback in a transaction, and runs it again on a lock conflict. Connection loss is
// transient too, but not worth retrying within the job: a failover takes seconds, so it is thrown
// and the job's own attempts with backoff (src/jobs/jobs.catalog.ts, ≥ 60 s) take over.
import {
  ConnectionException, DeadlockException, LockWaitTimeoutException, OptimisticLockError,
} from '@mikro-orm/core';
import type { EntityManager } from './db.ts';
import { isDependencyError } from './dependency-errors.ts';

/** MySQL client and server errors that mean the connection is gone (2006 "server has gone away"). */
const CONNECTION_ERRNOS = new Set([1053, 1077, 1152, 1158, 1159, 1160, 1161, 2002, 2003, 2006, 2013, 2055]);
const CONNECTION_MESSAGES = [/server has gone away/i, /lost connection/i, /connection is in closed state/i, /pool is closed/i, /can't add new command when connection is in closed state/i];

/** A conflict with another transaction: running the same transaction again cures it. */
export function isLockConflict(err: unknown): boolean {
  return err instanceof OptimisticLockError || err instanceof DeadlockException || err instanceof LockWaitTimeoutException;
}

/** The database (or another dependency) is unreachable or dropped the connection. */
export function isConnectionLoss(err: unknown): boolean {
  if (err instanceof ConnectionException || isDependencyError(err)) return true;
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { errno, message, fatal } = e as { errno?: unknown; message?: unknown; fatal?: unknown };
    if (typeof errno === 'number' && CONNECTION_ERRNOS.has(errno)) return true;
    if (fatal === true) return true; // mysql2 marks errors that killed the connection
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((r) => r.test(message))) return true;
  }
  return false;
}

/** Faults that a later attempt can cure: lock conflicts and connection loss. */
export function isTransient(err: unknown): boolean {
  return isLockConflict(err) || isConnectionLoss(err);
}

/**
 * Runs `fn` again on a lock conflict (optimistic version, deadlock, lock wait timeout), at most
 * `attempts` times with growing jitter; after that, or on any other error, the error is thrown.
 */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isLockConflict(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 15 * i));
    }
  }
}

/** `fn` in a transaction on a fork of `em`, retried on lock conflicts. */
export async function transaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>, opts: { attempts?: number } = {}): Promise<T> {
  return retryTransient(() => em.fork().transactional(fn), opts.attempts);
}
