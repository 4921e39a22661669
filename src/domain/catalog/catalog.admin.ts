// Catalog writes for organizers: concerts and schedules with their seat maps. They run inside the
// caller's transaction and take no seat locks: a new schedule's seats exist only once it commits,
// and a concert's descriptive fields are read by nobody who locks.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { Concert, Schedule } from './catalog.entity.ts';
import { ConcertNotFoundError } from './catalog.errors.ts';
import { concertView, type ConcertView } from './catalog.service.ts';
import { expandSeatMap, scheduleTimesIssue, type SeatMapSpec } from './catalog.seatmap.ts';
import { newSaleSeed } from '../queue/queue.fairness.ts';

export interface ConcertInput {
  title: string; artist: string; description?: string | null; posterImageUrl?: string | null; durationMinutes: number;
  saleOpensAt?: Date | null;
}
export type ConcertPatch = Partial<ConcertInput>;

export interface ScheduleInput {
  performanceAt: Date; bookingOpenAt: Date; bookingCloseAt: Date; maxSeatsPerUser: number; seatMap: SeatMapSpec;
}
export interface CreatedSchedule {
  id: number; concertId: number; performanceAt: string; bookingOpenAt: string; bookingCloseAt: string; maxSeatsPerUser: number;
  seatCount: number; status: string; prices: { price: number; seats: number }[];
}

/** Rows per multi-row insert: 1,000 seats of 3 values stay far below max_allowed_packet and placeholders. */
const SEAT_INSERT_BATCH = 1000;

export async function createConcert(tx: EntityManager, input: ConcertInput): Promise<ConcertView> {
  const c = tx.create(Concert, {
    title: input.title, artist: input.artist, description: input.description ?? null, posterImageUrl: input.posterImageUrl ?? null,
    durationMinutes: input.durationMinutes, saleOpensAt: input.saleOpensAt ?? null, saleSeed: input.saleOpensAt ? newSaleSeed() : null,
  });
  await tx.flush();
  return concertView(c);
}

/** Applies the given fields (locking the row, so two edits serialise); returns the state before and after. */
export async function updateConcert(tx: EntityManager, id: number, patch: ConcertPatch): Promise<{ before: ConcertView; after: ConcertView }> {
  const c = await tx.findOne(Concert, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!c) throw new ConcertNotFoundError(id);
  const before = concertView(c);
  if (patch.title !== undefined) c.title = patch.title;
  if (patch.artist !== undefined) c.artist = patch.artist;
  if (patch.description !== undefined) c.description = patch.description;
  if (patch.posterImageUrl !== undefined) c.posterImageUrl = patch.posterImageUrl;
  if (patch.durationMinutes !== undefined) c.durationMinutes = patch.durationMinutes;
  if (patch.saleOpensAt !== undefined) c.saleOpensAt = patch.saleOpensAt;
  // The seed is made once, when an opening is first announced, and kept when it moves: its
  // commitment may already be published, and a pre-queue may already be waiting on it.
  if (c.saleOpensAt && !c.saleSeed) c.saleSeed = newSaleSeed();
  await tx.flush();
  return { before, after: concertView(c) };
}

/** A schedule and all its seats, inserted in bulk (1,000 seats: one statement). */
export async function createSchedule(tx: EntityManager, concertId: number, input: ScheduleInput): Promise<CreatedSchedule> {
  const timesIssue = scheduleTimesIssue(input);
  if (timesIssue) throw new AppError('VALIDATION_FAILED', `${timesIssue.field}: ${timesIssue.message}`, { in: 'body', field: timesIssue.field });
  const expanded = expandSeatMap(input.seatMap);
  if ('issue' in expanded) throw new AppError('VALIDATION_FAILED', `${expanded.issue.field}: ${expanded.issue.message}`, { in: 'body', field: expanded.issue.field });
  const { seats } = expanded;
  // Shared lock: the concert cannot vanish under the new schedule, and concurrent schedule
  // creations for one concert do not wait for each other.
  const concert = await tx.findOne(Concert, concertId, { lockMode: LockMode.PESSIMISTIC_READ });
  if (!concert) throw new ConcertNotFoundError(concertId);

  const s = tx.create(Schedule, {
    concertId, performanceAt: input.performanceAt, bookingOpenAt: input.bookingOpenAt, bookingCloseAt: input.bookingCloseAt,
    maxSeatsPerUser: input.maxSeatsPerUser, seatCount: seats.length,
  });
  await tx.flush();
  const conn = tx.getConnection();
  for (let i = 0; i < seats.length; i += SEAT_INSERT_BATCH) {
    const batch = seats.slice(i, i + SEAT_INSERT_BATCH);
    await conn.execute(
      `insert into seats (schedule_id, seat_number, price) values ${batch.map(() => '(?, ?, ?)').join(',')}`,
      batch.flatMap((seat) => [s.id, seat.seatNumber, seat.price]), 'run', tx.getTransactionContext(),
    );
  }
  const byPrice = new Map<number, number>();
  for (const seat of seats) byPrice.set(seat.price, (byPrice.get(seat.price) ?? 0) + 1);
  return {
    id: s.id, concertId, performanceAt: s.performanceAt.toISOString(), bookingOpenAt: s.bookingOpenAt.toISOString(),
    bookingCloseAt: s.bookingCloseAt.toISOString(), maxSeatsPerUser: s.maxSeatsPerUser, seatCount: seats.length, status: s.status ?? 'AVAILABLE',
    prices: [...byPrice].sort((a, b) => b[0] - a[0]).map(([price, n]) => ({ price, seats: n })),
  };
}
