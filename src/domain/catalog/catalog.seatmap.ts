// A schedule's seat map as an organizer describes it, in one of two forms: explicit seats with
// their prices, or price tiers over ranges of seat numbers ("1-20 at 150,000, 21-1000 at 90,000").
// Pure: expands and checks the description; the write path inserts the result in bulk.

export type SeatMapSpec =
  | { seats: { seatNumber: number; price: number }[]; tiers?: undefined }
  | { tiers: { from: number; to: number; price: number }[]; seats?: undefined };

export interface SeatSpec { seatNumber: number; price: number }

/** Upper bound of one schedule's seats (a stadium); one request inserts them all. */
export const MAX_SEATS_PER_SCHEDULE = 20_000;

/** A problem with the description, naming the offending field as the API reports it. */
export interface SeatMapIssue { field: string; message: string }

/** The seats, ordered by number, or the first issue (duplicates, overlapping tiers, too many). */
export function expandSeatMap(spec: SeatMapSpec): { seats: SeatSpec[] } | { issue: SeatMapIssue } {
  let seats: SeatSpec[];
  if (spec.seats !== undefined) {
    seats = spec.seats.map((s) => ({ seatNumber: s.seatNumber, price: s.price }));
  } else {
    const total = spec.tiers.reduce((n, t) => n + Math.max(0, t.to - t.from + 1), 0);
    const backwards = spec.tiers.findIndex((t) => t.to < t.from);
    if (backwards >= 0) return { issue: { field: `seatMap.tiers.${backwards}.to`, message: 'must not be below from' } };
    if (total > MAX_SEATS_PER_SCHEDULE) return { issue: { field: 'seatMap.tiers', message: `at most ${MAX_SEATS_PER_SCHEDULE} seats per schedule` } };
    seats = spec.tiers.flatMap((t) => Array.from({ length: t.to - t.from + 1 }, (_, i) => ({ seatNumber: t.from + i, price: t.price })));
  }
  if (seats.length === 0) return { issue: { field: 'seatMap', message: 'needs at least one seat' } };
  if (seats.length > MAX_SEATS_PER_SCHEDULE) return { issue: { field: 'seatMap.seats', message: `at most ${MAX_SEATS_PER_SCHEDULE} seats per schedule` } };
  seats.sort((a, b) => a.seatNumber - b.seatNumber);
  for (let i = 1; i < seats.length; i++) {
    if (seats[i]!.seatNumber === seats[i - 1]!.seatNumber) {
      return { issue: { field: spec.seats ? 'seatMap.seats' : 'seatMap.tiers', message: `seat ${seats[i]!.seatNumber} is given twice` } };
    }
  }
  return { seats };
}

export interface ScheduleTimes { performanceAt: Date; bookingOpenAt: Date; bookingCloseAt: Date }

/** Booking opens before it closes, and closes no later than the performance. */
export function scheduleTimesIssue(t: ScheduleTimes): SeatMapIssue | undefined {
  if (!(t.bookingOpenAt < t.bookingCloseAt)) return { field: 'bookingCloseAt', message: 'must be after bookingOpenAt' };
  if (t.bookingCloseAt > t.performanceAt) return { field: 'bookingCloseAt', message: 'must not be after performanceAt' };
  return undefined;
}
