// Composition of the API: the services every router shares, and the routers in mount order.
import { Router } from 'express';
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
import { requireUser, userIdOf } from './auth.ts';
import { ApiDocs } from './openapi.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { queueRoutes } from './queue.routes.ts';
import { jobRoutes } from './jobs.routes.ts';
import { JobSubmitter } from './jobs.submit.ts';
import { reservationRoutes, walletRoutes } from './reservation.routes.ts';
import { adminRoutes } from './admin.ts';
import { rankingRoutes } from './ranking.routes.ts';
import { Rankings } from '../domain/ranking/ranking.service.ts';
import { outboxMetrics } from './outbox.metrics.ts';
import { devRoutes } from './dev.routes.ts';
import { defaultWebDir, webRoutes } from './web.routes.ts';

export interface Api {
  apiRouters: Router[];
  rootRouters: Router[];
  cache: ResponseCache;
  waitingRoom: WaitingRoom;
  queues: JobQueues;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function buildApi(runtime: Runtime): Api {
  const { config, redis, orm, metrics, logger } = runtime;
  const docs = new ApiDocs();
  const auth = requireUser(config.JWT_SECRET, config.JWT_ROLES_CLAIM);
  const em = () => orm.em.fork();
  const cache = new ResponseCache(redis, config.REDIS_PREFIX, metrics);
  const queues = new JobQueues(redis, config.REDIS_PREFIX, { tickMs: config.QUEUE_TICK_MS });
  const waitingRoom = WaitingRoom.fromConfig(redis, config);
  const blocking = createRedis(config, 'blocking');
  blocking.on('error', () => undefined);
  // One subscription per process to the admission ticks' broadcasts feeds every queue stream.
  const lineFeed = new LineStateFeed(createRedis(config, 'blocking'), config.REDIS_PREFIX);
  const queueStream = new QueueStreamHub(waitingRoom, lineFeed, logger, (id) => queues.ensureAdmissionTicker(id));
  const jobs = new JobSubmitter(queues, redis, config.REDIS_PREFIX);
  // Served from the concert-detail cache, so joining a line costs no MySQL query in a rush.
  const concert = async (id: number) =>
    JSON.parse(await cache.get('concert_detail', catalogKeys.concertDetail(id), CATALOG_CACHE.concertDetail, () => getConcert(em(), id)));
  const concertExists = async (id: number) => {
    await concert(id);
  };
  outboxMetrics(metrics, em);
  const orderDeps = { docs, auth, room: waitingRoom, jobs, em, maxCharge: config.WALLET_MAX_CHARGE };
  const devSignIn = config.NODE_ENV !== 'production';
  const jobsApi = jobRoutes(docs, auth, queues, blocking, config.REDIS_PREFIX, config.JOB_WAIT_MAX_MS, logger);

  return {
    apiRouters: [
      rankingRoutes(docs, new Rankings(redis, config.REDIS_PREFIX), concert),
      catalogRoutes(docs, cache, em),
      reservationRoutes(orderDeps),
      walletRoutes(orderDeps),
      jobsApi.router,
      accountRoutes(docs, auth),
      // Development sign-in exists only outside production (there it is a 404).
      ...(devSignIn ? [devRoutes(docs, config.JWT_SECRET, config.JWT_ROLES_CLAIM)] : []),
    ],
    rootRouters: [
      // The waiting room's hot routes, ahead of the JSON parser and the per-request ORM context.
      Router().use('/api', queueRoutes(docs, auth, waitingRoom, queues, concertExists, queueStream, config.BODY_LIMIT)),
      docs.router(), // /openapi.json and /docs
      adminRoutes(Object.values(queues.queues), config.ADMIN_USER, config.ADMIN_PASSWORD),
      webRoutes({ dir: config.WEB_DIR ?? defaultWebDir(), devSignIn, signInUrl: config.WEB_SIGN_IN_URL }), // / and /app/*
    ],
    cache,
    waitingRoom,
    queues,
    async start() {
      waitingRoom.heartbeats.start(config.QUEUE_HEARTBEAT_FLUSH_MS, (err) => logger.warn({ err }, 'queue heartbeat flush failed'));
      queueStream.start();
      // Like the cache subscription, never block start on Redis: ioredis subscribes once it connects.
      lineFeed.start().catch((err: Error) => logger.warn({ err: err.message }, 'queue state feed not subscribed yet'));
      await cache.start();
      await jobsApi.start();
    },
    async stop() {
      // Bounded: BullMQ's close waits for Redis, which may be the thing that is down.
      await withTimeout(jobsApi.close(), 3000).catch(() => undefined);
      queueStream.stop();
      lineFeed.stop();
      await withTimeout(waitingRoom.heartbeats.stop(), 2000).catch(() => undefined);
      await cache.stop();
      await withTimeout(queues.close(), 3000).catch(() => undefined);
      blocking.disconnect();
    },
  };
}

function accountRoutes(docs: ApiDocs, auth: ReturnType<typeof requireUser>) {
  const r = Router();
  docs.route(r, {
    method: 'get', path: '/me', summary: 'Who the bearer token says I am', tags: ['account'], security: 'user',
    responses: { 200: { description: 'the caller', schema: z.object({ userId: z.number().int() }) } },
  }, [auth], (req, res) => {
    res.json({ userId: userIdOf(req) });
  });
  return r;
}
