// GET /api/concerts/ranking — registered before /concerts/:id so "ranking" is not read as an id.
import { Router } from 'express';
import { z } from 'zod';
import { Rankings } from '../domain/ranking/ranking.service.ts';
import { PERIODS, RANKING_TYPES } from '../domain/ranking/ranking.keys.ts';
import { AppError } from '../platform/errors.ts';
import type { ApiContext } from './context.ts';

const MAX_LIMIT = 50;

export function rankingRoutes({ docs, redis, config, concert }: ApiContext, clock: () => Date = () => new Date()): Router {
  const r = Router();
  const rankings = new Rankings(redis, config.REDIS_PREFIX);
  docs.route(r, {
    method: 'get', path: '/concerts/ranking', summary: 'Most-paid concerts, or fastest sell-outs, of the current day, ISO week or month', tags: ['catalog'], security: 'public', rateLimit: 'catalog',
    query: z.object({
      type: z.enum(RANKING_TYPES).default('popular'),
      period: z.enum(PERIODS).default('daily'),
      limit: z.string().regex(/^\d{1,4}$/, 'must be a whole number').transform(Number).default(10)
        .describe(`at most ${MAX_LIMIT}; larger values are capped`),
    }),
    responses: {
      200: {
        description: 'best first',
        schema: z.array(z.object({
          rank: z.number().int(), concert: z.unknown(), score: z.number(),
          scheduleId: z.number().int().optional().describe('sellout: the schedule that sold out'),
        })),
      },
    },
  }, [], async (_req, res, { query }) => {
    if (query.limit < 1) throw new AppError('VALIDATION_FAILED', 'query.limit: must be at least 1', { in: 'query', field: 'limit' });
    const top = await rankings.top(query.type, query.period, Math.min(query.limit, MAX_LIMIT), clock());
    const rows = await Promise.all(top.map(async ({ member, score }, i) => {
      const [concertId, scheduleId] = member.split(':').map(Number);
      const base = { rank: i + 1, concert: await concert(concertId!), score };
      return query.type === 'sellout' ? { ...base, scheduleId } : base;
    }));
    res.json(rows);
  });
  return r;
}
