// Composition of the API: the services every router shares, and the routers in mount order.
import express, { Router } from 'express';
import { z } from 'zod';
import type { Runtime } from '../platform/runtime.ts';
import { ResponseCache } from '../platform/cache.ts';
import { createRedis } from '../platform/redis.ts';
import { withTimeout } from '../platform/health.ts';
import { WaitingRoom } from '../domain/queue/queue.service.ts';
import { LineStateFeed } from '../domain/queue/queue.broadcast.ts';
import { QueueStreamHub } from './queue.stream.ts';
import { getConcert } from '../domain/catalog/catalog.service.ts';
import { CATALOG_CACHE, catalogKeys } from '../domain/catalog/catalog.cache.ts';
import { JobQueues } from '../jobs/jobs.queues.ts';
import { JobEvents } from '../jobs/jobs.events.ts';
import { USER_JOBS } from '../jobs/jobs.catalog.ts';
import { requireAdmin, requireUser, userIdOf } from './auth.ts';
import { ApiDocs } from './openapi.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { fairnessRoutes } from './fairness.routes.ts';
import { queueRoutes } from './queue.routes.ts';
import { jobRoutes } from './jobs.routes.ts';
import { JobSubmitter } from './jobs.submit.ts';
import { reservationRoutes } from './reservation.routes.ts';
import { paymentRoutes } from './payment.routes.ts';
import { walletRoutes } from './wallet.routes.ts';
import type { ApiContext } from './context.ts';
import { adminRoutes } from './admin.ts';
import { rankingRoutes } from './ranking.routes.ts';
import { outboxMetrics } from './outbox.metrics.ts';
import { historyRoutes } from './history.routes.ts';
import { organizerRoutes } from './organizer.routes.ts';
import { organizerPageRoutes } from './organizer.page.ts';
import { funnelMetrics } from './organizer.metrics.ts';
import { Funnels } from '../domain/organizer/organizer.funnel.ts';
import { devRoutes } from './dev.routes.ts';
import { defaultWebDir, webRoutes } from './web.routes.ts';
import { RateLimits } from './rate-limit.ts';
import { JoinChallenges } from '../domain/challenge/challenge.service.ts';
import { joinChallengeCheck, joinChallengeRoutes } from './join-challenge.ts';

