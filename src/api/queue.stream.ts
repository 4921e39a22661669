// GET /api/queue/events: the fan's queue state as Server-Sent Events (docs/queue-protocol.md).
// Every connected fan of a concert in this process is updated from the one broadcast per
// admission tick (LineStateFeed): positions are estimated locally, and only a fan whose state may
// have changed (it left the waiting part of the line) costs an exact read. Updates to a fan who is
// still waiting are paced like polls (pollAfterMs), so a far-back fan costs one small write per
// 25 s, and a change of state (ACTIVE, SOLD_OUT, PAUSED, ALL_SEATS_HELD) goes out at the tick.
import type { Request, RequestHandler, Response } from 'express';
import type { WaitingRoom, QueueStatus, WaitingReason } from '../domain/queue/queue.service.ts';
import type { LineState, LineStateFeed } from '../domain/queue/queue.broadcast.ts';
import { estimatePosition, planningRate, pollAfterMsFor, spreadPollAfterMs, waitingPollAfterMs, type QueueTokenClaims } from '../domain/queue/queue.rules.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { userIdOf } from './auth.ts';
import { statusFor } from './errors.ts';
import { endOnShutdown } from './drain.ts';

interface Connection {
  claims: QueueTokenClaims;
  token: string;
  res: Response;
  /** When the last status was sent (paces the next one). */
  lastSentAt: number;
  /** When anything was last written, keep-alives included (paces the keep-alives). */
  lastWriteAt: number;
  pollAfterMs: number;
  reason?: WaitingReason;
  /** An exact read is in flight; further ticks wait for it. */
  reading: boolean;
  closed: boolean;
}

const KEEPALIVE_MS = 15_000;
/** How often the keep-alive sweep looks for streams idle for KEEPALIVE_MS (see start()). */
const KEEPALIVE_SWEEP_MS = 1000;
/** How often each concert with connected fans is reported to `onConcert`. */
const CONCERT_PING_MS = 15_000;

export class QueueStreamHub {
  private readonly byConcert = new Map<number, { conns: Set<Connection>; off: () => void }>();
  private readonly room: WaitingRoom;
  private readonly feed: LineStateFeed;
  private readonly logger: Logger;
  private readonly onConcert: (concertId: number) => Promise<void>;
  private timer?: NodeJS.Timeout;
  private sweep?: NodeJS.Timeout;
  private stopHeartbeats?: () => void;

  /** `onConcert` runs for every concert with connected fans every 15 s (keeps its ticker alive). */
  constructor(room: WaitingRoom, feed: LineStateFeed, logger: Logger, onConcert: (concertId: number) => Promise<void>) {
    this.room = room;
    this.feed = feed;
    this.logger = logger;
    this.onConcert = onConcert;
  }

