// Holding seats: PENDING for `holdSeconds`. Round trips (test: reservation.roundtrips.test.ts):
// a lock-free probe; BEGIN with the locks (seats FOR UPDATE by id, quota, schedule); the writes
// with COMMIT — three.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { rowsOf, sqlBatch, writeOf, type EntityManager } from '../../platform/db.ts';
import { batchedTransaction } from '../../platform/transactions.ts';
import { isBookable } from '../catalog/catalog.rules.ts';
import { ScheduleNotFoundError } from '../catalog/catalog.errors.ts';
import type { ScheduleStatus } from '../catalog/catalog.entity.ts';
import { outboxStmt } from '../events/outbox.sql.ts';
import { HoldRequestStaleError, ScheduleNotBookableError, SeatLimitExceededError, SeatNotFoundError, SeatUnavailableError } from './reservation.errors.ts';
import { missingSeats, withinSeatLimit, type ReservationView } from './reservation.lifecycle.ts';
import { EVENT_TYPES, RESERVATION_EVENT_VERSION, reservationEvent } from './reservation.events.ts';
import { holdLocks, holdProbe, insertHold, sqlDate, type SeatLink } from './reservation.sql.ts';
import { findReservationView } from './reservation.service.ts';

export interface HoldRequest { userId: number; scheduleId: number; seatNumbers: number[]; jobId: string; submittedAt?: Date }
export interface HoldOptions {
  holdSeconds: number; now: Date;
  /** A request older than this fails HOLD_REQUEST_STALE: the fan has stopped waiting, and a late hold only blocks the seat. */
  maxWaitSeconds?: number;
}

interface Schedule { status: ScheduleStatus; bookingOpenAt: Date; bookingCloseAt: Date }
const scheduleOf = (r: Record<string, unknown>): Schedule => ({
  status: r.status as ScheduleStatus, bookingOpenAt: sqlDate(r.booking_open_at), bookingCloseAt: sqlDate(r.booking_close_at),
});

export async function holdSeats(em: EntityManager, req: HoldRequest, opts: HoldOptions): Promise<ReservationView> {
  const { userId, scheduleId, seatNumbers, jobId } = req;
  const probe = rowsOf<Record<string, unknown>>((await sqlBatch(em, [holdProbe(scheduleId, seatNumbers, jobId)]))[0]);
  const head = probe[0];
  if (!head) throw new ScheduleNotFoundError(scheduleId);
  // A job re-run after a crash finds the reservation its first run committed.
  if (head.done_id != null) return findReservationView(em, Number(head.done_id));
  const waited = req.submittedAt ? Math.round((opts.now.getTime() - req.submittedAt.getTime()) / 1000) : 0;
  if (opts.maxWaitSeconds !== undefined && waited > opts.maxWaitSeconds) throw new HoldRequestStaleError(waited, opts.maxWaitSeconds);
  if (!isBookable(scheduleOf(head), opts.now)) throw new ScheduleNotBookableError(scheduleId);
  const seen = probe.filter((r) => r.seat_number != null).map((r) => ({ seatNumber: Number(r.seat_number), status: String(r.seat_status) }));
  const missing = missingSeats(seatNumbers, seen);
  if (missing.length) throw new SeatNotFoundError(missing);
  const taken = seen.filter((s) => s.status !== 'AVAILABLE').map((s) => s.seatNumber).sort((a, b) => a - b);
  if (taken.length) throw new SeatUnavailableError(taken);
  const limit = Number(head.max_seats_per_user);
  if (!withinSeatLimit(0, seatNumbers.length, limit)) throw new SeatLimitExceededError(limit, 0, seatNumbers.length);

  try {
    return await batchedTransaction(em, async (tx) => {
      const [seatRows, , quotaRows, scheduleRows] = await tx.batch(holdLocks(userId, scheduleId, seatNumbers));
      // The locked re-check decides; the probe only turned losers away early.
      const seats = rowsOf<Record<string, unknown>>(seatRows).map((s) => ({
        seatId: Number(s.id), seatNumber: Number(s.seat_number), price: Number(s.price), status: String(s.status),
      }));
      const schedule = rowsOf<Record<string, unknown>>(scheduleRows)[0];
      if (!schedule || !isBookable(scheduleOf(schedule), opts.now)) throw new ScheduleNotBookableError(scheduleId);
      const lockedTaken = seats.filter((s) => s.status !== 'AVAILABLE').map((s) => s.seatNumber);
      if (lockedTaken.length) throw new SeatUnavailableError(lockedTaken);
      const held = Number(rowsOf<{ held: number }>(quotaRows)[0]?.held ?? 0);
      if (!withinSeatLimit(held, seats.length, limit)) throw new SeatLimitExceededError(limit, held, seats.length);

      const links: SeatLink[] = seats.map(({ seatId, seatNumber, price }) => ({ seatId, seatNumber, price }));
      const row = {
        userId, scheduleId, concertId: Number(head.concert_id), totalAmount: links.reduce((sum, s) => sum + s.price, 0),
        expiresAt: new Date(opts.now.getTime() + opts.holdSeconds * 1000),
      };
      const event = reservationEvent({ reservationId: 0, ...row, status: 'PENDING', expiresAt: row.expiresAt.toISOString(), seats: links });
      // Nothing left to check once these ran (the seats were AVAILABLE under their locks; a
      // duplicate job id fails the insert, which stops the batch before its COMMIT).
      const results = await tx.batch([
        ...insertHold({ ...row, jobId, now: opts.now }, links),
        outboxStmt(EVENT_TYPES.held, RESERVATION_EVENT_VERSION, { sql: '@rid' }, event, opts.now, { '$.data.reservationId': { sql: '@rid' } }),
      ], { commit: true });
      return { ...event, reservationId: writeOf(results[0]).insertId };
    });
  } catch (err) {
    // Two runs of the same job raced past the probe: the unique job id let only one insert.
    if (err instanceof UniqueConstraintViolationException && /uq_reservations_job/.test(err.message)) {
      const done = rowsOf<{ id: number }>((await sqlBatch(em, [{ sql: 'select id from reservations where job_id = ?', params: [jobId] }]))[0])[0];
      if (done) return findReservationView(em, Number(done.id));
    }
    throw err;
  }
}
