// The per-concert waiting room (DESIGN.md "Waiting room"). All state lives in Redis under the
// concert's hash tag; every read-modify-write is one Lua script. Tokens are signed, not stored.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../platform/redis.ts';
import { Locks } from '../../platform/lock.ts';
import type { Config } from '../../platform/config.ts';
import { queueKeys } from './queue.keys.ts';
import { loadQueueScripts, PLACE_STATE, QUEUE_LEAVE, type PlaceStateCode, type QueueJoinReply } from './queue.scripts.ts';
import {
  admissionCeiling, beforeOpeningPollAfterMs, estimateWaitSeconds, planningRate, pollAfterMsFor, QueueTokenSigner, spreadPollAfterMs, waitingPollAfterMs, type QueueTokenClaims,
} from './queue.rules.ts';
import {
  ConcertSoldOutError, QueueResetError, QueueTokenForbiddenError, QueueTokenInvalidError, QueueTokenMissingError, QueueTokenNotActiveError,
  QueueTokenNotFoundError, QueueTokenWrongConcertError,
} from './queue.errors.ts';
import { Heartbeats } from './queue.heartbeats.ts';
import { publishLineState, type LineState } from './queue.broadcast.ts';
import { isAllHeld, isSoldOut, type Inventory } from './queue.inventory.ts';
import type { QueueEvent } from './queue.events.ts';
import { EntrantIds } from './queue.fairness.ts';
import { runOpening, type OpeningReport } from './queue.opening.ts';

export interface WaitingRoomSettings {
  prefix: string;
  /** HMAC secret of the queue tokens. */
  tokenSecret: string;
  maxActive: number;
  activeTtlSeconds: number;
  /** A waiting fan with no sign of life for this long drops out. */
  idleTimeoutSeconds: number;
  /** An ACTIVE fan with no request for this long loses the slot (default 120). */
  activeIdleSeconds?: number;
  /** At most this many ACTIVE per seat neither sold nor held (default 1.5). */
  admitPerSeat?: number;
  /** At most this many admissions per second per concert (0 or unset: no cap). */
  admitRate?: number;
  /** Most entries each sweep of a tick handles, so a tick's cost does not grow with the line (default 1000). */
  sweepLimit?: number;
}

export type WaitingReason = 'BEFORE_OPENING' | 'PAUSED' | 'ALL_SEATS_HELD';

export type QueueStatus =
  | {
    state: 'WAITING'; concertId: number; token: string; position: number; waitingCount: number; estimatedWaitSeconds: number;
    reason?: WaitingReason; pollAfterMs: number;
    /** A pre-queue place's opaque id in the opening's published list (docs/fairness.md). */
    entrantId?: string;
  }
  | {
    // In the pre-queue: no place yet, it is drawn at the opening.
    state: 'WAITING'; concertId: number; token: string; position?: undefined; waitingCount: number; estimatedWaitSeconds: number;
    reason: 'BEFORE_OPENING'; saleOpensAt: string; entrantId: string; pollAfterMs: number;
  }
  | { state: 'ACTIVE'; concertId: number; token: string; activeUntil: string; pollAfterMs: number }
  | { state: 'SOLD_OUT'; concertId: number; token: string; pollAfterMs: number }
  | { state: 'EXPIRED'; concertId: number; token: string; pollAfterMs: number };

export interface PromotionResult {
  admitted: number; expiredActives: number; idleActives: number; droppedIdle: number; waiting: number; active: number;
  /** Fans in the pre-queue, not yet placed by the opening. */
  preQueue: number;
  /** What the tick broadcasts to the API processes. */
  line: LineState;
}

/** What the tick knows about the sale: the seat counts, or that MySQL could not be read. */
export type InventoryView = Inventory | 'unreachable';

/** The sale's announced opening and its committed seed, as the tick reads them from MySQL. */
export interface SaleOpeningView { opensAt: Date | null; seed: string | null }

/** Where a concert's opening stands, from Redis: what the public fairness record shows. */
export interface OpeningRecord {
  state: 'none' | 'started' | 'done';
  entrants: number;
  openedAt: number | null;
  /** The requested page of sorted entrant ids (only once done). */
  ids: string[];
}

