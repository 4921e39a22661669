// Reading reservations (entities: not a hot path), for the API and for re-run jobs.
import type { EntityManager } from '../../platform/db.ts';
import { Reservation, ReservationSeat } from './reservation.entity.ts';
import { ReservationNotFoundError } from './reservation.errors.ts';
import { viewOf, type ReservationView } from './reservation.lifecycle.ts';

export type { ReservationView };

export async function findReservationView(em: EntityManager, id: number): Promise<ReservationView> {
  em = em.fork(); // callers may pass the global EntityManager (the hot paths use it only for raw SQL)
  const r = await em.findOne(Reservation, id, { refresh: true });
  if (!r) throw new ReservationNotFoundError(id);
  const seats = await em.find(ReservationSeat, { reservationId: r.id }, { orderBy: { seatNumber: 'asc' } });
  return viewOf(r, seats);
}

/** The caller's own reservation; anyone else's is "not found" (no existence leak). */
export async function getReservation(em: EntityManager, id: number, userId: number): Promise<ReservationView> {
  const view = await findReservationView(em, id).catch(() => undefined);
  if (!view || view.userId !== userId) throw new ReservationNotFoundError(id);
  return view;
}

/** PENDING holds whose expiry passed more than `graceMs` ago (missed by their delayed job). */
export async function findOverdueHolds(em: EntityManager, now: Date, graceMs: number, limit: number): Promise<number[]> {
  const rows = await em.find(
    Reservation,
    { status: 'PENDING', expiresAt: { $lte: new Date(now.getTime() - graceMs) } },
    { fields: ['id'], limit, orderBy: { expiresAt: 'asc' } },
  );
  return rows.map((r) => r.id);
}
