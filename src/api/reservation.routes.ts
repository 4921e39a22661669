// Holding and releasing seats are jobs: the API validates, checks the caller's ACTIVE queue token
// for the concert concerned (or that the hold is theirs and releasable), enqueues and answers
// 202. It never writes a seat.
import { Router } from 'express';
import { z } from 'zod';
import { getSchedule } from '../domain/catalog/catalog.service.ts';
import { getReservation } from '../domain/reservation/reservation.service.ts';
import { assertReleasable } from '../domain/reservation/reservation.checks.ts';
import { reservationViewSchema } from '../jobs/jobs.results.ts';
import { userIdOf } from './auth.ts';
import { idParam } from './openapi.ts';
import { acceptedSchema, idempotencyHeader, queueTokenHeader, refusals } from './jobs.accepted.ts';
import type { ApiContext } from './context.ts';

export function reservationRoutes({ docs, auth, waitingRoom, jobs, em }: ApiContext): Router {
  const r = Router();
  // A schedule never changes concert, so this lookup is remembered for the life of the process.
  const concertOfSchedule = new Map<number, number>();
  const concertOf = async (scheduleId: number) => {
    let c = concertOfSchedule.get(scheduleId);
    if (c === undefined) {
      c = (await getSchedule(em(), scheduleId)).concertId;
      concertOfSchedule.set(scheduleId, c);
    }
    return c;
  };

  docs.route(r, {
    method: 'post', path: '/reservations', summary: 'Hold seats (a job; poll /api/jobs/{id})', tags: ['reservations'], security: 'user+queue', rateLimit: 'submit',
    headers: { ...queueTokenHeader, ...idempotencyHeader },
    body: z.object({
      scheduleId: z.number().int().positive(),
      seatNumbers: z.array(z.number().int().positive()).min(1).max(10)
        .refine((a) => new Set(a).size === a.length, 'must not repeat a seat'),
    }).strict(),
    responses: { 202: { description: 'accepted', schema: acceptedSchema }, ...refusals },
  }, [auth], async (req, res, { body }) => {
    const userId = userIdOf(req);
    await waitingRoom.requireActive(userId, req.header('x-queue-token'), await concertOf(body.scheduleId));
    await jobs.submit(req, res, 'reservation.hold', { userId, scheduleId: body.scheduleId, seatNumbers: [...body.seatNumbers].sort((a, b) => a - b) });
  });

  docs.route(r, {
    method: 'get', path: '/reservations/:id', summary: 'One of my reservations', tags: ['reservations'], security: 'user', rateLimit: 'read',
    params: z.object({ id: idParam }),
    responses: { 200: { description: 'the reservation', schema: reservationViewSchema } },
  }, [auth], async (req, res, { params }) => {
    res.json(await getReservation(em(), params.id, userIdOf(req)));
  });

  docs.route(r, {
    method: 'delete', path: '/reservations/:id', summary: 'Release one of my PENDING holds (a job)', tags: ['reservations'], security: 'user', rateLimit: 'submit',
    params: z.object({ id: idParam }),
    responses: {
      202: { description: 'accepted', schema: acceptedSchema },
      404: { description: 'RESERVATION_NOT_FOUND (or not mine)' },
      409: { description: 'RESERVATION_NOT_PENDING: already paid, released or expired' },
      ...refusals,
    },
  }, [auth], async (req, res, { params }) => {
    const userId = userIdOf(req);
    await assertReleasable(em(), params.id, userId, new Date());
    await jobs.submit(req, res, 'reservation.release', { userId, reservationId: params.id });
  });

  return r;
}
