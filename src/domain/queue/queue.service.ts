// The per-concert waiting room (DESIGN.md "Waiting room"). All state lives in Redis under the
// concert's hash tag; every read-modify-write is one Lua script.
import type { RedisClient } from '../../platform/redis.ts';
import { Locks } from '../../platform/lock.ts';
import type { Config } from '../../platform/config.ts';
import { queueKeys } from './queue.keys.ts';
import { loadQueueScripts } from './queue.scripts.ts';
import { concertOfToken, estimateWaitSeconds, newQueueToken } from './queue.rules.ts';
import {
  QueueTokenForbiddenError, QueueTokenInvalidError, QueueTokenMissingError, QueueTokenNotActiveError, QueueTokenNotFoundError,
  QueueTokenWrongConcertError,
} from './queue.errors.ts';

export interface WaitingRoomSettings {
  prefix: string;
  maxActive: number;
  activeTtlSeconds: number;
  idleTimeoutSeconds: number;
}

export type QueueStatus =
  | { state: 'WAITING'; concertId: number; token: string; position: number; waitingCount: number; estimatedWaitSeconds: number }
  | { state: 'ACTIVE'; concertId: number; token: string; activeUntil: string }
  | { state: 'EXPIRED'; concertId: number; token: string };

export interface PromotionResult { admitted: number; expiredActives: number; droppedIdle: number; waiting: number; active: number }

/** Ended tokens are remembered (answering EXPIRED rather than unknown) for this long. */
const FORGET_AFTER_MS = 3600_000;

export class WaitingRoom {
  /** The waiting room as configured for this deployment (QUEUE_* settings). */
  static fromConfig(redis: RedisClient, config: Pick<Config, 'REDIS_PREFIX' | 'QUEUE_MAX_ACTIVE' | 'QUEUE_ACTIVE_TTL_SECONDS' | 'QUEUE_IDLE_TIMEOUT_SECONDS'>): WaitingRoom {
    return new WaitingRoom(redis, {
      prefix: config.REDIS_PREFIX,
      maxActive: config.QUEUE_MAX_ACTIVE,
      activeTtlSeconds: config.QUEUE_ACTIVE_TTL_SECONDS,
      idleTimeoutSeconds: config.QUEUE_IDLE_TIMEOUT_SECONDS,
    });
  }

  private readonly redis: RedisClient;
  private readonly s: WaitingRoomSettings;
  private readonly clock: () => number;
  private readonly locks: Locks;

  constructor(redis: RedisClient, settings: WaitingRoomSettings, clock: () => number = Date.now) {
    this.redis = redis;
    this.s = settings;
    this.clock = clock;
    loadQueueScripts(redis);
    // A promoter that finds the concert's lock taken skips its tick; the holder is doing the work.
    this.locks = new Locks(redis);
  }

  /** Joins (or re-reads the place in) a concert's line. `created` is true for a new place. */
  async join(userId: number, concertId: number): Promise<{ status: QueueStatus; created: boolean }> {
    const k = queueKeys(this.s.prefix, concertId);
    const [state, token, position, activeUntil, created] = await this.redis.queueJoin(
      k.waiting, k.active, k.seen, k.tokens, k.owners, k.seq, k.ended, String(userId), newQueueToken(concertId), this.clock(),
    );
    const t = String(token);
    const status: QueueStatus =
      Number(state) === 2
        ? { state: 'ACTIVE', concertId, token: t, activeUntil: new Date(Number(activeUntil)).toISOString() }
        : { state: 'WAITING', concertId, token: t, position: Number(position), waitingCount: Number(position), estimatedWaitSeconds: this.eta(Number(position), 0) };
    if (status.state === 'WAITING') status.waitingCount = await this.redis.zcard(k.waiting);
    return { status, created: Number(created) === 1 };
  }

  /** The state of a token, read by its owner. Polling it keeps a waiting user in line. */
  async status(userId: number, token: string | undefined): Promise<QueueStatus> {
    if (!token) throw new QueueTokenMissingError();
    const concertId = concertOfToken(token);
    if (concertId === undefined) throw new QueueTokenInvalidError();
    const k = queueKeys(this.s.prefix, concertId);
    const [state, position, activeUntil, rate, waitingCount] = await this.redis.queueStatus(
      k.waiting, k.active, k.seen, k.tokens, k.owners, k.stats, token, String(userId), this.clock(),
    );
    switch (Number(state)) {
      case -1: throw new QueueTokenInvalidError();
      case -2: throw new QueueTokenForbiddenError();
      case 1: return {
        state: 'WAITING', concertId, token, position: Number(position), waitingCount: Number(waitingCount),
        estimatedWaitSeconds: this.eta(Number(position), Number(rate)),
      };
      case 2: return { state: 'ACTIVE', concertId, token, activeUntil: new Date(Number(activeUntil)).toISOString() };
      default: return { state: 'EXPIRED', concertId, token };
    }
  }

