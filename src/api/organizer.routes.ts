// The organizer and operator API under /api/admin: every route needs a bearer token with the
// `admin` role (401 without a token, 403 without the role), every change is written to the
// append-only audit log in its own transaction, and every catalog change invalidates the caches.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { getConcert, getSchedule } from '../domain/catalog/catalog.service.ts';
import { MAX_SEATS_PER_SCHEDULE } from '../domain/catalog/catalog.seatmap.ts';
import { addSchedule, editConcert, organizeConcert, type Actor } from '../domain/organizer/organizer.service.ts';
import { AUDIT_ACTIONS, listAdminActions } from '../domain/organizer/organizer.audit.ts';
import type { Funnels } from '../domain/organizer/organizer.funnel.ts';
import { switchChallenge, switchSale, type ChallengeSwitch, type SaleSwitch } from '../domain/organizer/organizer.sales.ts';
import { findReservationView } from '../domain/reservation/index.ts';
import { requireAdmin, userIdOf } from './auth.ts';
import { idParam } from './openapi.ts';
import type { ApiContext } from './context.ts';
import { acceptedSchema, idempotencyHeader, refusals } from './jobs.accepted.ts';
import { concertSchema } from './catalog.routes.ts';
import { DEFAULT_PAGE_SIZE, pageOf, pageQuery } from './pagination.ts';

const isoDateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const text = (max: number) => z.string().trim().min(1).max(max);
const concertFields = {
  title: text(200),
  artist: text(200),
  description: z.string().max(10_000).nullable().optional(),
  posterImageUrl: z.url({ protocol: /^https?$/ }).max(500).nullable().optional().describe('http(s) URL of the poster image'),
  durationMinutes: z.number().int().min(1).max(24 * 60),
  saleOpensAt: isoDateTime.nullable().optional().describe('announced opening of the sale; fans who join before it wait in a pre-queue'),
};
const seatNumber = z.number().int().min(1).max(1_000_000);
const price = z.number().int().min(0).max(1_000_000_000).describe('won');
const seatMapSchema = z.union([
  z.object({ seats: z.array(z.object({ seatNumber, price }).strict()).min(1).max(MAX_SEATS_PER_SCHEDULE).describe('explicit seats with their prices') }).strict(),
  z.object({ tiers: z.array(z.object({ from: seatNumber, to: seatNumber, price }).strict()).min(1).max(100).describe('price tiers over ranges of seat numbers, inclusive') }).strict(),
]).describe('either `seats` or `tiers`');
const auditSchema = z.object({
  id: z.number().int(), actorId: z.number().int(), action: z.string(), targetType: z.string(), targetId: z.string(),
  before: z.unknown(), after: z.unknown(), createdAt: z.string(),
});
const createdScheduleSchema = z.object({
  id: z.number().int(), concertId: z.number().int(), performanceAt: z.string(), bookingOpenAt: z.string(), bookingCloseAt: z.string(),
  maxSeatsPerUser: z.number().int(), seatCount: z.number().int(), status: z.string(),
  prices: z.array(z.object({ price: z.number().int(), seats: z.number().int() })),
});
const funnelSchema = z.object({
  concertId: z.number().int(), at: z.string(),
  joined: z.number().int(), waiting: z.number().int(), admitted: z.number().int(), active: z.number().int(), abandoned: z.number().int(),
  holding: z.number().int(), paid: z.number().int(), released: z.number().int(), expired: z.number().int(),
  reservationsByStatus: z.record(z.string(), z.number().int()),
  soldOut: z.boolean(), schedules: z.number().int(), soldOutSchedules: z.number().int(),
  seatsTotal: z.number().int(), seatsLeft: z.number().int(), seatsHeld: z.number().int(), seatsSold: z.number().int(),
});

export interface OrganizerParts {
  funnels: Funnels;
  /** The waiting room's switch that stops and restarts admission. */
  sales: SaleSwitch;
  /** The per-concert switch of the join challenge. */
  challenges: ChallengeSwitch;
}

/** The sale's two switches: one route each, the same shape. */
const SALE_SWITCHES = [
  { action: 'pause', paused: true, summary: 'Pause a sale: admission stops, fans keep their places and are told PAUSED' },
  { action: 'resume', paused: false, summary: 'Resume a paused sale: admission restarts in line order' },
] as const;

const actor = (req: Request): Actor => ({ actorId: userIdOf(req), now: new Date() });

