// A concert's announced opening and the secret seed of its pre-queue's shuffle (docs/fairness.md),
// read by the admission tick and by the public fairness record. Never cached: the seed must not
// reach the catalog caches, and the read is one primary-key lookup.
import type { EntityManager } from '../../platform/db.ts';
import { Concert } from './catalog.entity.ts';
import { ConcertNotFoundError } from './catalog.errors.ts';

export interface SaleOpening { opensAt: Date | null; seed: string | null }

export async function readSaleOpening(em: EntityManager, concertId: number): Promise<SaleOpening> {
  const c = await em.findOne(Concert, concertId, { fields: ['saleOpensAt', 'saleSeed'], refresh: true });
  if (!c) throw new ConcertNotFoundError(concertId);
  return { opensAt: c.saleOpensAt ?? null, seed: c.saleSeed ?? null };
}
