// Public, cached catalog reads. Bodies are served from the response cache as serialized JSON.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { getConcert, listConcerts, listSchedules, seatMap, withBookable, type ScheduleRow } from '../domain/catalog/catalog.service.ts';
import { scheduleWindow } from '../domain/catalog/catalog.rules.ts';
import { CATALOG_CACHE, catalogKeys, catalogTags } from '../domain/catalog/catalog.cache.ts';
import { SEAT_STATUSES } from '../domain/catalog/catalog.entity.ts';
import { idParam } from './openapi.ts';
import { SeatViews } from './seat-views.ts';
import type { ApiContext } from './context.ts';

export const concertSchema = z.object({
  id: z.number().int(), title: z.string(), artist: z.string(), description: z.string().nullable(),
  posterImageUrl: z.string().nullable(), durationMinutes: z.number().int(),
  saleOpensAt: z.string().nullable().describe('announced opening of the sale (ISO-8601), null when open'),
});
const scheduleSchema = z.object({
  id: z.number().int(), concertId: z.number().int(), performanceAt: z.string(), bookingOpenAt: z.string(), bookingCloseAt: z.string(),
  maxSeatsPerUser: z.number().int(), seatCount: z.number().int(), status: z.string(), bookable: z.boolean(),
});
const seatSchema = z.object({ seatNumber: z.number().int(), price: z.number().int(), status: z.enum(SEAT_STATUSES) });

// Whole days only: every distinct value is a cache key, so free-form date-times would let anyone
// grow the caches without bound (and `+275760-09-01T00:00:00Z` used to answer 500).
const day = z.string().max(10).regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');

const sendJson = (res: Response, body: string) => res.type('application/json').send(body);

export function catalogRoutes({ docs, cache, em, config }: ApiContext): Router {
  const maxWindowDays = config.CATALOG_MAX_WINDOW_DAYS;
  const seatViews = new SeatViews();
  const r = Router();

  docs.route(r, {
    method: 'get', path: '/concerts', summary: 'List concerts', tags: ['catalog'], security: 'public', rateLimit: 'catalog',
    responses: { 200: { description: 'all concerts', schema: z.array(concertSchema) } },
  }, [], async (_req, res) => {
    sendJson(res, await cache.get('concert_list', catalogKeys.concertList(), CATALOG_CACHE.concertList, () => listConcerts(em())));
  });

  docs.route(r, {
    method: 'get', path: '/concerts/:id', summary: 'One concert', tags: ['catalog'], security: 'public', rateLimit: 'catalog',
    params: z.object({ id: idParam }),
    responses: { 200: { description: 'the concert', schema: concertSchema } },
  }, [], async (_req, res, { params }) => {
    sendJson(res, await cache.get('concert_detail', catalogKeys.concertDetail(params.id), CATALOG_CACHE.concertDetail, () => getConcert(em(), params.id)));
  });

  docs.route(r, {
    method: 'get', path: '/concerts/:id/schedules', summary: 'Schedules of a concert (bookable ones unless all=true)', tags: ['catalog'], security: 'public', rateLimit: 'catalog',
    params: z.object({ id: idParam }),
    query: z.object({
      from: day.optional().describe('performances from this day (UTC; default today); within 2 × CATALOG_MAX_WINDOW_DAYS of today'),
      to: day.optional().describe('performances before this day (default from + 90 days); at most CATALOG_MAX_WINDOW_DAYS after from'),
      all: z.enum(['true', 'false']).optional().describe('include schedules not bookable now'),
    }),
    responses: { 200: { description: 'schedules in performance order', schema: z.array(scheduleSchema) } },
  }, [], async (_req, res, { params, query }) => {
    const { from, to } = scheduleWindow(query.from, query.to, new Date(), maxWindowDays);
    const body = await cache.get(
      'schedules', catalogKeys.schedules(params.id, from.toISOString(), to.toISOString()), CATALOG_CACHE.schedules,
      () => listSchedules(em(), params.id, { from, to }), [catalogTags.schedules(params.id)],
    );
    const views = withBookable(JSON.parse(body) as ScheduleRow[], new Date());
    res.json(query.all === 'true' ? views : views.filter((s) => s.bookable));
  });

  docs.route(r, {
    method: 'get', path: '/schedules/:id/seats', summary: 'Seat map of a schedule (status=available filters)', tags: ['catalog'], security: 'public', rateLimit: 'catalog',
    params: z.object({ id: idParam }),
    query: z.object({ status: z.enum(['available', 'held', 'sold']).optional() }),
    responses: { 200: { description: 'seats by number', schema: z.object({ scheduleId: z.number().int(), seats: z.array(seatSchema) }) } },
  }, [], async (_req, res, { params, query }) => {
    const status = query.status ? (query.status.toUpperCase() as (typeof SEAT_STATUSES)[number]) : undefined;
    const whole = await cache.get('seats', catalogKeys.seats(params.id), CATALOG_CACHE.seats, () => seatMap(em(), params.id));
    sendJson(res, seatViews.view(params.id, whole, status));
  });

  return r;
}
