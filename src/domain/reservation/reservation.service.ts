// Seat holds. Every write runs in one transaction that locks the seats (SELECT … FOR UPDATE, ids
// ascending so two holds can never deadlock on each other) and the user's quota row.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../platform/db.ts';
import { Schedule, Seat } from '../catalog/catalog.entity.ts';
import { isBookable } from '../catalog/catalog.rules.ts';
import { ScheduleNotFoundError } from '../catalog/catalog.errors.ts';
import { recordEvent } from '../events/outbox.ts';
import { Reservation, ReservationSeat, SeatQuota, type IReservation } from './reservation.entity.ts';
import {
  ReservationNotFoundError, ReservationNotPendingError, ScheduleNotBookableError, SeatLimitExceededError, SeatNotFoundError,
  SeatUnavailableError,
} from './reservation.errors.ts';
import { isHoldExpired, missingSeats, withinSeatLimit } from './reservation.rules.ts';

export interface HoldRequest { userId: number; scheduleId: number; seatNumbers: number[]; jobId: string }
export interface ReservationView {
  reservationId: number; userId: number; scheduleId: number; concertId: number; status: string;
  totalAmount: number; expiresAt: string; seats: { seatNumber: number; price: number }[];
}

/** Seconds a statement waits for a row lock before giving up (then the job is retried). */
const LOCK_WAIT_SECONDS = 3;

export async function setShortLockWait(em: EntityManager): Promise<void> {
  await em.getConnection().execute(`set session innodb_lock_wait_timeout = ${LOCK_WAIT_SECONDS}`, [], 'run', em.getTransactionContext());
}

export async function viewReservation(em: EntityManager, r: IReservation): Promise<ReservationView> {
  const seats = await em.find(ReservationSeat, { reservationId: r.id }, { orderBy: { seatNumber: 'asc' } });
  return {
    reservationId: r.id, userId: r.userId, scheduleId: r.scheduleId, concertId: r.concertId, status: r.status,
    totalAmount: r.totalAmount, expiresAt: r.expiresAt.toISOString(), seats: seats.map((s) => ({ seatNumber: s.seatNumber, price: s.price })),
  };
}

