import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A user's balance in won. `version` is the optimistic lock: a stale update throws. */
export const Wallet = defineEntity({
  name: 'Wallet',
  tableName: 'wallets',
  properties: {
    userId: p.bigint('number').primary().autoincrement(false),
    balance: p.bigint('number').default(0),
    version: p.integer().version(),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IWallet = InferEntity<typeof Wallet>;

export const LEDGER_KINDS = ['CHARGE', 'PAYMENT', 'REFUND'] as const;

/** Every balance change, append-only; the sum of `amount` per user always equals the balance. */
export const WalletLedger = defineEntity({
  name: 'WalletLedger',
  tableName: 'wallet_ledger',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    userId: p.bigint('number'),
    amount: p.bigint('number'),
    balanceAfter: p.bigint('number'),
    kind: p.string().length(16).$type<(typeof LEDGER_KINDS)[number]>(),
    reference: p.string().length(100),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
