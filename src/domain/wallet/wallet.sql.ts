// Balance changes as SQL statements, for use cases that write in one batch (payment, refund).
// The optimistic lock stays: the update names the version it read, and the caller checks that it
// changed exactly one row (else another change came first: OptimisticLockError, retried). The
// ledger reference is unique, so a change can never be posted twice.
import { OptimisticLockError } from '@mikro-orm/core';
import type { Stmt, StmtResult } from '../../platform/db.ts';
import { writeOf } from '../../platform/db.ts';
import { debitedBalance } from './wallet.rules.ts';

export interface WalletState { userId: number; balance: number; version: number }

/** Reads the wallet without a lock (the version check at write time is the fence). */
export function readWallet(userId: number): Stmt {
  return { sql: 'select balance, version from wallets where user_id = ?', params: [userId] };
}

export function walletState(userId: number, rows: Record<string, unknown>[]): WalletState {
  const w = rows[0];
  return { userId, balance: Number(w?.balance ?? 0), version: Number(w?.version ?? 0) };
}

/** Debit statements (wallet update first, then its ledger row); throws INSUFFICIENT_BALANCE. */
export function debitStmts(w: WalletState, amount: number, reference: string): { stmts: Stmt[]; balanceAfter: number } {
  const balanceAfter = debitedBalance(w.balance, amount);
  return { stmts: changeStmts(w, -amount, balanceAfter, 'PAYMENT', reference), balanceAfter };
}

/** Credit statements for a refund (no max-balance limit: the money was the fan's). */
export function creditStmts(w: WalletState, amount: number, reference: string): { stmts: Stmt[]; balanceAfter: number } {
  const balanceAfter = w.balance + amount;
  return { stmts: changeStmts(w, amount, balanceAfter, 'REFUND', reference), balanceAfter };
}

function changeStmts(w: WalletState, amount: number, balanceAfter: number, kind: 'PAYMENT' | 'REFUND', reference: string): Stmt[] {
  return [
    { sql: 'update wallets set balance = ?, version = version + 1 where user_id = ? and version = ?', params: [balanceAfter, w.userId, w.version] },
    {
      sql: 'insert into wallet_ledger (user_id, amount, balance_after, kind, reference) values (?, ?, ?, ?, ?)',
      params: [w.userId, amount, balanceAfter, kind, reference],
    },
  ];
}

/** Checks the wallet update's result (the first of the change statements). */
export function assertWalletChanged(w: WalletState, result: StmtResult | undefined): void {
  if (writeOf(result).affectedRows !== 1) throw new OptimisticLockError(`wallet ${w.userId} changed since version ${w.version}`);
}