export class WaitingRoom {
  /** The waiting room as configured for this deployment (QUEUE_* settings). */
  static fromConfig(
    redis: RedisClient,
    config: Pick<Config, 'REDIS_PREFIX' | 'JWT_SECRET' | 'QUEUE_TOKEN_SECRET' | 'QUEUE_MAX_ACTIVE' | 'QUEUE_ACTIVE_TTL_SECONDS' | 'QUEUE_IDLE_TIMEOUT_SECONDS'
      | 'QUEUE_ACTIVE_IDLE_SECONDS' | 'QUEUE_ADMIT_PER_SEAT' | 'QUEUE_ADMIT_RATE'>,
  ): WaitingRoom {
    return new WaitingRoom(redis, {
      prefix: config.REDIS_PREFIX,
      tokenSecret: config.QUEUE_TOKEN_SECRET ?? config.JWT_SECRET,
      maxActive: config.QUEUE_MAX_ACTIVE,
      activeTtlSeconds: config.QUEUE_ACTIVE_TTL_SECONDS,
      idleTimeoutSeconds: config.QUEUE_IDLE_TIMEOUT_SECONDS,
      activeIdleSeconds: config.QUEUE_ACTIVE_IDLE_SECONDS,
      admitPerSeat: config.QUEUE_ADMIT_PER_SEAT,
      admitRate: config.QUEUE_ADMIT_RATE,
    });
  }

  readonly heartbeats: Heartbeats;
  private readonly redis: RedisClient;
  private readonly s: Required<WaitingRoomSettings>;
  private readonly clock: () => number;
  private readonly locks: Locks;
  private readonly signer: QueueTokenSigner;
  readonly entrantIds: EntrantIds;

  constructor(redis: RedisClient, settings: WaitingRoomSettings, clock: () => number = Date.now) {
    this.redis = redis;
    this.s = {
      ...settings,
      activeIdleSeconds: settings.activeIdleSeconds ?? 120,
      admitPerSeat: settings.admitPerSeat ?? 1.5,
      admitRate: settings.admitRate ?? 0,
      sweepLimit: settings.sweepLimit ?? 1000,
    };
    this.clock = clock;
    this.signer = new QueueTokenSigner(settings.tokenSecret);
    this.entrantIds = new EntrantIds(settings.tokenSecret);
    loadQueueScripts(redis);
    // A promoter that finds the concert's lock taken skips its tick; the holder is doing the work.
    this.locks = new Locks(redis);
    this.heartbeats = new Heartbeats(redis, settings.prefix, clock);
  }

  get settings(): Readonly<Required<WaitingRoomSettings>> {
    return this.s;
  }

  /**
   * Joins (or re-reads the place in) a concert's line. `created` is true for a new place. Before
   * `opensAt` (ms; 0 = no announced opening) a new place goes into the pre-queue.
   */
  async join(userId: number, concertId: number, opensAt = 0): Promise<{ status: QueueStatus; created: boolean }> {
    const k = queueKeys(this.s.prefix, concertId);
    const r = await this.redis.queueJoin(
      k.waiting, k.seen, k.active, k.activeSeen, k.activeSeq, k.seq, k.meta, k.pre, k.entrants, String(userId), this.clock(), newEpoch(), opensAt,
    );
    const [state, epoch, seq, position, activeUntil, created, waitingCount, paused, allHeld, rate, free, preOpensAt] = r;
    if (state === PLACE_STATE.SOLD_OUT) throw new ConcertSoldOutError(concertId);
    const claims = { concertId, userId, seq: Number(seq), epoch: String(epoch) };
    const token = this.signer.sign(claims);
    const status = this.toStatus(claims, token, [state, Number(position), Number(activeUntil), Number(waitingCount), paused, allHeld, rate, Number(free), Number(preOpensAt)]);
    return { status, created: created === 1 };
  }

  /** Checks a token's signature and owner; its claims. */
  verify(userId: number, token: string | undefined): QueueTokenClaims {
    if (!token) throw new QueueTokenMissingError();
    const claims = this.signer.verify(token);
    if (!claims) throw new QueueTokenInvalidError();
    if (claims.userId !== userId) throw new QueueTokenForbiddenError();
    return claims;
  }

  /** The state of a token, read by its owner. Any request with it is a sign of life. */
  async status(userId: number, token: string | undefined): Promise<QueueStatus> {
    const claims = this.verify(userId, token);
    return this.read(claims, token!);
  }

