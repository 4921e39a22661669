// The live funnel of a concert's sale, from the two places that know it: the waiting room in
// Redis (places in line, admissions) and MySQL (reservations by status, seats by status).
//
//   joined     places ever made in the line (the waiting room's arrival counter; a fan whose place
//              ended and who joins again counts again)
//   waiting    places in line now
//   admitted   admissions ever made (the line's `admitted` total, which the admission script
//              increments atomically with each admission)
//   active     admitted fans whose slot has not ended
//   abandoned  places that left the line before admission (stopped polling or left):
//              joined - waiting - admitted
//   holding / paid / released / expired   reservations PENDING / CONFIRMED / RELEASED / EXPIRED
//   soldOut    every schedule still on sale is SOLD_OUT
//   seatsLeft  seats AVAILABLE (neither held nor sold) in schedules not cancelled
import type { RedisClient } from '../../platform/redis.ts';
import type { EntityManager } from '../../platform/db.ts';
import { queueKeys } from '../queue/queue.keys.ts';

export interface Funnel {
  concertId: number;
  at: string;
  joined: number; waiting: number; admitted: number; active: number; abandoned: number;
  holding: number; paid: number; released: number; expired: number;
  /** Reservations by every status found, including any the lifecycle adds (refunds, cancellations). */
  reservationsByStatus: Record<string, number>;
  soldOut: boolean; schedules: number; soldOutSchedules: number;
  seatsTotal: number; seatsLeft: number; seatsHeld: number; seatsSold: number;
}

/** The stages exported to Prometheus, in funnel order. */
export const FUNNEL_STAGES = [
  'joined', 'waiting', 'admitted', 'active', 'abandoned', 'holding', 'paid', 'released', 'expired', 'seatsLeft', 'soldOut',
] as const satisfies readonly (keyof Funnel)[];

interface QueueCounts { joined: number; waiting: number; admitted: number; active: number }

/** One round trip for all of a concert's queue counts. */
async function queueCounts(redis: RedisClient, prefix: string, concertId: number, now: number): Promise<QueueCounts> {
  const k = queueKeys(prefix, concertId);
  const res = await redis.pipeline().get(k.seq).zcard(k.waiting).zcount(k.active, `(${now}`, '+inf').hget(k.meta, 'admitted')
    .hget(k.meta, 'preJoined').scard(k.pre).exec();
  const failed = res?.find(([err]) => err);
  if (!res || failed) throw failed?.[0] ?? new Error('queue counts: no reply');
  const [seq, waiting, active, admitted, preJoined, pre] = res.map(([, v]) => Number(v ?? 0)) as number[] as [number, number, number, number, number, number];
  // Pre-queue places (docs/fairness.md) are made without an arrival number and wait in a set
  // until the opening moves them into the line (for the few seconds of an opening, fans not yet
  // placed are counted in neither).
  return { joined: seq + preJoined, waiting: waiting + pre, active, admitted };
}

type Counted = { concert_id: number; status: string; n: number | string }[];

