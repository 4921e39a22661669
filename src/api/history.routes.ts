// A fan's own history: reservations and wallet ledger, newest first, paginated. Reads only; the
// caller sees nothing but their own rows (the user id comes from the token, never the request).
import { Router } from 'express';
import { z } from 'zod';
import { listMyReservations } from '../domain/reservation/reservation.history.ts';
import { listMyLedger } from '../domain/wallet/wallet.ledger.ts';
import { RESERVATION_STATUSES } from '../domain/reservation/reservation.entity.ts';
import { userIdOf } from './auth.ts';
import type { ApiContext } from './context.ts';
import { DEFAULT_PAGE_SIZE, pageOf, pageQuery } from './pagination.ts';

const reservationSchema = z.object({
  reservationId: z.number().int(), userId: z.number().int(), scheduleId: z.number().int(), concertId: z.number().int(),
  status: z.string().describe(`one of ${RESERVATION_STATUSES.join(', ')} (or a later lifecycle state)`), totalAmount: z.number().int(), expiresAt: z.string(),
  seats: z.array(z.object({ seatNumber: z.number().int(), price: z.number().int() })),
});
const ledgerSchema = z.object({
  id: z.number().int(), amount: z.number().int().describe('won; negative for a payment'), balanceAfter: z.number().int(),
  kind: z.string(), reference: z.string(), createdAt: z.string(),
});

export function historyRoutes({ docs, auth, em }: ApiContext): Router {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/reservations', summary: 'My reservations, newest first (paginated)', tags: ['reservations'], security: 'user',
    query: z.object(pageQuery),
    responses: { 200: { description: 'a page of my reservations', schema: pageOf(reservationSchema) } },
  }, [auth], async (req, res, { query }) => {
    res.json(await listMyReservations(em(), userIdOf(req), { limit: query.limit ?? DEFAULT_PAGE_SIZE, before: query.before }));
  });

  docs.route(r, {
    method: 'get', path: '/wallet/ledger', summary: 'My wallet ledger, newest first (paginated)', tags: ['wallet'], security: 'user',
    query: z.object(pageQuery),
    responses: { 200: { description: 'a page of my ledger entries', schema: pageOf(ledgerSchema) } },
  }, [auth], async (req, res, { query }) => {
    res.json(await listMyLedger(em(), userIdOf(req), { limit: query.limit ?? DEFAULT_PAGE_SIZE, before: query.before }));
  });
  return r;
}
