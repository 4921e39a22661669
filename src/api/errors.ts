// The one place where errors become HTTP. Routes have no try/catch: Express 5 forwards async
// throws here. Nothing below ever sends a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';
import { isDependencyError } from '../platform/dependency-errors.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * Stable error code → HTTP status. A code raised on a request path but missing here is a bug and
 * answers 500; codes only a job ends with (SEAT_UNAVAILABLE, ...) need none. The table in
 * docs/architecture.md is generated from this map (`npm run docs:errors`).
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  QUEUE_TOKEN_MISSING: 401,
  QUEUE_TOKEN_INVALID: 401,
  QUEUE_TOKEN_NOT_ACTIVE: 403,
  QUEUE_TOKEN_WRONG_CONCERT: 403,
  QUEUE_TOKEN_FORBIDDEN: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONCERT_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  RESERVATION_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  QUEUE_TOKEN_NOT_FOUND: 404,
  RESERVATION_NOT_PENDING: 409,
  RESERVATION_NOT_CONFIRMED: 409,
  ILLEGAL_TRANSITION: 409,
  SOLD_OUT: 409,
  QUEUE_RESET: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  LIMIT_EXCEEDED: 422,
  RATE_LIMITED: 429,
  CHALLENGE_REQUIRED: 428,
  CHALLENGE_INVALID: 400,
  CHALLENGE_EXPIRED: 400,
  CHALLENGE_REPLAYED: 409,
  TOO_MANY_PENDING_JOBS: 429,
  OVERLOADED: 503,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export function statusFor(code: string): number {
  return ERROR_STATUS[code] ?? 500;
}

export const notFound: RequestHandler = (req) => {
  throw new AppError('NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

interface BodyParserError { type?: string; status?: number; expose?: boolean }

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let appError: AppError;
    const bp = err as BodyParserError;
    if (err instanceof AppError) {
      appError = err;
    } else if (bp?.type === 'entity.parse.failed') {
      appError = new AppError('MALFORMED_JSON', 'request body is not valid JSON');
    } else if (bp?.type === 'entity.too.large') {
      appError = new AppError('PAYLOAD_TOO_LARGE', 'request body is too large');
    } else if (bp?.type === 'charset.unsupported' || bp?.type === 'encoding.unsupported') {
      appError = new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding');
    } else if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) {
      // Other client errors raised by Express and its parsers (e.g. a path with malformed
      // %-encoding): a plain 400, never a 500.
      appError = new AppError('BAD_REQUEST', 'the request is malformed');
    } else if (isDependencyError(err)) {
      logger.warn({ err, path: req.path }, 'dependency unavailable');
      appError = new AppError('DEPENDENCY_UNAVAILABLE', 'a backing service is unavailable, try again shortly');
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      appError = new AppError('INTERNAL_ERROR', 'internal error');
    }
    const status = statusFor(appError.code);
    // A refusal that knows when to come back says so (details.retryAfterSeconds); other 429s and 503s: 1 s.
    const retryAfter = appError.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    else if (status === 503 || status === 429) res.setHeader('Retry-After', '1');
    if (res.headersSent) return;
    res.status(status).json({
      error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) },
    });
  };
}
