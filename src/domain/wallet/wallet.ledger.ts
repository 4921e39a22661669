// A fan's own ledger (every charge, payment and refund), newest first, keyset-paginated by id
// (idx_wallet_ledger_user (user_id, id) serves it).
import type { EntityManager } from '../../platform/db.ts';
import { WalletLedger } from './wallet.entity.ts';

export interface LedgerEntryView { id: number; amount: number; balanceAfter: number; kind: string; reference: string; createdAt: string }

export async function listMyLedger(em: EntityManager, userId: number, q: { limit: number; before?: number }): Promise<{ items: LedgerEntryView[]; nextBefore: number | null }> {
  const rows = await em.find(
    WalletLedger,
    q.before !== undefined ? { userId, id: { $lt: q.before } } : { userId },
    { orderBy: { id: 'desc' }, limit: q.limit + 1 },
  );
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((l) => ({ id: l.id, amount: l.amount, balanceAfter: l.balanceAfter, kind: l.kind, reference: l.reference, createdAt: l.createdAt.toISOString() })),
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}