export function organizerRoutes(ctx: ApiContext, d: OrganizerParts): Router {
  const { docs, em, cache, jobs } = ctx;
  const guard = [ctx.auth, requireAdmin];
  const r = Router();
  const tags = ['admin'];

  docs.route(r, {
    method: 'get', path: '/admin/audit', summary: 'The audit log of admin actions, newest first (paginated)', tags, security: 'admin',
    query: z.object({
      ...pageQuery,
      action: z.enum(AUDIT_ACTIONS).optional(),
      targetType: z.enum(['concert', 'schedule', 'reservation']).optional(),
      targetId: z.string().regex(/^[1-9]\d{0,18}$/, 'must be a positive integer').optional(),
      actorId: idParam.optional(),
    }),
    responses: { 200: { description: 'a page of audit entries', schema: pageOf(auditSchema) } },
  }, guard, async (_req, res, { query }) => {
    res.json(await listAdminActions(em(), { ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE }));
  });

  docs.route(r, {
    method: 'post', path: '/admin/concerts', summary: 'Create a concert', tags, security: 'admin',
    body: z.object(concertFields).strict(),
    responses: { 201: { description: 'the concert', schema: concertSchema } },
  }, guard, async (req, res, { body }) => {
    res.status(201).json(await organizeConcert({ em, cache }, actor(req), body));
  });

  docs.route(r, {
    method: 'patch', path: '/admin/concerts/:id', summary: 'Change a concert (only the fields given; null clears an optional one)', tags, security: 'admin',
    params: z.object({ id: idParam }),
    body: z.object({
      title: concertFields.title.optional(), artist: concertFields.artist.optional(), description: concertFields.description,
      posterImageUrl: concertFields.posterImageUrl, durationMinutes: concertFields.durationMinutes.optional(), saleOpensAt: concertFields.saleOpensAt,
    }).strict().refine((b) => Object.keys(b).length > 0, 'give at least one field to change'),
    responses: { 200: { description: 'the concert after the change', schema: concertSchema } },
  }, guard, async (req, res, { params, body }) => {
    res.json(await editConcert({ em, cache }, actor(req), params.id, body));
  });

  docs.route(r, {
    method: 'post', path: '/admin/concerts/:id/schedules', summary: 'Add a schedule with its whole seat map (explicit seats or price tiers)', tags, security: 'admin',
    params: z.object({ id: idParam }),
    body: z.object({
      performanceAt: isoDateTime,
      bookingOpenAt: isoDateTime,
      bookingCloseAt: isoDateTime.describe('after bookingOpenAt, not after performanceAt'),
      maxSeatsPerUser: z.number().int().min(1).max(100).optional().describe('default MAX_SEATS_PER_USER'),
      seatMap: seatMapSchema,
    }).strict(),
    responses: { 201: { description: 'the schedule, its seat count and prices', schema: createdScheduleSchema } },
  }, guard, async (req, res, { params, body }) => {
    const created = await addSchedule({ em, cache }, actor(req), params.id, { ...body, maxSeatsPerUser: body.maxSeatsPerUser ?? ctx.config.MAX_SEATS_PER_USER });
    res.status(201).json(created);
  });

  docs.route(r, {
    method: 'get', path: '/admin/concerts/:id/funnel', summary: 'The live funnel of a concert\'s sale (queue and reservation counts, seats left)', tags, security: 'admin',
    params: z.object({ id: idParam }),
    responses: { 200: { description: 'the funnel now', schema: funnelSchema } },
  }, guard, async (_req, res, { params }) => {
    await getConcert(em(), params.id);
    res.json(await d.funnels.of(params.id));
  });

  for (const { action, paused, summary } of SALE_SWITCHES) {
    docs.route(r, {
      method: 'post', path: `/admin/concerts/:id/${action}`, tags, security: 'admin', summary,
      params: z.object({ id: idParam }),
      responses: { 200: { description: 'the sale\'s switch now', schema: z.object({ concertId: z.number().int(), paused: z.boolean() }) } },
    }, guard, async (req, res, { params }) => {
      res.json(await switchSale(em, d.sales, actor(req), params.id, paused));
      // A resumed line needs its admission ticks running again.
      if (!paused) await ctx.queues.ensureAdmissionTicker(params.id);
    });
  }

  docs.route(r, {
    method: 'post', path: '/admin/concerts/:id/challenge', tags, security: 'admin',
    summary: 'Require (or stop requiring) the proof-of-work join challenge for a concert\'s line',
    params: z.object({ id: idParam }),
    body: z.object({ enabled: z.boolean() }).strict(),
    responses: {
      200: {
        description: 'the switch now; `difficulty` 0 means JOIN_CHALLENGE_DIFFICULTY is 0 and no concert is challenged whatever the switch',
        schema: z.object({ concertId: z.number().int(), enabled: z.boolean(), difficulty: z.number().int() }),
      },
    },
  }, guard, async (req, res, { params, body }) => {
    res.json({ ...(await switchChallenge(em, d.challenges, actor(req), params.id, body.enabled)), difficulty: ctx.config.JOIN_CHALLENGE_DIFFICULTY });
  });

  docs.route(r, {
    method: 'post', path: '/admin/schedules/:id/cancel', tags, security: 'admin',
    summary: 'Cancel a schedule (a job): holds released, paid reservations refunded to wallets, no more holds',
    params: z.object({ id: idParam }),
    headers: idempotencyHeader,
    responses: { 202: { description: 'accepted; poll /api/jobs/{id} for the counts', schema: acceptedSchema }, ...refusals },
  }, guard, async (req, res, { params }) => {
    await getSchedule(em(), params.id); // an unknown schedule is a 404 now, not a failed job later
    await jobs.submit(req, res, 'admin.cancel', { userId: userIdOf(req), scheduleId: params.id });
  });

  docs.route(r, {
    method: 'post', path: '/admin/reservations/:id/refund', tags, security: 'admin',
    summary: 'Refund a confirmed reservation (a job): the wallet credited, its seats back on sale',
    params: z.object({ id: idParam }),
    headers: idempotencyHeader,
    responses: { 202: { description: 'accepted; poll /api/jobs/{id} for the refund', schema: acceptedSchema }, ...refusals },
  }, guard, async (req, res, { params }) => {
    await findReservationView(em(), params.id);
    await jobs.submit(req, res, 'admin.refund', { userId: userIdOf(req), reservationId: params.id });
  });

  return r;
}
