// Pure waiting-room decisions: the signed token, the wait estimate, the client's pacing, the
// admission capacity and the position a fan on a push stream is told between exact reads.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * What a queue token carries. Everything is signed (HMAC-SHA256 with a server secret), so a fan
 * can neither move its place (`seq`) nor take another's: the server stores nothing per token.
 * `epoch` names the concert line's incarnation in Redis: a token from an earlier incarnation (Redis
 * lost its data) is told QUEUE_RESET, not mistaken for a forgery.
 */
export interface QueueTokenClaims { concertId: number; userId: number; seq: number; epoch: string }

// seq 0 names a pre-queue place (docs/fairness.md): its position is drawn at the opening.
const TOKEN = /^([1-9]\d{0,9})\.([1-9]\d{0,14})\.(0|[1-9]\d{0,15})\.([a-z0-9]{8})\.([A-Za-z0-9_-]{22})$/;

export class QueueTokenSigner {
  // A KeyObject made once: a raw Buffer key is turned into a new KeyObject on every HMAC, which
  // was ~2 % of the API's CPU in a rush (every status poll verifies a token).
  private readonly key: KeyObject;
  constructor(secret: string) {
    // A key of its own, derived from the configured secret, so a queue token's MAC is never valid
    // for anything else signed with the same secret.
    this.key = createSecretKey(createHmac('sha256', secret).update('encore/queue-token/v1').digest());
  }

  sign(c: QueueTokenClaims): string {
    const body = `${c.concertId}.${c.userId}.${c.seq}.${c.epoch}`;
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claims of a well-formed, genuinely signed token; undefined for anything else. */
  verify(token: string): QueueTokenClaims | undefined {
    const m = TOKEN.exec(token);
    if (!m) return undefined;
    const body = token.slice(0, token.lastIndexOf('.'));
    const given = Buffer.from(m[5]!, 'base64url');
    if (given.length !== 16 || !timingSafeEqual(given, this.mac(body))) return undefined;
    return { concertId: Number(m[1]), userId: Number(m[2]), seq: Number(m[3]), epoch: m[4]! };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16); // 128 bits
  }
}

/** The concert a well-formed token names (unverified: for routing a lookup only). */
export function concertOfToken(token: string): number | undefined {
  const m = TOKEN.exec(token);
  return m ? Number(m[1]) : undefined;
}

/** The admission rate to plan with: the measured one, or one turnover of the active set per TTL. */
export function planningRate(measuredRate: number, maxActive: number, activeTtlSeconds: number): number {
  return measuredRate > 0 ? measuredRate : maxActive / activeTtlSeconds;
}

/**
 * Seconds until a waiting user at `position` is likely admitted. With a measured admission rate
 * (users/s over recent ticks with people waiting) it is position / rate; before anything was
 * measured, or while nobody leaves, it assumes the active set turns over once per active TTL.
 */
export function estimateWaitSeconds(position: number, measuredRate: number, maxActive: number, activeTtlSeconds: number): number {
  return Math.ceil(position / planningRate(measuredRate, maxActive, activeTtlSeconds));
}

export const PACING = {
  minMs: 1000,
  maxMs: 25_000,
  activeMs: 30_000,
  finalMs: 60_000,
} as const;

/**
 * When a waiting fan should ask again: a quarter of its expected wait, between 1 s and 25 s. A fan
 * 50,000th at 50 admissions/s (ETA 1,000 s) asks every 25 s; one whose ETA is under 4 s asks every
 * second. Asking at a quarter of the remaining wait means the last polls before admission come
 * about every second, so a poller learns of its admission within about a second of it, while
 * the far back of a million-fan line costs one request per fan per 25 s. `openSlots` are the
 * admission slots the last tick left free (a fresh line's first fans are admitted at once).
 */
export function waitingPollAfterMs(position: number, ratePerSecond: number, openSlots = 0): number {
  // Slots are open for this fan already: the next tick (about a second) admits it.
  if (position <= openSlots) return PACING.minMs;
  const etaMs = (position / Math.max(ratePerSecond, 1e-6)) * 1000;
  return Math.round(Math.min(PACING.maxMs, Math.max(PACING.minMs, etaMs / 4)));
}

/**
 * A pacing value spread by ±20 % (`random` in [0, 1)), never below 1 s. Fans who joined in the
 * same second otherwise keep asking in the same second: the lobby run measured 20,000 fans
 * polling in 5-second bursts of 4,000 requests/s every 25 s, and the bursts, not the average
 * rate, set the status route's p99 (load/README.md).
 */
export function spreadPollAfterMs(ms: number, random: number): number {
  if (ms <= PACING.minMs) return ms;
  return Math.max(PACING.minMs, Math.round(ms * (0.8 + 0.4 * random)));
}

/**
 * When a fan in the pre-queue should ask again: the time left until the opening plus a spread of
 * up to 5 s (`random` in [0, 1)), between 1 s and 25 s. Places exist only after the opening, and
 * the spread keeps a large pre-queue from asking all in the same second it opens.
 */
export function beforeOpeningPollAfterMs(untilOpeningMs: number, random: number): number {
  return Math.round(Math.min(PACING.maxMs, Math.max(PACING.minMs, untilOpeningMs + random * 5000)));
}

/** Pacing of the other states: an ACTIVE fan is busy buying; SOLD_OUT and EXPIRED are final. */
export function pollAfterMsFor(state: 'ACTIVE' | 'SOLD_OUT' | 'EXPIRED'): number {
  return state === 'ACTIVE' ? PACING.activeMs : PACING.finalMs;
}

/**
 * How many fans may be ACTIVE at once: `maxActive`, and never more than `admitPerSeat` × the seats
 * neither sold nor held (undefined: inventory unknown, no inventory cap, e.g. direct test calls).
 */
export function admissionCeiling(maxActive: number, admitPerSeat: number, availableSeats: number | undefined): number {
  if (availableSeats === undefined) return maxActive;
  return Math.max(0, Math.min(maxActive, Math.floor(admitPerSeat * availableSeats)));
}

/**
 * A waiting fan's position from the concert's broadcast state alone (no Redis call): exact at
 * the head (the first waiting fan is 1st) and at the tail (the last one is `waiting`th), and
 * linear between, which assumes fans who left ahead were spread evenly. Exact reads correct it
 * whenever the fan's state changes.
 */
export function estimatePosition(mySeq: number, headSeq: number, tailSeq: number, waiting: number): number {
  if (waiting <= 1 || tailSeq <= headSeq) return 1;
  const fraction = (mySeq - headSeq) / (tailSeq - headSeq);
  return Math.max(1, Math.min(waiting, 1 + Math.round(fraction * (waiting - 1))));
}
