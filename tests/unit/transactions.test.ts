import { describe, expect, it } from 'vitest';
import { DeadlockException, LockWaitTimeoutException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { isConnectionLoss, isLockConflict, isTransient, retryTransient } from '../../src/platform/transactions.ts';

const mysqlError = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'mysql')), props);

describe('transient faults', () => {
  it('lock conflicts and lost connections are transient; a duplicate key or a bug is not', () => {
    expect(isLockConflict(new OptimisticLockError('stale'))).toBe(true);
    expect(isLockConflict(new DeadlockException(mysqlError({ errno: 1213 })))).toBe(true);
    expect(isLockConflict(new LockWaitTimeoutException(mysqlError({ errno: 1205 })))).toBe(true);
    for (const e of [
      mysqlError({ code: 'ECONNREFUSED' }), mysqlError({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      mysqlError({ errno: 2006, message: 'MySQL server has gone away' }), mysqlError({ message: 'Lost connection to MySQL server during query' }),
      new Error('wrapped', { cause: mysqlError({ code: 'ECONNRESET' }) }),
    ]) expect(isConnectionLoss(e), String(e.message)).toBe(true);
    expect(isTransient(new UniqueConstraintViolationException(mysqlError({ errno: 1062 })))).toBe(false);
    expect(isTransient(new TypeError('x is undefined'))).toBe(false);
  });

  it('retryTransient runs a transaction again on a lock conflict, but not on a lost connection (the job backs off instead)', async () => {
    let calls = 0;
    await expect(retryTransient(async () => { calls++; if (calls < 3) throw new OptimisticLockError('stale'); return 'ok'; })).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryTransient(async () => { calls++; throw mysqlError({ code: 'ECONNREFUSED' }); })).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