export interface Api {
  apiRouters: Router[];
  rootRouters: Router[];
  cache: ResponseCache;
  limits: RateLimits;
  waitingRoom: WaitingRoom;
  challenges: JoinChallenges;
  queues: JobQueues;
  jobEvents: JobEvents;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function buildApi(runtime: Runtime): Api {
  const { config, redis, orm, metrics, logger } = runtime;
  const limits = new RateLimits(redis, config, metrics);
  const docs = new ApiDocs({ rateLimit: (cls) => limits.middleware(cls) });
  const auth = requireUser(config);
  const em = () => orm.em.fork();
  const cache = new ResponseCache(redis, config.REDIS_PREFIX, metrics, {
    maxEntries: config.CACHE_L1_MAX_ENTRIES, maxBytes: config.CACHE_L1_MAX_BYTES, notFoundTtlMs: config.CATALOG_NOT_FOUND_TTL_MS,
  });
  const queues = new JobQueues(redis, config.REDIS_PREFIX, { tickMs: config.QUEUE_TICK_MS });
  const waitingRoom = WaitingRoom.fromConfig(redis, config);
  const blocking = createRedis(config, 'blocking');
  blocking.on('error', () => undefined);
  // One subscription per process to the admission ticks' broadcasts feeds every queue stream.
  const lineFeed = new LineStateFeed(createRedis(config, 'blocking'), config.REDIS_PREFIX);
  const queueStream = new QueueStreamHub(waitingRoom, lineFeed, logger, (id) => queues.ensureAdmissionTicker(id));
  // One completion subscription per process, on every queue users submit to.
  const jobEvents = new JobEvents(blocking, config.REDIS_PREFIX, [...new Set(USER_JOBS.map(([, d]) => d.queue))]);
  const jobs = JobSubmitter.fromConfig(redis, config, queues, jobEvents);
  // Served from the concert-detail cache, so joining a line costs no MySQL query in a rush.
  const concert = async (id: number) =>
    JSON.parse(await cache.get('concert_detail', catalogKeys.concertDetail(id), CATALOG_CACHE.concertDetail, () => getConcert(em(), id)));
  const saleOpensAt = async (id: number): Promise<number> => {
    const c = (await concert(id)) as { saleOpensAt: string | null };
    return c.saleOpensAt ? Date.parse(c.saleOpensAt) : 0;
  };
  const challenges = new JoinChallenges(redis, {
    secret: config.JOIN_CHALLENGE_SECRET, difficulty: config.JOIN_CHALLENGE_DIFFICULTY, ttlSeconds: config.JOIN_CHALLENGE_TTL_SECONDS, prefix: config.REDIS_PREFIX,
  });
  outboxMetrics(metrics, em);
  const funnels = new Funnels(em, redis, config.REDIS_PREFIX);
  funnelMetrics(metrics, funnels);
  const ctx: ApiContext = { config, logger, docs, auth, em, redis, cache, waitingRoom, queues, jobs, jobEvents, concert };
  const devSignIn = config.NODE_ENV !== 'production';

  return {
    // Express tries routers in order: the rush's hot routes (job polls, seat maps, submits) first.
    apiRouters: [
      jobRoutes(ctx),
      rankingRoutes(ctx), // before the catalog: /concerts/ranking is not /concerts/:id
      catalogRoutes(ctx),
      reservationRoutes(ctx),
      paymentRoutes(ctx),
      fairnessRoutes(ctx),
      joinChallengeRoutes(ctx, challenges),
      walletRoutes(ctx),
      accountRoutes(ctx),
      historyRoutes(ctx),
      organizerRoutes(ctx, { funnels, sales: waitingRoom, challenges }),
      // Development sign-in exists only outside production (there it is a 404).
      ...(devSignIn ? [devRoutes(ctx)] : []),
    ],
    rootRouters: [
      // The waiting room's hot routes, ahead of the JSON parser and the per-request ORM context.
      Router().use('/api', queueRoutes(ctx, { saleOpensAt, stream: queueStream, joinGuard: joinChallengeCheck(challenges) })),
      docs.router(), // /openapi.json and /docs
      adminGate(auth, config.ADMIN_BODY_LIMIT),
      organizerPageRoutes(),
      adminRoutes(Object.values(queues.queues), config.ADMIN_USER, config.ADMIN_PASSWORD, limits.adminLogin()),
      webRoutes({ dir: config.WEB_DIR ?? defaultWebDir(), devSignIn, signInUrl: config.WEB_SIGN_IN_URL }), // / and /app/*
    ],
    cache,
    limits,
    challenges,
    waitingRoom,
    queues,
    jobEvents,
    async start() {
      waitingRoom.heartbeats.start(config.QUEUE_HEARTBEAT_FLUSH_MS, (err) => logger.warn({ err }, 'queue heartbeat flush failed'));
      queueStream.start();
      // Like the cache subscription, never block start on Redis: ioredis subscribes once it connects.
      lineFeed.start().catch((err: Error) => logger.warn({ err: err.message }, 'queue state feed not subscribed yet'));
      await cache.start();
      await challenges.require(config.JOIN_CHALLENGE_CONCERTS.map(Number)).catch((err: Error) => logger.warn({ err: err.message }, 'could not apply JOIN_CHALLENGE_CONCERTS'));
      await jobEvents.start();
    },
    async stop() {
      // Bounded: BullMQ's close waits for Redis, which may be the thing that is down.
      await withTimeout(jobEvents.close(), 3000).catch(() => undefined);
      queueStream.stop();
      lineFeed.stop();
      await withTimeout(waitingRoom.heartbeats.stop(), 2000).catch(() => undefined);
      await cache.stop();
      await withTimeout(queues.close(), 3000).catch(() => undefined);
      blocking.disconnect();
    },
  };
}

/**
 * Everything under /api/admin is checked for the admin role before its body is read, and only
 * then parsed with the larger ADMIN_BODY_LIMIT (a 1,000-seat map is ~30 kB; a fan's 16 kB limit
 * stays as it is). The JSON parser mounted later for /api skips a body already parsed.
 */
function adminGate(auth: ReturnType<typeof requireUser>, bodyLimit: string): Router {
  const r = Router();
  r.use('/api/admin', auth, requireAdmin, express.json({ limit: bodyLimit }));
  return r;
}

function accountRoutes({ docs, auth }: ApiContext) {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/me', summary: 'Who the bearer token says I am', tags: ['account'], security: 'user', rateLimit: 'read',
    responses: { 200: { description: 'the caller', schema: z.object({ userId: z.number().int() }) } },
  }, [auth], (req, res) => {
    res.json({ userId: userIdOf(req) });
  });
  return r;
}
