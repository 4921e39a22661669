// The public record of a sale's fair opening (docs/fairness.md): before the opening, the
// commitment to the secret seed; after it, the seed, the algorithm and the sorted entrant ids
// (paginated), so anyone can recompute the order the pre-queue was placed in.
import { Router } from 'express';
import { z } from 'zod';
import { readSaleOpening } from '../domain/catalog/catalog.sale.ts';
import { FAIRNESS_ALGORITHM, seedCommitment } from '../domain/queue/queue.fairness.ts';
import { idParam } from './openapi.ts';
import type { ApiContext } from './context.ts';

const MAX_PAGE = 10_000;
const DEFAULT_PAGE = 1_000;

const fairnessSchema = z.object({
  concertId: z.number().int(),
  state: z.enum(['NONE', 'COMMITTED', 'OPENING', 'REVEALED']).describe(
    'NONE: no announced opening; COMMITTED: the seed is committed, not revealed; OPENING: places are being assigned; REVEALED: the seed and entrants are published',
  ),
  saleOpensAt: z.string().nullable(),
  algorithm: z.object({ name: z.string(), version: z.number().int() }),
  commitment: z.string().nullable().describe('hex SHA-256 of the seed\'s 32 bytes, published before anyone could join'),
  seed: z.string().optional().describe('REVEALED: the secret seed, hex (32 bytes)'),
  openedAt: z.string().optional().describe('when the opening started'),
  entrantCount: z.number().int().optional().describe('fans in the pre-queue at the opening'),
  entrants: z.object({
    offset: z.number().int(), limit: z.number().int(), total: z.number().int(),
    items: z.array(z.string()).describe('entrant ids, sorted ascending: the shuffle\'s input'),
    nextOffset: z.number().int().nullable().describe('pass as ?offset= for the next page; null on the last'),
  }).optional(),
});

export function fairnessRoutes({ docs, em, waitingRoom, concert }: ApiContext): Router {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/concerts/:id/queue/fairness', tags: ['catalog'], security: 'public', rateLimit: 'catalog',
    summary: 'The fair opening\'s record: the seed\'s commitment before the opening; the seed, algorithm and sorted entrants after',
    params: z.object({ id: idParam }),
    query: z.object({
      offset: z.string().regex(/^\d{1,9}$/, 'must be a non-negative integer').transform(Number).optional().describe('first entrant of the page (default 0)'),
      limit: z.string().regex(/^[1-9]\d{0,4}$/, `must be an integer from 1 to ${MAX_PAGE}`).transform(Number)
        .refine((n) => n <= MAX_PAGE, `must be an integer from 1 to ${MAX_PAGE}`).optional().describe(`entrants per page (default ${DEFAULT_PAGE}, at most ${MAX_PAGE})`),
    }),
    responses: { 200: { description: 'the record now', schema: fairnessSchema } },
  }, [], async (_req, res, { params, query }) => {
    await concert(params.id); // 404 CONCERT_NOT_FOUND, from the cache
    const sale = await readSaleOpening(em(), params.id);
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_PAGE;
    const base = {
      concertId: params.id, saleOpensAt: sale.opensAt?.toISOString() ?? null, algorithm: FAIRNESS_ALGORITHM,
      commitment: sale.seed ? seedCommitment(sale.seed) : null,
    };
    // Changes at the opening: a cache could show the commitment after the reveal, never the reverse.
    res.setHeader('Cache-Control', 'no-store');
    if (!sale.seed) return void res.json({ ...base, state: 'NONE' });
    const record = await waitingRoom.openingRecord(params.id, offset, limit);
    const openedAt = record.openedAt ? { openedAt: new Date(record.openedAt).toISOString() } : {};
    if (record.state === 'none') return void res.json({ ...base, state: 'COMMITTED' });
    if (record.state === 'started') return void res.json({ ...base, state: 'OPENING', ...openedAt, entrantCount: record.entrants });
    const next = offset + record.ids.length;
    res.json({
      ...base, state: 'REVEALED', seed: sale.seed, ...openedAt, entrantCount: record.entrants,
      entrants: { offset, limit, total: record.entrants, items: record.ids, nextOffset: next < record.entrants ? next : null },
    });
  });
  return r;
}
