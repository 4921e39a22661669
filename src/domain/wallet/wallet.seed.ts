// Seed users: wallets funded through the ledger (so balance equals ledger from the first row).
// Idempotent: a user who already has a wallet is skipped.
import type { EntityManager } from '../../platform/db.ts';

export async function seedWallets(em: EntityManager, users: number, balance: number): Promise<number> {
  const conn = em.getConnection();
  let created = 0;
  for (let from = 1; from <= users; from += 1000) {
    const ids = Array.from({ length: Math.min(1000, users - from + 1) }, (_, i) => from + i);
    await em.transactional(async (tx) => {
      const ctx = tx.getTransactionContext();
      const res = await conn.execute<{ affectedRows: number }>(
        `insert ignore into wallets (user_id, balance, version) values ${ids.map(() => '(?, ?, 1)').join(',')}`,
        ids.flatMap((id) => [id, balance]), 'run', ctx,
      );
      created += res.affectedRows;
      await conn.execute(
        `insert ignore into wallet_ledger (user_id, amount, balance_after, kind, reference) values ${ids.map(() => "(?, ?, ?, 'CHARGE', ?)").join(',')}`,
        ids.flatMap((id) => [id, balance, balance, `seed:${id}`]), 'run', ctx,
      );
    });
  }
  return created;
}
