// Pure waiting-room decisions: token format and the wait estimate.
import { randomBytes } from 'node:crypto';

const TOKEN = /^([1-9]\d{0,9})\.([A-Za-z0-9_-]{32})$/;

/** An unguessable token (192 random bits) that names its concert, so a lookup knows its keys. */
export function newQueueToken(concertId: number): string {
  return `${concertId}.${randomBytes(24).toString('base64url')}`;
}

/** The concert a well-formed token belongs to, or undefined for a malformed one. */
export function concertOfToken(token: string): number | undefined {
  const m = TOKEN.exec(token);
  return m ? Number(m[1]) : undefined;
}

/**
 * Seconds until a waiting user at `position` is likely admitted. With a measured admission rate
 * (users/s over recent ticks with people waiting) it is position / rate; before anything was
 * measured, or while nobody leaves, it assumes the active set turns over once per active TTL.
 */
export function estimateWaitSeconds(position: number, measuredRate: number, maxActive: number, activeTtlSeconds: number): number {
  const rate = measuredRate > 0 ? measuredRate : maxActive / activeTtlSeconds;
  return Math.ceil(position / rate);
}
