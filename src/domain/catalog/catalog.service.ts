// Catalog reads. Plain queries returning plain objects (they are cached as JSON).
import type { EntityManager } from '../../platform/db.ts';
import { Concert, Schedule, type IConcert, type ScheduleStatus, type SeatStatus } from './catalog.entity.ts';
import { ConcertNotFoundError, ScheduleNotFoundError } from './catalog.errors.ts';
import { isBookable } from './catalog.rules.ts';

export interface ConcertView { id: number; title: string; artist: string; description: string | null; posterImageUrl: string | null; durationMinutes: number; saleOpensAt: string | null }
export interface ScheduleRow {
  id: number; concertId: number; performanceAt: string; bookingOpenAt: string; bookingCloseAt: string;
  maxSeatsPerUser: number; seatCount: number; status: ScheduleStatus;
}
export interface ScheduleView extends ScheduleRow { bookable: boolean }
export interface SeatView { seatNumber: number; price: number; status: SeatStatus }

export const concertView = (c: IConcert): ConcertView => ({
  id: c.id, title: c.title, artist: c.artist, description: c.description ?? null, posterImageUrl: c.posterImageUrl ?? null, durationMinutes: c.durationMinutes,
  saleOpensAt: c.saleOpensAt ? c.saleOpensAt.toISOString() : null,
});

export async function listConcerts(em: EntityManager): Promise<ConcertView[]> {
  const rows = await em.find(Concert, {}, { orderBy: { id: 'asc' } });
  return rows.map(concertView);
}

export async function getConcert(em: EntityManager, id: number): Promise<ConcertView> {
  const c = await em.findOne(Concert, id);
  if (!c) throw new ConcertNotFoundError(id);
  return concertView(c);
}

/** Schedules of a concert performing in [from, to), whatever their booking state (cacheable). */
export async function listSchedules(em: EntityManager, concertId: number, range: { from: Date; to: Date }): Promise<ScheduleRow[]> {
  await getConcert(em, concertId);
  const rows = await em.find(
    Schedule,
    { concertId, performanceAt: { $gte: range.from, $lt: range.to } },
    { orderBy: { performanceAt: 'asc', id: 'asc' } },
  );
  return rows.map((s) => ({
    id: s.id, concertId: s.concertId, performanceAt: s.performanceAt.toISOString(), bookingOpenAt: s.bookingOpenAt.toISOString(),
    bookingCloseAt: s.bookingCloseAt.toISOString(), maxSeatsPerUser: s.maxSeatsPerUser, seatCount: s.seatCount, status: s.status,
  }));
}

/** Adds `bookable` as of `now`; computed per request so a cached list never hides an opening sale. */
export function withBookable(rows: ScheduleRow[], now: Date): ScheduleView[] {
  return rows.map((r) => ({
    ...r,
    bookable: isBookable({ status: r.status, bookingOpenAt: new Date(r.bookingOpenAt), bookingCloseAt: new Date(r.bookingCloseAt) }, now),
  }));
}

export async function getSchedule(em: EntityManager, scheduleId: number) {
  const s = await em.findOne(Schedule, scheduleId);
  if (!s) throw new ScheduleNotFoundError(scheduleId);
  return s;
}

/**
 * The whole seat map of a schedule, in one query (schedule existence included). This is what a
 * rush reloads after every hold and payment, so it skips the ORM's entity hydration; views
 * filtered by status are derived from it by the caller (one cached body per schedule).
 */
export async function seatMap(em: EntityManager, scheduleId: number): Promise<{ scheduleId: number; seats: SeatView[] }> {
  const rows = await em.getConnection().execute<{ seat_number: number | null; price: number | string | null; status: SeatStatus | null }[]>(
    'select s.seat_number, s.price, s.status from schedules sc left join seats s on s.schedule_id = sc.id where sc.id = ? order by s.seat_number',
    [scheduleId],
  );
  if (rows.length === 0) throw new ScheduleNotFoundError(scheduleId);
  const seats = rows.filter((r) => r.seat_number !== null).map((r) => ({ seatNumber: r.seat_number!, price: Number(r.price), status: r.status! }));
  return { scheduleId, seats };
}
