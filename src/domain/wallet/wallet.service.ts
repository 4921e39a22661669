// Balances change only through these functions, each inside the caller's transaction: the wallet
// row is updated with an optimistic version check and a ledger row is written with a unique
// reference, so a retried job cannot post twice and balance always equals the ledger sum.
import type { EntityManager } from '../../platform/db.ts';
import { Wallet, WalletLedger } from './wallet.entity.ts';
import { chargedBalance, type WalletLimits } from './wallet.rules.ts';

export interface WalletView { userId: number; balance: number; version: number }

export async function getWallet(em: EntityManager, userId: number): Promise<WalletView> {
  const w = await em.findOne(Wallet, userId);
  return { userId, balance: w?.balance ?? 0, version: w?.version ?? 0 };
}

async function loadOrCreate(em: EntityManager, userId: number) {
  const existing = await em.findOne(Wallet, userId, { refresh: true });
  if (existing) return existing;
  // Only a first charge creates the row. (Running `insert ignore` every time would take a shared
  // lock on the existing row and deadlock two concurrent charges when both then update it.)
  await em.getConnection().execute('insert ignore into wallets (user_id, balance, version) values (?, 0, 1)', [userId], 'run', em.getTransactionContext());
  return em.findOneOrFail(Wallet, userId, { refresh: true });
}

async function posted(em: EntityManager, reference: string) {
  return em.findOne(WalletLedger, { reference });
}

/** Charges the wallet; idempotent per reference. Throws OptimisticLockError on a concurrent change. */
export async function charge(em: EntityManager, userId: number, amount: number, reference: string, limits: WalletLimits): Promise<WalletView> {
  const previous = await posted(em, reference);
  const wallet = await loadOrCreate(em, userId);
  if (previous) return { userId, balance: wallet.balance, version: wallet.version };
  wallet.balance = chargedBalance(wallet.balance, amount, limits);
  em.create(WalletLedger, { userId, amount, balanceAfter: wallet.balance, kind: 'CHARGE', reference });
  await em.flush(); // the version check happens here
  return { userId, balance: wallet.balance, version: wallet.version };
}
