// The waiting room over HTTP (docs/queue-protocol.md). Every route needs the user's JWT; the queue
// token travels in the X-Queue-Token header (or `?token=` on the event stream, for EventSource).
// These are the hot routes of an on-sale: the router is mounted ahead of the global JSON body
// parser and the per-request ORM context (it needs neither; only the join parses its small body).
import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { QueueStatus } from '../domain/queue/queue.service.ts';
import { userIdOf } from './auth.ts';
import type { ApiContext } from './context.ts';
import { bearerFromQuery, type QueueStreamHub } from './queue.stream.ts';

const statusSchema = z.object({
  state: z.enum(['WAITING', 'ACTIVE', 'SOLD_OUT', 'EXPIRED']),
  concertId: z.number().int(),
  token: z.string().describe('signed; send it back as X-Queue-Token'),
  position: z.number().int().optional().describe('1-based, while WAITING'),
  waitingCount: z.number().int().optional(),
  estimatedWaitSeconds: z.number().int().optional().describe('from the measured admission rate'),
  reason: z.enum(['BEFORE_OPENING', 'PAUSED', 'ALL_SEATS_HELD']).optional().describe('why a WAITING line is not moving'),
  saleOpensAt: z.string().optional().describe('BEFORE_OPENING: when the sale opens and the pre-queue gets its drawn places (no position until then)'),
  entrantId: z.string().optional().describe('a pre-queue place\'s opaque id in the opening\'s published list (GET /api/concerts/{id}/queue/fairness)'),
  activeUntil: z.string().optional().describe('while ACTIVE'),
  pollAfterMs: z.number().int().describe('ask again after this long (also the Retry-After header, in seconds)'),
});
const tokenHeader = { 'X-Queue-Token': { description: 'the token from POST /api/queue/tokens', required: true } };

/** Every status answer carries the server's pacing, in the body and as Retry-After. */
function sendStatus(res: Response, code: number, status: QueueStatus): void {
  res.setHeader('Retry-After', String(Math.ceil(status.pollAfterMs / 1000)));
  res.setHeader('Cache-Control', 'no-store');
  res.status(code).json(status);
}

export interface QueueParts {
  /** The concert's announced opening (ms, 0 = none); throws CONCERT_NOT_FOUND for an unknown concert. */
  saleOpensAt: (id: number) => Promise<number>;
  stream: QueueStreamHub;
  /** Runs on a join after its body is parsed and the user known (the bot challenge, src/api/join-challenge.ts). */
  joinGuard: RequestHandler;
}

export function queueRoutes(ctx: ApiContext, { saleOpensAt, stream, joinGuard }: QueueParts): Router {
  const { docs, auth, waitingRoom: room, queues } = ctx;
  const bodyLimit = ctx.config.BODY_LIMIT;
  const r = Router();

  docs.route(r, {
    method: 'post', path: '/queue/tokens', summary: 'Join a concert\'s waiting room (idempotent per user and concert)', tags: ['queue'], security: 'user', rateLimit: 'join',
    body: z.object({ concertId: z.number().int().positive() }).strict(),
    responses: {
      201: { description: 'a new place in line', schema: statusSchema },
      200: { description: 'the place the user already has', schema: statusSchema },
      409: { description: 'SOLD_OUT: every bookable seat is sold' },
    },
  }, [express.json({ limit: bodyLimit }), auth, joinGuard], async (req, res, { body }) => {
    const opensAt = await saleOpensAt(body.concertId);
    const { status, created } = await room.join(userIdOf(req), body.concertId, opensAt);
    // The first person into an empty line (or pre-queue) starts its admission ticks at once.
    const first = created && status.state === 'WAITING' && (status.position === 1 || (status.reason === 'BEFORE_OPENING' && status.waitingCount === 1));
    await queues.ensureAdmissionTicker(body.concertId, first);
    sendStatus(res, created ? 201 : 200, status);
  });

  docs.route(r, {
    method: 'get', path: '/queue/status', summary: 'State of my queue token: WAITING (position, ETA, reason), ACTIVE, SOLD_OUT or EXPIRED, with pollAfterMs', tags: ['queue'], security: 'user', rateLimit: 'poll',
    headers: tokenHeader,
    responses: {
      200: { description: 'the token\'s state', schema: statusSchema },
      401: { description: 'QUEUE_TOKEN_INVALID: malformed, altered or forged' },
      410: { description: 'QUEUE_RESET: the line was lost with Redis\'s data; join again' },
    },
  }, [auth], async (req, res) => {
    const status = await room.status(userIdOf(req), req.header('x-queue-token'));
    if (status.state === 'WAITING') await queues.ensureAdmissionTicker(status.concertId);
    sendStatus(res, 200, status);
  });

  docs.route(r, {
    method: 'get', path: '/queue/events', summary: 'My queue state as Server-Sent Events (`status` events, same body as /queue/status)', tags: ['queue'], security: 'user',
    headers: { 'X-Queue-Token': { description: 'the queue token (or ?token=)', required: false } },
    query: z.object({
      token: z.string().optional().describe('the queue token, for EventSource (which cannot send headers)'),
      access_token: z.string().optional().describe('the bearer JWT, for EventSource'),
    }),
    responses: { 200: { description: 'text/event-stream of `status` events; ends after ACTIVE, SOLD_OUT or EXPIRED' } },
  }, [bearerFromQuery(auth)], stream.handler());

  docs.route(r, {
    method: 'delete', path: '/queue/tokens/current', summary: 'Leave the waiting room (or give up an active slot)', tags: ['queue'], security: 'user', rateLimit: 'read',
    headers: tokenHeader,
    responses: { 204: { description: 'left' } },
  }, [auth], async (req, res) => {
    await room.leave(userIdOf(req), req.header('x-queue-token'));
    res.status(204).end();
  });

  return r;
}