export async function holdSeats(em: EntityManager, req: HoldRequest, opts: { holdSeconds: number; now: Date }): Promise<ReservationView> {
  // A job re-run after a crash finds the reservation its first run committed.
  const done = await em.findOne(Reservation, { jobId: req.jobId });
  if (done) return viewReservation(em, done);
  // Fail fast, outside any transaction and without locks: under a rush most attempts are for
  // seats already taken. Making those queue on the seat rows' locks serialised every loser behind
  // every winner (500 attempts on one seat: ~10 s), and a transaction for them costs 3 more round
  // trips. The locked re-check below decides; this only turns losers away early.
  const alreadyTaken = await em.find(Seat, { scheduleId: req.scheduleId, seatNumber: { $in: req.seatNumbers }, status: { $ne: 'AVAILABLE' } }, { fields: ['seatNumber'] });
  if (alreadyTaken.length) throw new SeatUnavailableError(alreadyTaken.map((s) => s.seatNumber).sort((a, b) => a - b));

  return em.transactional(async (tx) => {
    await setShortLockWait(tx);
    const schedule = await tx.findOne(Schedule, req.scheduleId);
    if (!schedule) throw new ScheduleNotFoundError(req.scheduleId);
    if (!isBookable(schedule, opts.now)) throw new ScheduleNotBookableError(req.scheduleId);

    const seats = await tx.find(
      Seat,
      { scheduleId: req.scheduleId, seatNumber: { $in: req.seatNumbers } },
      { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const missing = missingSeats(req.seatNumbers, seats);
    if (missing.length) throw new SeatNotFoundError(missing);
    const taken = seats.filter((s) => s.status !== 'AVAILABLE').map((s) => s.seatNumber);
    if (taken.length) throw new SeatUnavailableError(taken);

    // The quota row serialises this user's holds on this schedule across all workers.
    // `on duplicate key update` takes the row's exclusive lock at once (`insert ignore` would take
    // a shared one, and two holds upgrading it would deadlock).
    await tx.getConnection().execute(
      'insert into seat_quotas (user_id, schedule_id, held) values (?, ?, 0) on duplicate key update held = held',
      [req.userId, req.scheduleId], 'run', tx.getTransactionContext(),
    );
    const quota = await tx.findOneOrFail(SeatQuota, { userId: req.userId, scheduleId: req.scheduleId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!withinSeatLimit(quota.held, seats.length, schedule.maxSeatsPerUser)) {
      throw new SeatLimitExceededError(schedule.maxSeatsPerUser, quota.held, seats.length);
    }
    quota.held += seats.length;

    const reservation = tx.create(Reservation, {
      userId: req.userId, scheduleId: schedule.id, concertId: schedule.concertId, status: 'PENDING',
      totalAmount: seats.reduce((sum, s) => sum + s.price, 0), expiresAt: new Date(opts.now.getTime() + opts.holdSeconds * 1000),
      jobId: req.jobId,
    });
    await tx.flush();
    for (const seat of seats) {
      seat.status = 'HELD';
      seat.reservationId = reservation.id;
      tx.create(ReservationSeat, { reservationId: reservation.id, seatId: seat.id, seatNumber: seat.seatNumber, price: seat.price, live: 1 });
    }
    const view = {
      reservationId: reservation.id, userId: req.userId, scheduleId: schedule.id, concertId: schedule.concertId, status: 'PENDING',
      totalAmount: reservation.totalAmount, expiresAt: reservation.expiresAt.toISOString(),
      seats: seats.map((s) => ({ seatNumber: s.seatNumber, price: s.price })).sort((a, b) => a.seatNumber - b.seatNumber),
    };
    recordEvent(tx, 'reservation.held', reservation.id, view, opts.now);
    return view;
  });
}

/**
 * Ends a PENDING hold: EXPIRED when its time is up (`reason: 'expired'`, only at or after
 * expiresAt) or RELEASED by its owner. Seats go back to AVAILABLE. Anything else is a no-op that
 * returns undefined (already paid, already ended, or not yet expired).
 */
export async function endHold(
  em: EntityManager,
  reservationId: number,
  reason: 'expired' | 'released',
  opts: { now: Date; userId?: number },
): Promise<ReservationView | undefined> {
  return em.transactional(async (tx) => {
    await setShortLockWait(tx);
    const r = await tx.findOne(Reservation, reservationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!r && reason === 'expired') return undefined; // nothing left to expire
    if (!r || (opts.userId !== undefined && r.userId !== opts.userId)) throw new ReservationNotFoundError(reservationId);
    if (r.status !== 'PENDING') {
      if (reason === 'released') throw new ReservationNotPendingError(r.id, r.status);
      return undefined;
    }
    if (reason === 'expired' && !isHoldExpired(r, opts.now)) return undefined;

    const links = await tx.find(ReservationSeat, { reservationId: r.id, live: 1 });
    const seats = await tx.find(Seat, { id: { $in: links.map((l) => l.seatId) } }, { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE });
    for (const seat of seats) {
      if (seat.reservationId === r.id && seat.status === 'HELD') {
        seat.status = 'AVAILABLE';
        seat.reservationId = null;
      }
    }
    for (const link of links) link.live = null;
    await tx.getConnection().execute(
      'update seat_quotas set held = held - ? where user_id = ? and schedule_id = ?', [links.length, r.userId, r.scheduleId], 'run', tx.getTransactionContext(),
    );
    r.status = reason === 'expired' ? 'EXPIRED' : 'RELEASED';
    await tx.flush();
    const view = await viewReservation(tx, r);
    recordEvent(tx, reason === 'expired' ? 'reservation.expired' : 'reservation.released', r.id, view, opts.now);
    return view;
  });
}

/** PENDING holds whose expiry passed more than `graceMs` ago (missed by their delayed job). */
export async function findOverdueHolds(em: EntityManager, now: Date, graceMs: number, limit: number): Promise<number[]> {
  const rows = await em.find(
    Reservation,
    { status: 'PENDING', expiresAt: { $lte: new Date(now.getTime() - graceMs) } },
    { fields: ['id'], limit, orderBy: { expiresAt: 'asc' } },
  );
  return rows.map((r) => r.id);
}

export async function getReservation(em: EntityManager, id: number, userId: number): Promise<ReservationView> {
  const r = await em.findOne(Reservation, id);
  if (!r || r.userId !== userId) throw new ReservationNotFoundError(id);
  return viewReservation(em, r);
}
