// The join challenge with its Redis state: which concerts require it (a set, toggled by the
// JOIN_CHALLENGE_CONCERTS list at start or by an admin later) and which challenges were used
// (SET NX with the challenge's remaining lifetime: each challenge admits one join, ever).
import type { RedisClient } from '../../platform/redis.ts';
import { ChallengeReplayedError, ChallengeRequiredError } from './challenge.errors.ts';
import { issueChallenge, verifyChallenge } from './challenge.rules.ts';

export interface ChallengeSettings { secret: string; difficulty: number; ttlSeconds: number; prefix: string }

export class JoinChallenges {
  private readonly redis: RedisClient;
  private readonly s: ChallengeSettings;
  constructor(redis: RedisClient, settings: ChallengeSettings) {
    this.redis = redis;
    this.s = settings;
  }

  private get concertsKey() { return `${this.s.prefix}:challenge:concerts`; }

  /** Turns the challenge on (or off) for concerts. */
  async require(concertIds: number[], on = true): Promise<void> {
    if (!concertIds.length) return;
    if (on) await this.redis.sadd(this.concertsKey, ...concertIds.map(String));
    else await this.redis.srem(this.concertsKey, ...concertIds.map(String));
  }

  async requiredFor(concertId: number): Promise<boolean> {
    if (this.s.difficulty <= 0) return false;
    return (await this.redis.sismember(this.concertsKey, String(concertId))) === 1;
  }

  /** A new challenge for this user and concert, or undefined when the concert does not require one. */
  async issue(userId: number, concertId: number, nowMs = Date.now()) {
    if (!(await this.requiredFor(concertId))) return undefined;
    const expiresAt = nowMs + this.s.ttlSeconds * 1000;
    const { challenge } = issueChallenge(this.s.secret, { concertId, userId, difficulty: this.s.difficulty, expiresAt });
    return { challenge, difficulty: this.s.difficulty, algorithm: 'sha256' as const, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Passes when the concert requires no challenge, or the solution is valid and unused (then it is spent). */
  async check(userId: number, concertId: number, solution: { challenge?: unknown; nonce?: unknown }, nowMs = Date.now()): Promise<void> {
    if (!(await this.requiredFor(concertId))) return;
    const { challenge, nonce } = solution;
    if (typeof challenge !== 'string' || typeof nonce !== 'string' || challenge.length > 1024 || nonce.length > 64) {
      throw new ChallengeRequiredError(concertId);
    }
    const claims = verifyChallenge(this.s.secret, challenge, nonce, { concertId, userId, nowMs });
    const fresh = await this.redis.set(`${this.s.prefix}:challenge:used:${claims.id}`, '1', 'PX', Math.max(1, claims.expiresAt - nowMs), 'NX');
    if (fresh !== 'OK') throw new ChallengeReplayedError();
  }
}
