import type { ISchedule } from './catalog.entity.ts';

/** A schedule takes reservations strictly between its booking window bounds while AVAILABLE. */
export function isBookable(s: Pick<ISchedule, 'bookingOpenAt' | 'bookingCloseAt' | 'status'>, now: Date): boolean {
  return s.status === 'AVAILABLE' && now > s.bookingOpenAt && now < s.bookingCloseAt;
}

/** Seed pricing (won): the first 20 seats are VIP, the next 40 R, the rest S. */
export function seedSeatPrice(seatNumber: number): number {
  if (seatNumber <= 20) return 150_000;
  if (seatNumber <= 60) return 120_000;
  return 90_000;
}
