// Rate limits per route class, per user and per client IP, shared by every API process (Redis,
// rate-limiter-flexible's atomic INCR+TTL script, fixed windows that start at the first request).
//
// A route opts in with one word in its declaration: `docs.route(r, { ..., rateLimit: 'submit' })`
// (see ApiDocs in openapi.ts). The per-user limit applies when the route's middlewares
// authenticated the caller; the per-IP limit always (req.ip, which honours TRUST_PROXY).
//
// Over a limit: 429 RATE_LIMITED with Retry-After (seconds until the window frees a point).
// Redis down: each process falls back to an in-memory limiter with the same numbers (insurance),
// so a Redis outage neither lets a flood through nor turns every request into a 503 by itself.
// A key that went over its limit is then refused from process memory until its window ends, so
// a flooder costs no Redis command per request (inMemoryBlockOnConsumed).
import type { Request, RequestHandler } from 'express';
import type { RedisClient } from '../platform/redis.ts';
import type { Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { sharedCounter } from '../platform/metrics.ts';

/**
 * join: POST /api/queue/tokens · poll: queue status, job polls and streams (generous: a fan who
 * obeys the server's pollAfterMs uses a fraction of it) · submit: anything that enqueues a job ·
 * read: other authenticated reads · catalog: public reads (per IP only).
 */
export const RATE_LIMIT_CLASSES = ['join', 'poll', 'submit', 'read', 'catalog'] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

interface Rule { points: number; seconds: number }
type Limiter = RateLimiterRedis;

/** Client address as the limit key; an IPv6 client is keyed by its /64 (one host owns a whole /64). */
function clientKey(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (ip.startsWith('::ffff:')) return ip.slice(7);
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const full = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class RateLimits {
  readonly enabled: boolean;
  private readonly limiters: Record<RateLimitClass, { user?: Limiter; ip?: Limiter }>;
  private readonly adminLoginLimiter?: Limiter;
  private readonly refused;

  constructor(redis: RedisClient, config: Config, metrics: Registry) {
    this.enabled = config.RATE_LIMITS === 'on';
    this.refused = sharedCounter(metrics, 'rate_limited_total', 'requests refused with 429 RATE_LIMITED', ['class', 'by']);
    const make = (name: string, rule: Rule | undefined): Limiter | undefined => {
      if (!rule || !this.enabled) return undefined;
      const opts = { keyPrefix: `${config.REDIS_PREFIX}:rl:${name}`, points: rule.points, duration: rule.seconds };
      return new RateLimiterRedis({
        ...opts,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        inMemoryBlockOnConsumed: rule.points + 1,
        insuranceLimiter: new RateLimiterMemory(opts),
      });
    };
    this.limiters = {
      join: { user: make('join:u', config.RATE_LIMIT_JOIN_PER_USER), ip: make('join:ip', config.RATE_LIMIT_JOIN_PER_IP) },
      poll: { user: make('poll:u', config.RATE_LIMIT_POLL_PER_USER), ip: make('poll:ip', config.RATE_LIMIT_POLL_PER_IP) },
      submit: { user: make('submit:u', config.RATE_LIMIT_SUBMIT_PER_USER), ip: make('submit:ip', config.RATE_LIMIT_SUBMIT_PER_IP) },
      read: { user: make('read:u', config.RATE_LIMIT_READ_PER_USER), ip: make('read:ip', config.RATE_LIMIT_READ_PER_IP) },
      catalog: { ip: make('catalog:ip', config.RATE_LIMIT_CATALOG_PER_IP) },
    };
    this.adminLoginLimiter = make('admin-login:ip', config.RATE_LIMIT_ADMIN_LOGIN_PER_IP);
  }

  /** The middleware of one route class; a no-op when limits are off. */
  middleware(cls: RateLimitClass): RequestHandler {
    const { user, ip } = this.limiters[cls];
    if (!user && !ip) return (_req, _res, next) => next();
    return async (req, res, next) => {
      const checks: Promise<unknown>[] = [];
      const by: string[] = [];
      if (user && req.userId !== undefined) { checks.push(user.consume(String(req.userId))); by.push('user'); }
      if (ip) { checks.push(ip.consume(clientKey(req))); by.push('ip'); }
      const results = await Promise.allSettled(checks);
      let waitMs = 0;
      let limited = false;
      results.forEach((r, i) => {
        // A rejection that is not a RateLimiterRes is a store error the insurance could not
        // absorb: let the request through (the dependency's own 503 follows if it matters).
        if (r.status === 'rejected' && r.reason instanceof RateLimiterRes) {
          waitMs = Math.max(waitMs, r.reason.msBeforeNext);
          limited = true;
          this.refused.inc({ class: cls, by: by[i]! });
        }
      });
      if (limited) throw rateLimited(cls, waitMs);
      res.setHeader('X-RateLimit-Class', cls);
      next();
    };
  }

  /**
   * Guards a basic-auth login (the Bull Board): only failed attempts count, per client IP; over
   * the limit every attempt from that IP gets 429 until the window ends, right or wrong.
   */
  adminLogin(): RequestHandler {
    const limiter = this.adminLoginLimiter;
    if (!limiter) return (_req, _res, next) => next();
    return async (req, res, next) => {
      const key = clientKey(req);
      const seen = await limiter.get(key).catch(() => null);
      if (seen && seen.consumedPoints >= limiter.points) throw rateLimited('admin-login', seen.msBeforeNext);
      res.on('finish', () => {
        if (res.statusCode === 401) limiter.penalty(key).catch(() => undefined);
      });
      next();
    };
  }
}

function rateLimited(cls: string, waitMs: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('RATE_LIMITED', `too many ${cls} requests; retry in ${retryAfterSeconds} s`, { limit: cls, retryAfterSeconds });
}