  /** The exact state of an already verified token's place (one read-only script). */
  async read(claims: QueueTokenClaims, token: string): Promise<QueueStatus> {
    const k = queueKeys(this.s.prefix, claims.concertId);
    const r = await this.redis.queueStatus(k.waiting, k.active, k.activeSeq, k.meta, k.pre, k.entrants, String(claims.userId), claims.seq, claims.epoch, this.clock());
    const [state, position, activeUntil, waitingCount, paused, allHeld, rate, free, opensAt] = r;
    if (state === PLACE_STATE.RESET) throw new QueueResetError(claims.concertId);
    const status = this.toStatus(claims, token, [state, position, Number(activeUntil), waitingCount, paused, allHeld, rate, free, Number(opensAt)]);
    if (status.state === 'WAITING' || status.state === 'ACTIVE') this.heartbeats.note(claims.concertId, claims.userId);
    return status;
  }

  /** Throws unless `token` is the caller's ACTIVE token for `concertId`. */
  async requireActive(userId: number, token: string | undefined, concertId: number): Promise<void> {
    const claims = this.verify(userId, token);
    if (claims.concertId !== concertId) throw new QueueTokenWrongConcertError(claims.concertId, concertId);
    const status = await this.read(claims, token!);
    if (status.state !== 'ACTIVE') throw new QueueTokenNotActiveError(status.state);
  }

  /** Leaves the line (or gives up the active slot) with the caller's token. */
  async leave(userId: number, token: string | undefined): Promise<void> {
    const claims = this.verify(userId, token);
    await this.read(claims, token!); // QUEUE_RESET when the line's data is gone
    const k = queueKeys(this.s.prefix, claims.concertId);
    const ended = await this.redis.queueLeave(k.waiting, k.seen, k.active, k.activeSeen, k.activeSeq, k.pre, String(userId), String(claims.seq));
    if (ended === QUEUE_LEAVE.NO_PLACE) throw new QueueTokenNotFoundError();
  }

  /** Ends whatever place the user has in a concert's room (after a completed payment). */
  async endFor(userId: number, concertId: number): Promise<boolean> {
    const k = queueKeys(this.s.prefix, concertId);
    return (await this.redis.queueLeave(k.waiting, k.seen, k.active, k.activeSeen, k.activeSeq, k.pre, String(userId), '')) === QUEUE_LEAVE.ENDED;
  }

  /** Stops admission for a concert; fans keep their places and are told PAUSED. */
  async pause(concertId: number): Promise<void> {
    await this.redis.hset(queueKeys(this.s.prefix, concertId).meta, 'paused', '1');
  }

  async resume(concertId: number): Promise<void> {
    await this.redis.hset(queueKeys(this.s.prefix, concertId).meta, 'paused', '0');
  }

  /**
   * One admission tick for one concert. Safe to run concurrently: the script is atomic. Without an
   * inventory only maxActive caps admission (direct calls); with 'unreachable' nobody is admitted
   * (MySQL down: do not burn fans' active minutes on a sale that cannot proceed). `hold` admits
   * nobody either (the sale has not opened, or its opening is not finished).
   */
  async promote(concertId: number, inventory?: InventoryView, hold = false): Promise<PromotionResult> {
    const k = queueKeys(this.s.prefix, concertId);
    const now = this.clock();
    const known = inventory !== undefined && inventory !== 'unreachable' ? inventory : undefined;
    const ceiling = admissionCeiling(this.s.maxActive, this.s.admitPerSeat, known?.available);
    const r = await this.redis.queuePromote(
      k.waiting, k.seen, k.active, k.activeSeen, k.activeSeq, k.seq, k.meta, k.events, k.pre, k.entrants,
      now, ceiling, this.s.activeTtlSeconds * 1000, now - this.s.idleTimeoutSeconds * 1000, now - this.s.activeIdleSeconds * 1000,
      this.s.admitRate, known ? flag(isSoldOut(known)) : -1, known ? flag(isAllHeld(known)) : -1, concertId, this.s.sweepLimit,
      inventory === 'unreachable' || hold ? 1 : 0,
    );
    const [admitted, expiredActives, idleActives, droppedIdle, waiting, active, headSeq, tailSeq, paused, soldOut, allHeld, rate, lineCeiling, preQueue] = r;
    return {
      admitted, expiredActives, idleActives, droppedIdle, waiting, active, preQueue,
      line: {
        concertId, headSeq, tailSeq, waiting, active, rate: Number(rate),
        paused: paused === 1, soldOut: soldOut === 1, allHeld: allHeld === 1, ceiling: lineCeiling, at: now,
      },
    };
  }

