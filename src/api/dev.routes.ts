// Development sign-in: mints a bearer token for any user, as the identity provider would. It is
// mounted only when NODE_ENV is development or test; in production the route does not exist (404)
// and fans bring a token from the real identity provider.
import { Router } from 'express';
import { z } from 'zod';
import { SignJWT } from 'jose';
import type { ApiContext } from './context.ts';

export function devRoutes({ docs, config }: ApiContext): Router {
  const r = Router();
  const rolesClaim = config.JWT_ROLES_CLAIM;
  const key = new TextEncoder().encode(config.JWT_SECRET);
  docs.route(r, {
    method: 'post', path: '/dev/tokens', summary: 'Development only: a bearer token for any user (absent in production)', tags: ['development'], security: 'public',
    body: z.object({ userId: z.number().int().positive().max(999_999_999_999_999), admin: z.boolean().optional() }).strict(),
    responses: { 201: { description: 'a token valid for 24 h', schema: z.object({ userId: z.number().int(), token: z.string(), expiresInSeconds: z.number().int() }) } },
  }, [], async (_req, res, { body }) => {
    const ttl = 24 * 3600;
    // Signed here rather than with signUserToken so the admin role lands in the configured claim.
    const token = await new SignJWT(body.admin ? { [rolesClaim]: ['admin'] } : {})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(body.userId))
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(key);
    res.status(201).json({ userId: body.userId, token, expiresInSeconds: ttl });
  });
  return r;
}