  /** Throws unless `token` is the caller's ACTIVE token for `concertId`. */
  async requireActive(userId: number, token: string | undefined, concertId: number): Promise<void> {
    const status = await this.status(userId, token);
    if (status.concertId !== concertId) throw new QueueTokenWrongConcertError(status.concertId, concertId);
    if (status.state !== 'ACTIVE') throw new QueueTokenNotActiveError(status.state);
  }

  /** Leaves the line (or gives up the active slot) with the caller's token. */
  async leave(userId: number, token: string | undefined): Promise<void> {
    await this.status(userId, token); // ownership and format checks
    const concertId = concertOfToken(token!)!;
    const k = queueKeys(this.s.prefix, concertId);
    const ended = await this.redis.queueLeave(k.waiting, k.active, k.seen, k.tokens, k.ended, String(userId), this.clock(), token!);
    if (ended === 0) throw new QueueTokenNotFoundError();
  }

  /** Ends whatever place the user has in a concert's room (after a completed payment). */
  async endFor(userId: number, concertId: number): Promise<boolean> {
    const k = queueKeys(this.s.prefix, concertId);
    return (await this.redis.queueLeave(k.waiting, k.active, k.seen, k.tokens, k.ended, String(userId), this.clock(), '')) === 1;
  }

  /** One admission tick for one concert. Safe to run concurrently: the script is atomic. */
  async promote(concertId: number): Promise<PromotionResult> {
    const k = queueKeys(this.s.prefix, concertId);
    const now = this.clock();
    const [admitted, expiredActives, droppedIdle, waiting, active] = await this.redis.queuePromote(
      k.waiting, k.active, k.seen, k.tokens, k.ended, k.owners, k.stats, k.events,
      now, this.s.maxActive, this.s.activeTtlSeconds * 1000, now - this.s.idleTimeoutSeconds * 1000, now - FORGET_AFTER_MS, concertId,
    );
    return { admitted: admitted!, expiredActives: expiredActives!, droppedIdle: droppedIdle!, waiting: waiting!, active: active! };
  }

  /**
   * The tick as the scheduler runs it: under a per-concert Redlock, promote, then hand the
   * admissions recorded in the concert's stream to `relay` (Kafka) in order, deleting only what
   * was relayed. Returns undefined when another promoter holds the lock.
   */
  async promoteExclusively(
    concertId: number,
    relay: (events: AdmittedEvent[]) => Promise<void>,
  ): Promise<(PromotionResult & { relayed: number }) | undefined> {
    const k = queueKeys(this.s.prefix, concertId);
    return this.locks.ifFree(k.promoterLock, 5000, async () => {
      const result = await this.promote(concertId);
      const relayed = await this.relayAdmitted(concertId, relay);
      return { ...result, relayed };
    });
  }

  /** Relays pending admission events, oldest first, in batches; stops at the first failure. */
  async relayAdmitted(concertId: number, relay: (events: AdmittedEvent[]) => Promise<void>): Promise<number> {
    const k = queueKeys(this.s.prefix, concertId);
    let total = 0;
    for (;;) {
      const entries = await this.redis.xrange(k.events, '-', '+', 'COUNT', 500);
      if (entries.length === 0) return total;
      const events = entries.map(([id, fields]) => {
        const f: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        return {
          streamId: id, concertId, userId: Number(f.userId),
          activeUntil: new Date(Number(f.activeUntil)).toISOString(), occurredAt: new Date(Number(f.occurredAt)).toISOString(),
        };
      });
      await relay(events);
      await this.redis.xdel(k.events, ...entries.map(([id]) => id));
      total += entries.length;
    }
  }

  private eta(position: number, rate: number): number {
    return estimateWaitSeconds(position, rate, this.s.maxActive, this.s.activeTtlSeconds);
  }
}

export interface AdmittedEvent { streamId: string; concertId: number; userId: number; activeUntil: string; occurredAt: string }