  /**
   * The tick as the scheduler runs it: under a per-concert Redlock, promote and broadcast the
   * line's state; then, after releasing it, hand the events recorded in the concert's stream to
   * `relay` (Kafka) in order, deleting only what was relayed. No network call to Kafka happens
   * under the promoter's lock (issue 9): a slow broker never delays admission. The relay has a
   * lock of its own so events keep their order. Returns undefined when another promoter holds the lock.
   * With `sale` (the concert's announced opening and seed): nobody is admitted before the opening;
   * at it, the pre-queue gets its places (`openSale`) before anyone is admitted.
   */
  async promoteExclusively(
    concertId: number,
    inventory: InventoryView | undefined,
    relay: (events: QueueEvent[]) => Promise<void>,
    sale?: SaleOpeningView,
    /** `pause`: admit nobody this tick (the workers are behind); expiries and sweeps still run. */
    opts: { pause?: boolean } = {},
  ): Promise<(PromotionResult & { relayed: number; opening?: OpeningReport }) | undefined> {
    const k = queueKeys(this.s.prefix, concertId);
    const result = await this.locks.ifFree(k.promoterLock, 5000, async () => {
      const now = this.clock();
      let hold = opts.pause === true;
      let opening: OpeningReport | undefined;
      if (sale?.opensAt && sale.opensAt.getTime() > now) {
        hold = true;
        // Fans in the pre-queue are told the opening from here: an organizer may have moved it.
        await this.redis.hset(k.meta, 'opensAt', sale.opensAt.getTime());
      }
      else if (sale?.seed && (await this.redis.hget(k.meta, 'opening')) !== 'done') {
        opening = await this.openSale(concertId, sale.seed);
        hold ||= !opening.done;
      }
      const r = await this.promote(concertId, inventory, hold);
      await publishLineState(this.redis, this.s.prefix, r.line);
      return { ...r, ...(opening ? { opening } : {}) };
    });
    if (!result) return undefined;
    const relayed = (await this.locks.ifFree(k.relayLock, 15_000, () => this.relayEvents(concertId, relay))) ?? 0;
    return { ...result, relayed };
  }

  /** Relays pending queue events, oldest first, in batches; stops at the first failure. */
  async relayEvents(concertId: number, relay: (events: QueueEvent[]) => Promise<void>): Promise<number> {
    const k = queueKeys(this.s.prefix, concertId);
    let total = 0;
    for (;;) {
      const entries = await this.redis.xrange(k.events, '-', '+', 'COUNT', 500);
      if (entries.length === 0) return total;
      const events = entries.map(([id, fields]): QueueEvent => {
        const f: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        const occurredAt = new Date(Number(f.occurredAt)).toISOString();
        if (f.type === 'sold_out') return { type: 'sold_out', streamId: id, concertId, occurredAt };
        return { type: 'admitted', streamId: id, concertId, userId: Number(f.userId), activeUntil: new Date(Number(f.activeUntil)).toISOString(), occurredAt };
      });
      await relay(events);
      await this.redis.xdel(k.events, ...entries.map(([id]) => id));
      total += entries.length;
    }
  }

  /**
   * The opening: the pre-queue's fans get their places from the seed, one script per batch
   * (docs/fairness.md). Idempotent and resumable; the caller holds the promoter lock.
   */
  async openSale(concertId: number, seed: string, batchSize?: number): Promise<OpeningReport> {
    return runOpening(this.redis, queueKeys(this.s.prefix, concertId), concertId, seed, this.entrantIds, this.clock(), batchSize);
  }

