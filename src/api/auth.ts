// Bearer JWT (`sub` = numeric user id, `exp` required), as an upstream identity provider would
// issue: HS256 with configured secrets (a list, so a secret can be rotated without a flag day), or
// RS256/ES256 with the provider's public keys (JWT_JWKS_URL or JWT_PUBLIC_KEY). JWT_ISSUER and
// JWT_AUDIENCE are checked when set. Every /api route except the public catalog reads goes
// through requireUser.
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, errors as joseErrors, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';
import type { Config } from '../platform/config.ts';

const USER_ID = /^[1-9]\d{0,14}$/;
const ASYMMETRIC = ['RS256', 'ES256'] as const;

declare module 'express-serve-static-core' {
  interface Request {
    userId?: number;
    /** Roles from the token's roles claim (JWT_ROLES_CLAIM); `admin` opens the organizer API. */
    roles?: readonly string[];
  }
}

export type AuthConfig = Pick<Config, 'JWT_SECRETS' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_JWKS_URL' | 'JWT_PUBLIC_KEY' | 'JWT_ROLES_CLAIM'>;

export function userIdOf(req: Request): number {
  if (req.userId === undefined) throw new AppError('UNAUTHENTICATED', 'authentication required');
  return req.userId;
}

interface Identity { userId: number; roles: readonly string[] }

function rolesOf(claim: unknown): readonly string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((r): r is string => typeof r === 'string');
  return [];
}

/** Verifies a token's signature and claims with every configured key source; returns its payload. */
export function tokenVerifier(cfg: Omit<AuthConfig, 'JWT_ROLES_CLAIM'>): (token: string) => Promise<JWTPayload> {
  // KeyObjects made once: jose would otherwise build one from raw bytes on every verification.
  const secrets = cfg.JWT_SECRETS.map((s) => createSecretKey(Buffer.from(s, 'utf8')));
  const jwks = cfg.JWT_JWKS_URL ? createRemoteJWKSet(new URL(cfg.JWT_JWKS_URL), { timeoutDuration: 3000, cooldownDuration: 30_000 }) : undefined;
  const pem: KeyObject | undefined = cfg.JWT_PUBLIC_KEY ? createPublicKey(cfg.JWT_PUBLIC_KEY) : undefined;
  const claims: JWTVerifyOptions = {
    requiredClaims: ['exp', 'sub'],
    ...(cfg.JWT_ISSUER ? { issuer: cfg.JWT_ISSUER } : {}),
    ...(cfg.JWT_AUDIENCE ? { audience: cfg.JWT_AUDIENCE } : {}),
  };
  const verify = async (token: string): Promise<JWTPayload> => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AppError('INVALID_TOKEN', 'token is invalid');
    }
    if (alg === 'HS256' && secrets.length) {
      // Rotation: the newest secret first; a signature mismatch tries the next one. Any other
      // failure (expired, wrong issuer) is final, whichever secret signed it.
      for (const [i, key] of secrets.entries()) {
        try {
          return (await jwtVerify(token, key, { ...claims, algorithms: ['HS256'] })).payload;
        } catch (err) {
          if (!(err instanceof joseErrors.JWSSignatureVerificationFailed) || i === secrets.length - 1) throw err;
        }
      }
    }
    if ((ASYMMETRIC as readonly string[]).includes(alg ?? '')) {
      if (jwks) return (await jwtVerify(token, jwks, { ...claims, algorithms: [...ASYMMETRIC] })).payload;
      if (pem) return (await jwtVerify(token, pem, { ...claims, algorithms: [...ASYMMETRIC] })).payload;
    }
    throw new AppError('INVALID_TOKEN', 'token algorithm is not accepted');
  };
  return (token) => verify(token).catch((err: unknown) => {
    throw err instanceof AppError ? err : new AppError('INVALID_TOKEN', reasonOf(err));
  });
}

/**
 * `cfg` is the config (or, for old callers and tools, one HS256 secret). Verified tokens are
 * remembered by their exact text until they expire (at most 5 min): a fan polls with the same
 * token many times a minute, and checking its signature once nearly doubles the authenticated
 * request rate (measured with autocannon on GET /api/me). The memory is an LRU of 100,000 tokens.
 */
export function requireUser(cfg: AuthConfig | string, rolesClaim = 'roles'): RequestHandler {
  const config: AuthConfig = typeof cfg === 'string' ? { JWT_SECRETS: [cfg], JWT_ROLES_CLAIM: rolesClaim, JWT_ISSUER: undefined, JWT_AUDIENCE: undefined, JWT_JWKS_URL: undefined, JWT_PUBLIC_KEY: undefined } : cfg;
  const verify = tokenVerifier(config);
  const verified = new LRUCache<string, Identity>({ max: 100_000, ttlAutopurge: false });
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) throw new AppError('UNAUTHENTICATED', 'missing Authorization: Bearer <token>');
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new AppError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
    const cached = verified.get(token);
    if (cached !== undefined) {
      req.userId = cached.userId;
      req.roles = cached.roles;
      return next();
    }
    const payload = await verify(token);
    if (typeof payload.sub !== 'string' || !USER_ID.test(payload.sub)) {
      throw new AppError('INVALID_TOKEN', 'token subject must be a numeric user id');
    }
    req.userId = Number(payload.sub);
    req.roles = rolesOf(payload[config.JWT_ROLES_CLAIM]);
    const ttl = Math.min(300_000, (payload.exp ?? 0) * 1000 - Date.now());
    if (ttl > 0) verified.set(token, { userId: req.userId, roles: req.roles }, { ttl });
    next();
  };
}

function reasonOf(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'exp') return 'token must carry an expiry (exp)';
    if (err.claim === 'iss') return 'token issuer is not accepted';
    if (err.claim === 'aud') return 'token audience is not accepted';
  }
  // JWKS unreachable: the token may be fine, but it cannot be checked now. Still a 401 (never a
  // pass): the client retries; a 503 here would invite retry storms from every fan at once.
  return 'token is invalid';
}

/** Runs after requireUser: only a caller whose token carries the `admin` role passes (else 403). */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  userIdOf(req);
  if (!req.roles?.includes('admin')) throw new AppError('FORBIDDEN', 'this action needs the admin role');
  next();
};

/** Mints a token as the identity provider would; used by `npm run token`, tests and load runs. */
export async function signUserToken(
  secret: string, userId: number, ttlSeconds = 24 * 3600, roles: string[] = [],
  claims: { issuer?: string; audience?: string } = {},
): Promise<string> {
  const jwt = new SignJWT(roles.length ? { roles } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(userId))
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (claims.issuer) jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
