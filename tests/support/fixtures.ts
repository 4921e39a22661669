// Test data made through the ORM: each test makes its own concert, so files never share rows.
import type { EntityManager } from '../../src/platform/db.ts';
import { Concert, Schedule, Seat } from '../../src/domain/catalog/catalog.entity.ts';

export async function makeConcert(em: EntityManager, opts: { seats?: number; schedules?: number; price?: number; maxSeatsPerUser?: number; bookingOpenAt?: Date } = {}) {
  const now = Date.now();
  const concert = em.create(Concert, { title: `Test concert ${now}-${Math.random()}`, artist: 'Test', durationMinutes: 100 });
  await em.flush();
  const schedules = [];
  for (let i = 0; i < (opts.schedules ?? 1); i++) {
    const s = em.create(Schedule, {
      concertId: concert.id,
      performanceAt: new Date(now + (10 + i) * 86_400_000),
      bookingOpenAt: opts.bookingOpenAt ?? new Date(now - 3_600_000),
      bookingCloseAt: new Date(now + 9 * 86_400_000),
      seatCount: opts.seats ?? 10,
      maxSeatsPerUser: opts.maxSeatsPerUser ?? 4,
    });
    await em.flush();
    for (let n = 1; n <= (opts.seats ?? 10); n++) em.create(Seat, { scheduleId: s.id, seatNumber: n, price: opts.price ?? 100_000 });
    await em.flush();
    schedules.push(s);
  }
  return { concert, schedules };
}
