// Bearer JWT (HS256, `sub` = numeric user id), as an upstream identity provider would issue.
// Every /api route except the public catalog reads goes through requireUser.
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';

const ALG = 'HS256';
const USER_ID = /^[1-9]\d{0,14}$/;

declare module 'express-serve-static-core' {
  interface Request {
    userId?: number;
  }
}

export function userIdOf(req: Request): number {
  if (req.userId === undefined) throw new AppError('UNAUTHENTICATED', 'authentication required');
  return req.userId;
}

export function requireUser(secret: string): RequestHandler {
  const key = new TextEncoder().encode(secret);
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) throw new AppError('UNAUTHENTICATED', 'missing Authorization: Bearer <token>');
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new AppError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: [ALG] });
      if (typeof payload.sub !== 'string' || !USER_ID.test(payload.sub)) {
        throw new AppError('INVALID_TOKEN', 'token subject must be a numeric user id');
      }
      req.userId = Number(payload.sub);
    } catch (err) {
      if (err instanceof AppError) throw err;
      const expired = err instanceof joseErrors.JWTExpired;
      throw new AppError('INVALID_TOKEN', expired ? 'token expired' : 'token is invalid');
    }
    next();
  };
}

/** Mints a token as the identity provider would; used by `npm run token`, tests and load runs. */
export async function signUserToken(secret: string, userId: number, ttlSeconds = 24 * 3600): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALG })
    .setSubject(String(userId))
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}
