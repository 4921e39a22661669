import type { ISchedule } from './catalog.entity.ts';
import { DateWindowError } from './catalog.errors.ts';

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

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` as that day's UTC midnight; undefined unless it is a real calendar day. */
export function parseDay(s: string): Date | undefined {
  const m = DAY.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().startsWith(s) ? d : undefined;
}

/**
 * The [from, to) window of a schedules query, in whole UTC days: from defaults to today, to to
 * from + 90 days. Both must lie within 2 × maxDays of today and the window may span at most
 * maxDays, so the number of distinct cacheable windows is bounded (each is a cache key).
 */
export function scheduleWindow(from: string | undefined, to: string | undefined, now: Date, maxDays: number): { from: Date; to: Date } {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const horizon = 2 * maxDays * DAY_MS;
  const day = (field: 'from' | 'to', value: string) => {
    const d = parseDay(value);
    if (!d) throw new DateWindowError(field, 'must be a day as YYYY-MM-DD');
    if (Math.abs(d.getTime() - today) > horizon) throw new DateWindowError(field, `must be within ${2 * maxDays} days of today`);
    return d;
  };
  const start = from === undefined ? new Date(today) : day('from', from);
  const end = to === undefined ? new Date(start.getTime() + Math.min(90, maxDays) * DAY_MS) : day('to', to);
  if (end <= start) throw new DateWindowError('to', 'must be after from');
  if (end.getTime() - start.getTime() > maxDays * DAY_MS) throw new DateWindowError('to', `must be at most ${maxDays} days after from`);
  return { from: start, to: end };
}
