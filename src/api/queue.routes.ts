// The waiting room over HTTP. Every route needs the user's JWT; the queue token travels in the
// X-Queue-Token header.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { WaitingRoom } from '../domain/queue/queue.service.ts';
import type { JobQueues } from '../jobs/jobs.queues.ts';
import { userIdOf } from './auth.ts';
import type { ApiDocs } from './openapi.ts';

const statusSchema = z.object({
  state: z.enum(['WAITING', 'ACTIVE', 'EXPIRED']),
  concertId: z.number().int(),
  token: z.string(),
  position: z.number().int().optional().describe('1-based, while WAITING'),
  waitingCount: z.number().int().optional(),
  estimatedWaitSeconds: z.number().int().optional().describe('from the measured admission rate'),
  activeUntil: z.string().optional().describe('while ACTIVE'),
});
const tokenHeader = { 'X-Queue-Token': { description: 'the token from POST /api/queue/tokens', required: true } };

export function queueRoutes(
  docs: ApiDocs,
  auth: RequestHandler,
  room: WaitingRoom,
  queues: JobQueues,
  concertExists: (id: number) => Promise<void>,
): Router {
  const r = Router();

  docs.route(r, {
    method: 'post', path: '/queue/tokens', summary: 'Join a concert\'s waiting room (idempotent per user and concert)', tags: ['queue'], security: 'user', rateLimit: 'join',
    body: z.object({ concertId: z.number().int().positive() }).strict(),
    responses: { 201: { description: 'a new place in line', schema: statusSchema }, 200: { description: 'the place the user already has', schema: statusSchema } },
  }, [auth], async (req, res, { body }) => {
    await concertExists(body.concertId);
    const { status, created } = await room.join(userIdOf(req), body.concertId);
    // The first person into an empty line starts its admission ticks at once.
    await queues.ensureAdmissionTicker(body.concertId, created && status.state === 'WAITING' && status.position === 1);
    res.status(created ? 201 : 200).json(status);
  });

  docs.route(r, {
    method: 'get', path: '/queue/status', summary: 'State of my queue token: WAITING (position, ETA), ACTIVE or EXPIRED', tags: ['queue'], security: 'user', rateLimit: 'poll',
    headers: tokenHeader,
    responses: { 200: { description: 'the token\'s state', schema: statusSchema } },
  }, [auth], async (req, res) => {
    const status = await room.status(userIdOf(req), req.header('x-queue-token'));
    if (status.state === 'WAITING') await queues.ensureAdmissionTicker(status.concertId);
    res.json(status);
  });

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
