// The original load-test data set (10 concerts × 5 schedules × 100 seats = 5,000 seats) by
// default. Idempotent: a concert whose title already exists is left alone, so running it twice
// (compose does on every start) changes nothing.
import type { EntityManager } from '../../platform/db.ts';
import { seedSeatPrice } from './catalog.rules.ts';

export interface CatalogSeedOptions { concerts: number; schedulesPerConcert: number; seatsPerSchedule: number; now?: Date }

const DAY = 86_400_000;

export async function seedCatalog(em: EntityManager, o: CatalogSeedOptions): Promise<{ concertsCreated: number; seatsCreated: number }> {
  const conn = em.getConnection();
  const now = o.now ?? new Date();
  let concertsCreated = 0;
  let seatsCreated = 0;
  for (let c = 1; c <= o.concerts; c++) {
    const title = `Encore Live ${c}`;
    const existing = await conn.execute<{ id: number }[]>('select id from concerts where title = ?', [title]);
    if (existing.length > 0) continue;
    await em.transactional(async (tx) => {
      const t = tx.getConnection();
      const res = await t.execute<{ insertId: number }>(
        'insert into concerts (title, artist, description, duration_minutes) values (?, ?, ?, ?)',
        [title, `Artist ${c}`, `Concert number ${c} of the seed data set`, 120], 'run', tx.getTransactionContext(),
      );
      const concertId = res.insertId;
      for (let s = 1; s <= o.schedulesPerConcert; s++) {
        const performanceAt = new Date(now.getTime() + (30 + s * 7) * DAY);
        const sched = await t.execute<{ insertId: number }>(
          `insert into schedules (concert_id, performance_at, booking_open_at, booking_close_at, max_seats_per_user, seat_count)
           values (?, ?, ?, ?, 4, ?)`,
          [concertId, performanceAt, new Date(now.getTime() - DAY), new Date(performanceAt.getTime() - DAY), o.seatsPerSchedule],
          'run', tx.getTransactionContext(),
        );
        const values = Array.from({ length: o.seatsPerSchedule }, (_, i) => [sched.insertId, i + 1, seedSeatPrice(i + 1)]);
        await t.execute(`insert into seats (schedule_id, seat_number, price) values ${values.map(() => '(?, ?, ?)').join(',')}`, values.flat(), 'run', tx.getTransactionContext());
        seatsCreated += values.length;
      }
    });
    concertsCreated++;
  }
  return { concertsCreated, seatsCreated };
}
