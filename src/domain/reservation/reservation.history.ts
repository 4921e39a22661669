// A fan's own reservations, newest first, keyset-paginated by id (stable while new ones arrive:
// a page never repeats or skips a row the way an offset would).
import type { EntityManager } from '../../platform/db.ts';
import { Reservation, ReservationSeat } from './reservation.entity.ts';
import type { ReservationView } from './reservation.lifecycle.ts';

export interface Page<T> { items: T[]; nextBefore: number | null }

export async function listMyReservations(em: EntityManager, userId: number, q: { limit: number; before?: number }): Promise<Page<ReservationView>> {
  const rows = await em.find(
    Reservation,
    q.before !== undefined ? { userId, id: { $lt: q.before } } : { userId },
    { orderBy: { id: 'desc' }, limit: q.limit + 1 },
  );
  const page = rows.slice(0, q.limit);
  // One query for the seats of the whole page.
  const seats = page.length ? await em.find(ReservationSeat, { reservationId: { $in: page.map((r) => r.id) } }, { orderBy: { seatNumber: 'asc' } }) : [];
  const seatsOf = new Map<number, { seatNumber: number; price: number }[]>();
  for (const s of seats) {
    const list = seatsOf.get(s.reservationId) ?? [];
    list.push({ seatNumber: s.seatNumber, price: s.price });
    seatsOf.set(s.reservationId, list);
  }
  return {
    items: page.map((r) => ({
      reservationId: r.id, userId: r.userId, scheduleId: r.scheduleId, concertId: r.concertId, status: r.status,
      totalAmount: r.totalAmount, expiresAt: r.expiresAt.toISOString(), seats: seatsOf.get(r.id) ?? [],
    })),
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}
