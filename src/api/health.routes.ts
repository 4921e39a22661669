// Health and operations endpoints.
//   Public (API port): /health/live, and /health/ready, which depends only on what the API needs
//   to serve (MySQL, Redis; not Kafka, which only the workers' outbox relay needs) and names no
//   internal error text. It also says whether rate limits are on (the load runner records it).
//   Ops: /metrics and /health/details (every dependency, with its error text) on OPS_PORT, a
//   port that is never published; without OPS_PORT, on the API port behind OPS_TOKEN; with
//   neither, only outside production.
import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { runChecks, type Check } from '../platform/health.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';

type OpsConfig = Pick<Config, 'NODE_ENV' | 'OPS_PORT' | 'OPS_TOKEN' | 'RATE_LIMITS'>;
/** What the API process needs to serve requests. */
const API_NEEDS = ['mysql', 'redis'];
const OPS_PATHS = ['/metrics', '/health/details'];

export function healthRoutes(checks: Record<string, Check>, metrics: Registry, config: OpsConfig): Router {
  const r = Router();
  const needed = Object.fromEntries(Object.entries(checks).filter(([name]) => API_NEEDS.includes(name)));
  r.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/health/ready', async (_req, res) => {
    const report = await runChecks(needed);
    const summary = Object.fromEntries(Object.entries(report.checks).map(([name, c]) => [name, { status: c.status }]));
    res.status(report.status === 'ok' ? 200 : 503).json({ status: report.status, checks: summary, rateLimits: config.RATE_LIMITS });
  });
  // Without an ops port the ops endpoints live here, behind the token (or open in development).
  if (config.OPS_PORT === undefined) {
    const guard = opsGuard(config);
    if (guard) {
      r.use((req, res, next) => (OPS_PATHS.includes(req.path) ? guard(req, res, next) : next()));
      r.use(opsRoutes(checks, metrics));
    }
  }
  return r;
}

/** /metrics and /health/details; mounted on the ops port as they are, or behind opsGuard. */
export function opsRoutes(checks: Record<string, Check>, metrics: Registry): Router {
  const r = Router();
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  r.get('/health/details', async (_req, res) => {
    const report = await runChecks(checks);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  return r;
}

/** Bearer OPS_TOKEN (constant-time compare); undefined means: do not mount (production without a token). */
function opsGuard(config: OpsConfig): RequestHandler | undefined {
  const token = config.OPS_TOKEN;
  if (!token) return config.NODE_ENV === 'production' ? undefined : (_req, _res, next) => next();
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('UNAUTHENTICATED', 'the ops endpoints need Authorization: Bearer <OPS_TOKEN>');
    }
    next();
  };
}
