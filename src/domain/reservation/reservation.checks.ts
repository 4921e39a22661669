// Cheap reads the API runs before it enqueues a reservation job, so that a request that cannot
// succeed is refused at once instead of costing a job. The worker's locked transaction still
// decides; these only turn the hopeless away early.
import type { EntityManager } from '../../platform/db.ts';
import { Reservation } from './reservation.entity.ts';
import { ReservationNotFoundError, ReservationNotPendingError } from './reservation.errors.ts';
import { isHoldExpired } from './reservation.lifecycle.ts';

/** The caller's reservation (owner and concert only), or RESERVATION_NOT_FOUND. */
export async function ownedReservation(em: EntityManager, id: number, userId: number): Promise<{ id: number; concertId: number }> {
  const r = await em.findOne(Reservation, id, { fields: ['userId', 'concertId'] });
  if (!r || r.userId !== userId) throw new ReservationNotFoundError(id);
  return { id: r.id, concertId: r.concertId };
}

/** Only a PENDING hold of the caller, not yet run out, can be released. */
export async function assertReleasable(em: EntityManager, id: number, userId: number, now: Date): Promise<void> {
  const r = await em.findOne(Reservation, id, { fields: ['userId', 'status', 'expiresAt'] });
  if (!r || r.userId !== userId) throw new ReservationNotFoundError(id);
  if (r.status !== 'PENDING') throw new ReservationNotPendingError(id, r.status);
  if (isHoldExpired(r, now)) throw new ReservationNotPendingError(id, 'EXPIRED');
}
