// Pure hold decisions.
import type { ReservationStatus } from './reservation.entity.ts';

/** Whether a user already holding `held` seats may hold `requested` more under `limit`. */
export function withinSeatLimit(held: number, requested: number, limit: number): boolean {
  return held + requested <= limit;
}

/** A hold counts as expired from its expiry instant on. */
export function isHoldExpired(r: { status: ReservationStatus; expiresAt: Date }, now: Date): boolean {
  return r.status === 'PENDING' && r.expiresAt.getTime() <= now.getTime();
}

/** Seat numbers that the caller asked for but that are not in the list found. */
export function missingSeats(requested: number[], found: { seatNumber: number }[]): number[] {
  const have = new Set(found.map((s) => s.seatNumber));
  return requested.filter((n) => !have.has(n));
}
