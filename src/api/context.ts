// What every router factory gets: one object, built once in src/api/routes.ts.
import type { RequestHandler } from 'express';
import type { RedisClient } from '../platform/redis.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { EntityManager } from '../platform/db.ts';
import type { ResponseCache } from '../platform/cache.ts';
import type { WaitingRoom } from '../domain/queue/queue.service.ts';
import type { ConcertView } from '../domain/catalog/catalog.service.ts';
import type { JobQueues } from '../jobs/jobs.queues.ts';
import type { JobEvents } from '../jobs/jobs.events.ts';
import type { ApiDocs } from './openapi.ts';
import type { JobSubmitter } from './jobs.submit.ts';

export interface ApiContext {
  config: Config;
  logger: Logger;
  docs: ApiDocs;
  /** Requires a valid bearer token (sets the caller's user id). */
  auth: RequestHandler;
  /** A fresh EntityManager fork for a use case. */
  em: () => EntityManager;
  redis: RedisClient;
  cache: ResponseCache;
  waitingRoom: WaitingRoom;
  queues: JobQueues;
  jobs: JobSubmitter;
  jobEvents: JobEvents;
  /** A concert's detail, from the response cache. */
  concert: (id: number) => Promise<ConcertView>;
}
