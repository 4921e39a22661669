// Holding seats and paying are jobs: the API validates, checks the caller's ACTIVE queue token for
// the concert concerned, enqueues and answers 202. It never writes a seat or a balance.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { EntityManager } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import type { WaitingRoom } from '../domain/queue/queue.service.ts';
import { getSchedule } from '../domain/catalog/catalog.service.ts';
import { getReservation } from '../domain/reservation/reservation.service.ts';
import { Reservation } from '../domain/reservation/reservation.entity.ts';
import { ReservationNotFoundError } from '../domain/reservation/reservation.errors.ts';
import { getWallet } from '../domain/wallet/wallet.service.ts';
import { userIdOf } from './auth.ts';
import { idParam, type ApiDocs } from './openapi.ts';
import type { JobSubmitter } from './jobs.submit.ts';

const accepted = z.object({ jobId: z.string(), type: z.string(), state: z.literal('queued'), statusUrl: z.string() });
const queueTokenHeader = { 'X-Queue-Token': { description: 'an ACTIVE queue token for the concert', required: true } };
const idempotencyHeader = { 'Idempotency-Key': { description: 'repeat-safe submission: the same key and body return the first job', required: false } };
const reservationSchema = z.object({
  reservationId: z.number().int(), userId: z.number().int(), scheduleId: z.number().int(), concertId: z.number().int(),
  status: z.enum(['PENDING', 'CONFIRMED', 'EXPIRED', 'RELEASED']), totalAmount: z.number().int(), expiresAt: z.string(),
  seats: z.array(z.object({ seatNumber: z.number().int(), price: z.number().int() })),
});

export interface OrderDeps {
  docs: ApiDocs;
  auth: RequestHandler;
  room: WaitingRoom;
  jobs: JobSubmitter;
  em: () => EntityManager;
  maxCharge: number;
}

export function reservationRoutes({ docs, auth, room, jobs, em }: OrderDeps): Router {
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
    responses: { 202: { description: 'accepted', schema: accepted } },
  }, [auth], async (req, res, { body }) => {
    const userId = userIdOf(req);
    await room.requireActive(userId, req.header('x-queue-token'), await concertOf(body.scheduleId));
    await jobs.submit(req, res, 'reservation.hold', { userId, scheduleId: body.scheduleId, seatNumbers: [...body.seatNumbers].sort((a, b) => a - b) });
  });

  docs.route(r, {
    method: 'get', path: '/reservations/:id', summary: 'One of my reservations', tags: ['reservations'], security: 'user', rateLimit: 'read',
    params: z.object({ id: idParam }),
    responses: { 200: { description: 'the reservation', schema: reservationSchema } },
  }, [auth], async (req, res, { params }) => {
    res.json(await getReservation(em(), params.id, userIdOf(req)));
  });

  docs.route(r, {
    method: 'delete', path: '/reservations/:id', summary: 'Release one of my holds (a job)', tags: ['reservations'], security: 'user', rateLimit: 'submit',
    params: z.object({ id: idParam }),
    responses: { 202: { description: 'accepted', schema: accepted } },
  }, [auth], async (req, res, { params }) => {
    const userId = userIdOf(req);
    await ownReservation(em(), params.id, userId);
    await jobs.submit(req, res, 'reservation.release', { userId, reservationId: params.id });
  });

  docs.route(r, {
    method: 'post', path: '/payments', summary: 'Pay one of my holds from my wallet (a job)', tags: ['payments'], security: 'user+queue', rateLimit: 'submit',
    headers: { ...queueTokenHeader, ...idempotencyHeader },
    body: z.object({ reservationId: z.number().int().positive() }).strict(),
    responses: { 202: { description: 'accepted', schema: accepted } },
  }, [auth], async (req, res, { body }) => {
    const userId = userIdOf(req);
    const reservation = await ownReservation(em(), body.reservationId, userId);
    await room.requireActive(userId, req.header('x-queue-token'), reservation.concertId);
    await jobs.submit(req, res, 'payment.pay', { userId, reservationId: body.reservationId });
  });

  return r;
}

async function ownReservation(em: EntityManager, id: number, userId: number) {
  const r = await em.findOne(Reservation, id, { fields: ['userId', 'concertId'] });
  if (!r || r.userId !== userId) throw new ReservationNotFoundError(id);
  return r;
}

export function walletRoutes({ docs, auth, jobs, em, maxCharge }: OrderDeps): Router {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/wallet', summary: 'My balance', tags: ['wallet'], security: 'user', rateLimit: 'read',
    responses: { 200: { description: 'the balance', schema: z.object({ userId: z.number().int(), balance: z.number().int(), version: z.number().int() }) } },
  }, [auth], async (req, res) => {
    res.json(await getWallet(em(), userIdOf(req)));
  });

  docs.route(r, {
    method: 'post', path: '/wallet/charges', summary: 'Charge my wallet (a job)', tags: ['wallet'], security: 'user', rateLimit: 'submit',
    headers: idempotencyHeader,
    body: z.object({ amount: z.number().int().positive() }).strict(),
    responses: { 202: { description: 'accepted', schema: accepted } },
  }, [auth], async (req, res, { body }) => {
    if (body.amount > maxCharge) {
      throw new AppError('LIMIT_EXCEEDED', `a single charge may be at most ${maxCharge}`, { field: 'amount', limit: 'maxCharge', value: maxCharge });
    }
    await jobs.submit(req, res, 'wallet.charge', { userId: userIdOf(req), amount: body.amount });
  });
  return r;
}
