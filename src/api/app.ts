import express, { type Express, type Router } from 'express';
import { RequestContext } from '@mikro-orm/core';
import type { Runtime } from '../platform/runtime.ts';
import { errorHandler, notFound } from './errors.ts';
import { httpMetrics } from './metrics.middleware.ts';
import { healthRoutes, opsRoutes } from './health.routes.ts';

export interface AppParts {
  runtime: Runtime;
  /** Mounted under /api in order; the module routers decide which routes need a user. */
  apiRouters: Router[];
  /** Mounted at the root before /api, e.g. the Bull Board under /admin/queues and /docs. */
  rootRouters?: Router[];
}

export function createApp({ runtime, apiRouters, rootRouters = [] }: AppParts): Express {
  const { config, logger, orm, metrics, checks } = runtime;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY); // false, true, a hop count or addresses (config.ts)
  app.set('json spaces', 0);
  app.use(httpMetrics(metrics));
  app.use(healthRoutes(checks, metrics, config));
  for (const r of rootRouters) app.use(r);
  app.use(express.json({ limit: config.BODY_LIMIT }));
  // Use cases get their own fork (ApiContext.em). This is the safety net for anything that reaches
  // the global orm.em during a request: it gets a per-request fork, never the shared identity map.
  app.use((_req, _res, next) => RequestContext.create(orm.em, next));
  for (const r of apiRouters) app.use('/api', r);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/** The ops port's app (OPS_PORT): /metrics and /health/details, never published outside the host/cluster. */
export function createOpsApp(runtime: Runtime): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRoutes(runtime.checks, runtime.metrics));
  app.use(notFound);
  app.use(errorHandler(runtime.logger));
  return app;
}
