// Public, cached catalog reads. Bodies are served from the response cache as serialized JSON.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { EntityManager } from '../platform/db.ts';
import type { ResponseCache } from '../platform/cache.ts';
import { getConcert, listConcerts, listSchedules, seatMap, withBookable, type ScheduleRow } from '../domain/catalog/catalog.service.ts';
import { CATALOG_CACHE, catalogKeys, catalogTags } from '../domain/catalog/catalog.cache.ts';
import { SEAT_STATUSES } from '../domain/catalog/catalog.entity.ts';
import { idParam, type ApiDocs } from './openapi.ts';

export const concertSchema = z.object({
  id: z.number().int(), title: z.string(), artist: z.string(), description: z.string().nullable(),
  posterImageUrl: z.string().nullable(), durationMinutes: z.number().int(),
  saleOpensAt: z.string().nullable().describe('announced opening of the sale (ISO-8601), null when open'),
});
export const scheduleSchema = z.object({
  id: z.number().int(), concertId: z.number().int(), performanceAt: z.string(), bookingOpenAt: z.string(), bookingCloseAt: z.string(),
  maxSeatsPerUser: z.number().int(), seatCount: z.number().int(), status: z.string(), bookable: z.boolean(),
});
const seatSchema = z.object({ seatNumber: z.number().int(), price: z.number().int(), status: z.enum(SEAT_STATUSES) });

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date or date-time');
const DAY = 86_400_000;

const sendJson = (res: Response, body: string) => res.type('application/json').send(body);

export function catalogRoutes(docs: ApiDocs, cache: ResponseCache, em: () => EntityManager): Router {
  const r = Router();

  docs.route(r, {
    method: 'get', path: '/concerts', summary: 'List concerts', tags: ['catalog'], security: 'public',
    responses: { 200: { description: 'all concerts', schema: z.array(concertSchema) } },
  }, [], async (_req, res) => {
    sendJson(res, await cache.get('concert_list', catalogKeys.concertList(), CATALOG_CACHE.concertList, () => listConcerts(em())));
  });

  docs.route(r, {
    method: 'get', path: '/concerts/:id', summary: 'One concert', tags: ['catalog'], security: 'public',
    params: z.object({ id: idParam }),
    responses: { 200: { description: 'the concert', schema: concertSchema } },
  }, [], async (_req, res, { params }) => {
    sendJson(res, await cache.get('concert_detail', catalogKeys.concertDetail(params.id), CATALOG_CACHE.concertDetail, () => getConcert(em(), params.id)));
  });

  docs.route(r, {
    method: 'get', path: '/concerts/:id/schedules', summary: 'Schedules of a concert (bookable ones unless all=true)', tags: ['catalog'], security: 'public',
    params: z.object({ id: idParam }),
    query: z.object({
      from: isoDate.optional().describe('performances from (default: today, UTC)'),
      to: isoDate.optional().describe('performances before (default: from + 90 days)'),
      all: z.enum(['true', 'false']).optional().describe('include schedules not bookable now'),
    }),
    responses: { 200: { description: 'schedules in performance order', schema: z.array(scheduleSchema) } },
  }, [], async (_req, res, { params, query }) => {
    const from = query.from ? new Date(query.from) : new Date(Math.floor(Date.now() / DAY) * DAY);
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + 90 * DAY);
    const body = await cache.get(
      'schedules', catalogKeys.schedules(params.id, from.toISOString(), to.toISOString()), CATALOG_CACHE.schedules,
      () => listSchedules(em(), params.id, { from, to }), [catalogTags.schedules(params.id)],
    );
    const views = withBookable(JSON.parse(body) as ScheduleRow[], new Date());
    res.json(query.all === 'true' ? views : views.filter((s) => s.bookable));
  });

  docs.route(r, {
    method: 'get', path: '/schedules/:id/seats', summary: 'Seat map of a schedule (status=available filters)', tags: ['catalog'], security: 'public',
    params: z.object({ id: idParam }),
    query: z.object({ status: z.enum(['available', 'held', 'sold']).optional() }),
    responses: { 200: { description: 'seats by number', schema: z.object({ scheduleId: z.number().int(), seats: z.array(seatSchema) }) } },
  }, [], async (_req, res, { params, query }) => {
    const status = query.status ? (query.status.toUpperCase() as (typeof SEAT_STATUSES)[number]) : undefined;
    sendJson(res, await cache.get('seats', catalogKeys.seats(params.id, status), CATALOG_CACHE.seats, () => seatMap(em(), params.id, status)));
  });

  return r;
}