  start(): void {
    // A connected fan is alive: the batched heartbeat writes it at every flush.
    this.stopHeartbeats = this.room.heartbeats.addStanding(() => this.connectedFans());
    this.timer = setInterval(() => this.pingConcerts(), CONCERT_PING_MS);
    this.timer.unref();
    // A sweep every second writes a keep-alive to each stream idle for 15 s. One pass every 15 s
    // wrote to every idle stream at once: 18,000 streams that connected together stayed in step
    // and blocked the event loop with one burst of writes (lobby: status p99 164 ms beside them).
    this.sweep = setInterval(() => this.keepAlive(), KEEPALIVE_SWEEP_MS);
    this.sweep.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.sweep);
    this.stopHeartbeats?.();
    for (const { conns } of this.byConcert.values()) for (const c of conns) this.close(c);
  }

  get size(): number {
    let n = 0;
    for (const { conns } of this.byConcert.values()) n += conns.size;
    return n;
  }

  /** The route handler (after authentication). Errors before the stream opens are plain JSON errors. */
  handler(): (req: Request, res: Response) => Promise<void> {
    return async (req, res) => {
      const token = req.header('x-queue-token') ?? (typeof req.query.token === 'string' ? req.query.token : undefined);
      const claims = this.room.verify(userIdOf(req), token);
      const status = await this.room.read(claims, token!);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // no proxy buffering (nginx)
      });
      endOnShutdown(res);
      // EventSource reconnects after `retry` ms when the connection drops.
      res.write('retry: 3000\n\n');
      const conn: Connection = { claims, token: token!, res, lastSentAt: 0, lastWriteAt: 0, pollAfterMs: status.pollAfterMs, reading: false, closed: false };
      this.send(conn, status);
      if (status.state !== 'WAITING') return this.close(conn);
      this.add(conn);
      req.on('close', () => this.remove(conn));
      void this.onConcert(claims.concertId).catch(() => undefined);
    };
  }

  private add(conn: Connection): void {
    const concertId = conn.claims.concertId;
    let entry = this.byConcert.get(concertId);
    if (!entry) {
      const off = this.feed.on(concertId, (s) => this.onLine(concertId, s));
      this.byConcert.set(concertId, (entry = { conns: new Set(), off }));
    }
    entry.conns.add(conn);
  }

  private remove(conn: Connection): void {
    conn.closed = true;
    const entry = this.byConcert.get(conn.claims.concertId);
    if (!entry) return;
    entry.conns.delete(conn);
    if (entry.conns.size === 0) {
      entry.off();
      this.byConcert.delete(conn.claims.concertId);
    }
  }

  private close(conn: Connection): void {
    this.remove(conn);
    conn.res.end();
  }

  private onLine(concertId: number, line: LineState): void {
    const entry = this.byConcert.get(concertId);
    if (!entry) return;
    const now = Date.now();
    const { maxActive, activeTtlSeconds } = this.room.settings;
    const rate = planningRate(line.rate, maxActive, activeTtlSeconds);
    const reason: WaitingReason | undefined = line.paused ? 'PAUSED' : line.allHeld ? 'ALL_SEATS_HELD' : undefined;
    for (const conn of entry.conns) {
      const { claims } = conn;
      if (line.soldOut) {
        this.send(conn, { state: 'SOLD_OUT', concertId, token: conn.token, pollAfterMs: pollAfterMsFor('SOLD_OUT') });
        this.close(conn);
      } else if (claims.seq === 0) {
        // A pre-queue place (docs/fairness.md): its position is not on the line's seq scale, so
        // read it exactly, at the pace the server set for it.
        if (now - conn.lastSentAt >= conn.pollAfterMs) this.refresh(conn);
      } else if (claims.seq < line.headSeq) {
        // No longer in the waiting part of the line: admitted, dropped or gone. One exact read.
        this.refresh(conn);
      } else {
        const position = estimatePosition(claims.seq, line.headSeq, line.tailSeq, line.waiting);
        const pollAfterMs = waitingPollAfterMs(position, rate, reason ? 0 : Math.max(0, line.ceiling - line.active));
        if (reason === conn.reason && now - conn.lastSentAt < Math.min(conn.pollAfterMs, pollAfterMs)) continue;
        this.send(conn, {
          state: 'WAITING', concertId, token: conn.token, position, waitingCount: line.waiting,
          estimatedWaitSeconds: Math.ceil(position / rate), ...(reason ? { reason } : {}), pollAfterMs,
        });
      }
    }
  }

  private refresh(conn: Connection): void {
    if (conn.reading) return;
    conn.reading = true;
    this.room.read(conn.claims, conn.token).then(
      (status) => {
        conn.reading = false;
        if (conn.closed) return;
        this.send(conn, status);
        if (status.state !== 'WAITING') this.close(conn);
      },
      (err: unknown) => {
        conn.reading = false;
        if (conn.closed) return;
        if (err instanceof AppError && statusFor(err.code) < 500) {
          // e.g. QUEUE_RESET: tell the fan and end the stream; anything else is retried next tick.
          conn.res.write(`event: error\ndata: ${JSON.stringify({ error: { code: err.code, message: err.message } })}\n\n`);
          this.close(conn);
        } else {
          this.logger.debug({ err }, 'queue stream read failed; retrying at the next tick');
        }
      },
    );
  }

  private send(conn: Connection, status: QueueStatus): void {
    conn.lastSentAt = conn.lastWriteAt = Date.now();
    // The next paced update of a waiting fan, spread by ±20 % like the polls' pace, so that fans
    // who connected together are not all sent their update in the same tick.
    conn.pollAfterMs = status.state === 'WAITING' ? spreadPollAfterMs(status.pollAfterMs, Math.random()) : status.pollAfterMs;
    conn.reason = status.state === 'WAITING' ? status.reason : undefined;
    conn.res.write(`event: status\ndata: ${JSON.stringify(status)}\n\n`);
  }

  private pingConcerts(): void {
    for (const concertId of this.byConcert.keys()) void this.onConcert(concertId).catch(() => undefined);
  }

  private keepAlive(): void {
    const now = Date.now();
    for (const { conns } of this.byConcert.values()) {
      for (const c of conns) {
        if (now - c.lastWriteAt < KEEPALIVE_MS) continue;
        c.lastWriteAt = now;
        c.res.write(': keep-alive\n\n');
      }
    }
  }

  private *connectedFans(): Iterable<[number, number]> {
    for (const [concertId, { conns }] of this.byConcert) for (const c of conns) yield [concertId, c.claims.userId];
  }
}

/**
 * EventSource cannot send headers: it may pass the bearer JWT as `?access_token=`. The token is
 * then checked by the very same `auth` middleware as an Authorization header would be.
 */
export function bearerFromQuery(auth: RequestHandler): RequestHandler {
  return (req: Request, res, next) => {
    const q = req.query.access_token;
    if (!req.headers.authorization && typeof q === 'string' && q) req.headers.authorization = `Bearer ${q}`;
    return auth(req, res, next);
  };
}
