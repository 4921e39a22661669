// A funded wallet, written as the seed does (through the ledger, so the audit stays clean).
import type { EntityManager } from '../../src/platform/db.ts';

export async function seedWallet(em: EntityManager, userId: number, balance: number): Promise<void> {
  await em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    await conn.execute('insert into wallets (user_id, balance, version) values (?, ?, 1)', [userId, balance], 'run', ctx);
    await conn.execute("insert into wallet_ledger (user_id, amount, balance_after, kind, reference) values (?, ?, ?, 'CHARGE', ?)", [userId, balance, balance, `test-seed:${userId}`], 'run', ctx);
  });
}
