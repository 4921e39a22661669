// Paying a hold is a job: the API checks the reservation is the caller's and that the caller holds
// an ACTIVE queue token for its concert, enqueues and answers 202. It never touches a balance.
import { Router } from 'express';
import { z } from 'zod';
import { ownedReservation } from '../domain/reservation/reservation.checks.ts';
import { userIdOf } from './auth.ts';
import { acceptedSchema, idempotencyHeader, queueTokenHeader, refusals } from './jobs.accepted.ts';
import type { ApiContext } from './context.ts';

export function paymentRoutes({ docs, auth, waitingRoom, jobs, em }: ApiContext): Router {
  const r = Router();
  docs.route(r, {
    method: 'post', path: '/payments', summary: 'Pay one of my holds from my wallet (a job)', tags: ['payments'], security: 'user+queue', rateLimit: 'submit',
    headers: { ...queueTokenHeader, ...idempotencyHeader },
    body: z.object({ reservationId: z.number().int().positive() }).strict(),
    responses: { 202: { description: 'accepted', schema: acceptedSchema }, ...refusals },
  }, [auth], async (req, res, { body }) => {
    const userId = userIdOf(req);
    const reservation = await ownedReservation(em(), body.reservationId, userId);
    await waitingRoom.requireActive(userId, req.header('x-queue-token'), reservation.concertId);
    await jobs.submit(req, res, 'payment.pay', { userId, reservationId: body.reservationId });
  });
  return r;
}