/** The funnels of several concerts: three grouped queries in all, plus one Redis round trip each. */
async function readFunnels(em: EntityManager, redis: RedisClient, prefix: string, concertIds: number[], now: Date): Promise<Funnel[]> {
  if (concertIds.length === 0) return [];
  const conn = em.getConnection();
  const marks = concertIds.map(() => '?').join(',');
  const [reservations, seats, schedules, queues] = await Promise.all([
    conn.execute<Counted>(`select concert_id, status, count(*) as n from reservations where concert_id in (${marks}) group by concert_id, status`, concertIds),
    conn.execute<Counted>(
      `select sc.concert_id, s.status, count(*) as n from seats s join schedules sc on sc.id = s.schedule_id
       where sc.concert_id in (${marks}) and sc.status <> 'CANCELLED' group by sc.concert_id, s.status`, concertIds,
    ),
    conn.execute<Counted>(`select concert_id, status, count(*) as n from schedules where concert_id in (${marks}) group by concert_id, status`, concertIds),
    Promise.all(concertIds.map((id) => queueCounts(redis, prefix, id, now.getTime()))),
  ]);
  const by = (rows: Counted, id: number) => {
    const m: Record<string, number> = {};
    for (const r of rows) if (Number(r.concert_id) === id) m[r.status] = Number(r.n);
    return m;
  };
  return concertIds.map((concertId, i) => {
    const q = queues[i]!;
    const r = by(reservations, concertId);
    const s = by(seats, concertId);
    const sc = by(schedules, concertId);
    const onSale = Object.entries(sc).filter(([st]) => st !== 'CANCELLED').reduce((n, [, c]) => n + c, 0);
    return {
      concertId, at: now.toISOString(),
      joined: q.joined, waiting: q.waiting, admitted: q.admitted, active: q.active,
      abandoned: Math.max(0, q.joined - q.waiting - q.admitted),
      holding: r.PENDING ?? 0, paid: r.CONFIRMED ?? 0, released: r.RELEASED ?? 0, expired: r.EXPIRED ?? 0,
      reservationsByStatus: r,
      soldOut: onSale > 0 && (sc.SOLD_OUT ?? 0) === onSale, schedules: onSale, soldOutSchedules: sc.SOLD_OUT ?? 0,
      seatsTotal: Object.values(s).reduce((a, b) => a + b, 0), seatsLeft: s.AVAILABLE ?? 0, seatsHeld: s.HELD ?? 0, seatsSold: s.SOLD ?? 0,
    };
  });
}

/** Concerts whose sale is on or ahead (a schedule not cancelled whose booking has not closed); the metrics follow these. */
async function concertsOnSale(em: EntityManager, now: Date, limit: number): Promise<number[]> {
  const rows = await em.getConnection().execute<{ concert_id: number }[]>(
    `select distinct concert_id from schedules where booking_close_at > ? and status <> 'CANCELLED' order by concert_id desc limit ${Number(limit)}`, [now],
  );
  return rows.map((r) => Number(r.concert_id));
}

/**
 * Funnel reads for one process, each remembered for `memoMs` (default 1 s): the admin page, a
 * Prometheus scrape and a second page open at once cost one read, not three.
 */
export class Funnels {
  private readonly memo = new Map<number, { at: number; value: Promise<Funnel> }>();
  private readonly em: () => EntityManager;
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly memoMs: number;

  constructor(em: () => EntityManager, redis: RedisClient, prefix: string, memoMs = 1000) {
    this.em = em;
    this.redis = redis;
    this.prefix = prefix;
    this.memoMs = memoMs;
  }

  async of(concertId: number): Promise<Funnel> {
    return (await this.many([concertId]))[0]!;
  }

  /** The funnels of these concerts, reading only those not remembered. */
  async many(concertIds: number[]): Promise<Funnel[]> {
    const now = Date.now();
    const stale = concertIds.filter((id) => { const m = this.memo.get(id); return !m || now - m.at >= this.memoMs; });
    if (stale.length) {
      const read = readFunnels(this.em(), this.redis, this.prefix, stale, new Date(now));
      stale.forEach((id, i) => {
        const value = read.then((all) => all[i]!);
        value.catch(() => this.memo.delete(id)); // a failed read is not remembered
        this.memo.set(id, { at: now, value });
      });
      if (this.memo.size > 1000) for (const [id, m] of this.memo) if (now - m.at >= this.memoMs) this.memo.delete(id);
    }
    return Promise.all(concertIds.map((id) => this.memo.get(id)!.value));
  }

  /** Funnels of the concerts on sale now or ahead, at most `limit` (the Prometheus export). */
  async onSale(limit: number): Promise<Funnel[]> {
    return this.many(await concertsOnSale(this.em(), new Date(), limit));
  }
}
