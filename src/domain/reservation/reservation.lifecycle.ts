// The reservation lifecycle: its states, the one table of allowed transitions, the view every
// reader gets, and the pure decisions about holds. The use cases that move a reservation (hold,
// release, expire, cancel, confirm, refund) all check their move against TRANSITIONS.
//
//   PENDING ──pay──▶ CONFIRMED ──refund──▶ REFUNDED
//      │ release ▶ RELEASED   │ expire ▶ EXPIRED   │ schedule cancelled ▶ CANCELLED
import { IllegalTransitionError } from './reservation.errors.ts';

export const RESERVATION_STATUSES = ['PENDING', 'CONFIRMED', 'EXPIRED', 'RELEASED', 'CANCELLED', 'REFUNDED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** The only moves a reservation can make. A status missing on the left is final. */
export const TRANSITIONS: Readonly<Record<ReservationStatus, readonly ReservationStatus[]>> = {
  PENDING: ['CONFIRMED', 'RELEASED', 'EXPIRED', 'CANCELLED'],
  CONFIRMED: ['REFUNDED'],
  EXPIRED: [],
  RELEASED: [],
  CANCELLED: [],
  REFUNDED: [],
};

/** Statuses in which a reservation owns its seats (HELD while PENDING, SOLD while CONFIRMED). */
export const LIVE_STATUSES: readonly ReservationStatus[] = ['PENDING', 'CONFIRMED'];

export function canTransition(from: ReservationStatus, to: ReservationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(id: number, from: ReservationStatus, to: ReservationStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(id, from, to);
}

/** What every reader of a reservation gets: API responses, job results, event payloads. */
export interface ReservationView {
  reservationId: number; userId: number; scheduleId: number; concertId: number; status: ReservationStatus;
  totalAmount: number; expiresAt: string; seats: { seatNumber: number; price: number }[];
}

/** The columns the lifecycle reads of a reservation row. */
export interface ReservationRow {
  id: number; userId: number; scheduleId: number; concertId: number; status: ReservationStatus; totalAmount: number; expiresAt: Date;
}

export function viewOf(r: ReservationRow, seats: { seatNumber: number; price: number }[], status: ReservationStatus = r.status): ReservationView {
  return {
    reservationId: r.id, userId: r.userId, scheduleId: r.scheduleId, concertId: r.concertId, status, totalAmount: r.totalAmount,
    expiresAt: r.expiresAt.toISOString(), seats: [...seats].map((s) => ({ seatNumber: s.seatNumber, price: s.price })).sort((a, b) => a.seatNumber - b.seatNumber),
  };
}

/** Whether a user already holding `held` seats may hold `requested` more under `limit`. */
export function withinSeatLimit(held: number, requested: number, limit: number): boolean {
  return held + requested <= limit;
}

/** A hold counts as expired from its expiry instant on. */
export function isHoldExpired(r: { status: ReservationStatus; expiresAt: Date }, now: Date): boolean {
  return r.status === 'PENDING' && r.expiresAt.getTime() <= now.getTime();
}

/**
 * A payment is judged at submission: one submitted before the hold's expiry is honoured even if
 * its job runs later (a backlog must not cost a fan who paid in time their seats).
 */
export function paidInTime(r: { expiresAt: Date }, submittedAt: Date): boolean {
  return submittedAt.getTime() < r.expiresAt.getTime();
}

/**
 * Whether the expiry of a due hold must wait: a payment submitted before the hold's expiry may
 * still be queued (`oldestPendingPayment` is the submit time of the oldest unfinished payment job,
 * whichever reservation it is for). The expiry then tries again shortly.
 */
export function expiryMustWait(r: { expiresAt: Date }, oldestPendingPayment: Date | undefined): boolean {
  return oldestPendingPayment !== undefined && oldestPendingPayment.getTime() < r.expiresAt.getTime();
}

/** Seat numbers that the caller asked for but that are not in the list found. */
export function missingSeats(requested: number[], found: { seatNumber: number }[]): number[] {
  const have = new Set(found.map((s) => s.seatNumber));
  return requested.filter((n) => !have.has(n));
}
