// The one way use cases open a transaction: `transaction(em, tx => …)` forks the EntityManager,
// runs the callback in a transaction, and runs it again on a lock conflict. Connection loss is
// transient too, but not worth retrying within the job: a failover takes seconds, so it is thrown
// and the job's own attempts with backoff (src/jobs/jobs.catalog.ts, ≥ 60 s) take over.
import {
  ConnectionException, DeadlockException, LockWaitTimeoutException, OptimisticLockError,
} from '@mikro-orm/core';
import { sqlBatchOn, type EntityManager, type SqlContext, type Stmt, type StmtResult } from './db.ts';
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

/** The statements of a `batchedTransaction`, sent one batch per round trip. */
export interface TxBatches {
  /**
   * Sends `stmts` in one round trip and returns one result per statement. The first batch also
   * begins the transaction; `{ commit: true }` also commits it, so nothing may follow, and must
   * only be used where no result of the batch still has to be checked before committing (the
   * server stops at a failing statement, so a failed batch never reaches its COMMIT).
   */
  batch(stmts: Stmt[], opts?: { commit?: boolean }): Promise<StmtResult[]>;
}

/**
 * A transaction of raw statement batches whose BEGIN travels with its first batch and whose
 * COMMIT, where the caller can, with its last: two round trips fewer than `transaction()` (a hold
 * 5 → 3, an expiry 4 → 2; reservation.roundtrips.test.ts), which gave the workers about 10 % more
 * holds and payments per second (load/README.md, round 4). It runs on one pooled connection of the
 * ORM's (whose lock wait timeout is set once, src/platform/db.ts), commits at the end if the
 * callback did not, rolls back on any error, and is retried on lock conflicts like `transaction()`.
 * `transaction()` stays for the use cases written with entities (a flush at commit).
 */
export async function batchedTransaction<T>(em: EntityManager, fn: (tx: TxBatches) => Promise<T>, opts: { attempts?: number } = {}): Promise<T> {
  return retryTransient(() => em.getConnection().getClient().connection().execute(async (conn) => {
    const ctx = conn as unknown as SqlContext;
    // Mutated by tx.batch(): an object, so that the compiler does not narrow it at each read.
    const t = { state: 'new' as 'new' | 'open' | 'done' };
    const tx: TxBatches = {
      async batch(stmts, { commit = false } = {}) {
        if (t.state === 'done') throw new Error('batchedTransaction: a batch after the commit');
        const begin = t.state === 'new';
        const sent = [...(begin ? [{ sql: 'start transaction' }] : []), ...stmts, ...(commit ? [{ sql: 'commit' }] : [])];
        t.state = 'open';
        const results = await sqlBatchOn(em, ctx, sent);
        if (commit) t.state = 'done';
        return results.slice(begin ? 1 : 0, begin ? 1 + stmts.length : stmts.length);
      },
    };
    try {
      const result = await fn(tx);
      if (t.state === 'open') await sqlBatchOn(em, ctx, [{ sql: 'commit' }]);
      t.state = 'done';
      return result;
    } catch (err) {
      // A batch that failed stopped before its COMMIT: the transaction is still open on this
      // connection, which goes back to the pool only after the rollback.
      if (t.state === 'open') await sqlBatchOn(em, ctx, [{ sql: 'rollback' }]).catch(() => undefined);
      throw err;
    }
  }), opts.attempts);
}
