// A hashcash-style proof of work for joining a waiting room (docs/join-challenge.md). The server
// issues a signed, short-lived challenge bound to the user and the concert; the client finds a
// nonce such that SHA-256(challenge + ":" + nonce) starts with `difficulty` zero bits. One fan
// pays it once (about 2^difficulty hashes: ~1 s in a browser at 20 bits); a farm of accounts pays
// it for every account. Pure functions: no clock, no Redis (replay is the service's job).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ChallengeExpiredError, ChallengeInvalidError } from './challenge.errors.ts';

export interface ChallengeClaims { concertId: number; userId: number; difficulty: number; expiresAt: number; id: string }

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function issueChallenge(secret: string, c: Omit<ChallengeClaims, 'id'>): { challenge: string; id: string } {
  const id = randomBytes(12).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ ...c, id })).toString('base64url');
  return { challenge: `${payload}.${sign(secret, payload)}`, id };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) { bits += 8; continue; }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function solves(challenge: string, nonce: string, difficulty: number): boolean {
  return leadingZeroBits(createHash('sha256').update(`${challenge}:${nonce}`).digest()) >= difficulty;
}

/** Checks signature, binding, expiry and the work; returns the claims (the caller enforces single use). */
export function verifyChallenge(secret: string, challenge: string, nonce: string, expect: { concertId: number; userId: number; nowMs: number }): ChallengeClaims {
  const [payload, mac, extra] = challenge.split('.');
  if (!payload || !mac || extra !== undefined) throw new ChallengeInvalidError('malformed');
  const want = Buffer.from(sign(secret, payload));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw new ChallengeInvalidError('bad signature');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as ChallengeClaims;
  if (claims.concertId !== expect.concertId || claims.userId !== expect.userId) throw new ChallengeInvalidError('issued for another user or concert');
  if (claims.expiresAt <= expect.nowMs) throw new ChallengeExpiredError();
  if (!solves(challenge, nonce, claims.difficulty)) throw new ChallengeInvalidError(`nonce does not give ${claims.difficulty} leading zero bits`);
  return claims;
}

/** What a client does (tests, load runs, docs): the first nonce that solves the challenge. */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) if (solves(challenge, String(n), difficulty)) return String(n);
}