  /** Where the opening stands, and a page of its sorted entrant ids once it is done. */
  async openingRecord(concertId: number, offset: number, limit: number): Promise<OpeningRecord> {
    const k = queueKeys(this.s.prefix, concertId);
    const [opening, entrants, openedAt] = await this.redis.hmget(k.meta, 'opening', 'entrants', 'openedAt');
    const state = opening === 'done' ? 'done' : opening === 'started' ? 'started' : 'none';
    const ids = state === 'done' && limit > 0 ? await this.redis.lrange(k.entrantIds, offset, offset + limit - 1) : [];
    return { state, entrants: Number(entrants ?? 0), openedAt: openedAt ? Number(openedAt) : null, ids };
  }

  /**
   * Many joins in one pipeline, through the same join script (the load runner's bulk filler: a
   * million fans in one line without a million HTTP requests). Returns how many places were made.
   * With `opensAt` in the future they go into the pre-queue.
   */
  async joinMany(userIds: number[], concertId: number, opensAt = 0): Promise<number> {
    const k = queueKeys(this.s.prefix, concertId);
    const p = this.redis.pipeline();
    const now = this.clock();
    for (const u of userIds) p.queueJoin(k.waiting, k.seen, k.active, k.activeSeen, k.activeSeq, k.seq, k.meta, k.pre, k.entrants, String(u), now, newEpoch(), opensAt);
    const replies = (await p.exec()) ?? [];
    return replies.filter(([err, r]) => !err && (r as QueueJoinReply)[5] === 1).length;
  }

  /** Pacing and ETA from the planning rate (measured, or turnover per TTL). */
  private toStatus(claims: QueueTokenClaims, token: string, r: [PlaceStateCode, number, number, number, string, string, string, number, number]): QueueStatus {
    const { concertId } = claims;
    const [state, position, activeUntil, waitingCount, paused, allHeld, rate, free, opensAt] = r;
    const entrant = claims.seq === 0 ? { entrantId: this.entrantIds.of(concertId, claims.userId) } : {};
    switch (state) {
      case PLACE_STATE.WAITING: {
        if (position === 0) {
          const untilOpening = Math.max(0, opensAt - this.clock());
          return {
            state: 'WAITING', concertId, token, waitingCount, estimatedWaitSeconds: Math.ceil(untilOpening / 1000), reason: 'BEFORE_OPENING',
            saleOpensAt: new Date(opensAt).toISOString(), entrantId: this.entrantIds.of(concertId, claims.userId),
            pollAfterMs: beforeOpeningPollAfterMs(untilOpening, Math.random()),
          };
        }
        const planning = planningRate(Number(rate), this.s.maxActive, this.s.activeTtlSeconds);
        const reason: WaitingReason | undefined = String(paused) === '1' ? 'PAUSED' : String(allHeld) === '1' ? 'ALL_SEATS_HELD' : undefined;
        return {
          state: 'WAITING', concertId, token, position, waitingCount,
          estimatedWaitSeconds: estimateWaitSeconds(position, Number(rate), this.s.maxActive, this.s.activeTtlSeconds),
          ...(reason ? { reason } : {}),
          pollAfterMs: spreadPollAfterMs(waitingPollAfterMs(position, planning, reason ? 0 : openSlots(free, this.s.maxActive)), Math.random()),
          ...entrant,
        };
      }
      case PLACE_STATE.ACTIVE: return { state: 'ACTIVE', concertId, token, activeUntil: new Date(activeUntil).toISOString(), pollAfterMs: pollAfterMsFor('ACTIVE') };
      case PLACE_STATE.SOLD_OUT: return { state: 'SOLD_OUT', concertId, token, pollAfterMs: pollAfterMsFor('SOLD_OUT') };
      default: return { state: 'EXPIRED', concertId, token, pollAfterMs: pollAfterMsFor('EXPIRED') };
    }
  }
}

/** Slots the last tick left open; before any tick, the whole active set. */
export function openSlots(free: number, maxActive: number): number {
  return free < 0 ? maxActive : free;
}

function flag(b: boolean): 0 | 1 {
  return b ? 1 : 0;
}

/** The line's incarnation id: 8 base-36 characters, new whenever the line's data is (re)created. */
function newEpoch(): string {
  return BigInt(`0x${randomBytes(6).toString('hex')}`).toString(36).padStart(8, '0').slice(-8);
}

export type { AdmittedEvent, QueueEvent } from './queue.events.ts';
export type { LineState } from './queue.broadcast.ts';
