// HTTP side of the join challenge (docs/join-challenge.md): GET /api/queue/challenge issues one,
// and `joinChallengeCheck`, a middleware of the join route (POST /api/queue/tokens, after its body
// is parsed), checks and spends it; it strips `challenge` and `nonce` from the body so the join's
// strict schema holds.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { JoinChallenges } from '../domain/challenge/challenge.service.ts';
import { userIdOf } from './auth.ts';
import { idParam } from './openapi.ts';
import type { ApiContext } from './context.ts';

export function joinChallengeRoutes({ docs, auth }: ApiContext, challenges: JoinChallenges): Router {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/queue/challenge', summary: 'A proof-of-work challenge to join a concert\'s line, when that concert requires one', tags: ['queue'], security: 'user', rateLimit: 'join',
    query: z.object({ concertId: idParam }),
    responses: {
      200: {
        description: '{required: false}, or a challenge to solve before POST /api/queue/tokens',
        schema: z.object({ required: z.boolean(), challenge: z.string().optional(), difficulty: z.number().int().optional(), algorithm: z.literal('sha256').optional(), expiresAt: z.string().optional() }),
      },
    },
  }, [auth], async (req, res, { query }) => {
    const issued = await challenges.issue(userIdOf(req), query.concertId);
    res.setHeader('Cache-Control', 'no-store');
    res.json(issued ? { required: true, ...issued } : { required: false });
  });
  return r;
}

export function joinChallengeCheck(challenges: JoinChallenges): RequestHandler {
  return async (req, _res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return next(); // the join's validation answers 400
    const { challenge, nonce, ...rest } = body;
    req.body = rest;
    const concertId = rest.concertId;
    if (typeof concertId === 'number' && Number.isSafeInteger(concertId) && concertId > 0) {
      await challenges.check(userIdOf(req), concertId, { challenge, nonce });
    }
    next();
  };
}
