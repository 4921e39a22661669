// Ending a PENDING hold: released by its owner, expired at its time, or cancelled with its
// schedule. Seats go back to AVAILABLE. Round trips: BEGIN with the lock and read, the writes with
// COMMIT — two (reservation.roundtrips.test.ts).
import { rowsOf, type EntityManager, type Stmt } from '../../platform/db.ts';
import { batchedTransaction, type TxBatches } from '../../platform/transactions.ts';
import { outboxStmt } from '../events/outbox.sql.ts';
import { ReservationNotFoundError, ReservationNotPendingError } from './reservation.errors.ts';
import { assertTransition, expiryMustWait, isHoldExpired, viewOf, type ReservationRow, type ReservationView } from './reservation.lifecycle.ts';
import { EVENT_TYPES, RESERVATION_EVENT_VERSION, reservationEvent } from './reservation.events.ts';
import { freeSeats, lockReservation, reservationRow, seatLink, setStatus, type SeatLink } from './reservation.sql.ts';

export interface LockedReservation { r: ReservationRow; seats: SeatLink[] }

/** Locks a reservation and reads its live seats, in the caller's transaction (one round trip). */
export async function lockForChange(tx: TxBatches, id: number, extra: Stmt[] = []): Promise<{ locked?: LockedReservation; extra: unknown[] }> {
  const [rows, seats, ...rest] = await tx.batch([...lockReservation(id), ...extra]);
  const row = rowsOf<Record<string, unknown>>(rows)[0];
  return { locked: row ? { r: reservationRow(row), seats: rowsOf<Record<string, unknown>>(seats).map(seatLink) } : undefined, extra: rest };
}

/** The statements that end a PENDING hold as `to`, with its event. */
export function endPendingStmts({ r, seats }: LockedReservation, to: 'RELEASED' | 'EXPIRED' | 'CANCELLED', now: Date): { stmts: Stmt[]; view: ReservationView } {
  assertTransition(r.id, r.status, to);
  const view = viewOf(r, seats, to);
  const type = to === 'RELEASED' ? EVENT_TYPES.released : to === 'EXPIRED' ? EVENT_TYPES.expired : EVENT_TYPES.cancelled;
  return {
    stmts: [...freeSeats(r, seats, 'HELD'), setStatus(r.id, to), outboxStmt(type, RESERVATION_EVENT_VERSION, r.id, reservationEvent(view), now)],
    view,
  };
}

/** The owner gives a hold back. Not found for anyone else; RESERVATION_NOT_PENDING once it ended. */
export async function releaseHold(em: EntityManager, id: number, opts: { now: Date; userId: number }): Promise<ReservationView> {
  return batchedTransaction(em, async (tx) => {
    const { locked } = await lockForChange(tx, id);
    if (!locked || locked.r.userId !== opts.userId) throw new ReservationNotFoundError(id);
    if (locked.r.status !== 'PENDING') throw new ReservationNotPendingError(id, locked.r.status);
    const { stmts, view } = endPendingStmts(locked, 'RELEASED', opts.now);
    await tx.batch(stmts, { commit: true });
    return view;
  });
}

export type ExpiryOutcome =
  | { outcome: 'expired'; view: ReservationView }
  | { outcome: 'not-due' | 'ended' | 'gone' | 'payment-pending' };

/**
 * Expires a hold whose time is up. `oldestPendingPayment` is the submit time of the oldest payment
 * job not yet finished: while it is before the hold's expiry, that payment may be for this hold and
 * must be honoured, so the expiry waits (`payment-pending`) and is tried again later.
 */
export async function expireHold(em: EntityManager, id: number, opts: { now: Date; oldestPendingPayment?: Date }): Promise<ExpiryOutcome> {
  return batchedTransaction(em, async (tx) => {
    const { locked } = await lockForChange(tx, id);
    if (!locked) return { outcome: 'gone' };
    if (locked.r.status !== 'PENDING') return { outcome: 'ended' };
    if (!isHoldExpired(locked.r, opts.now)) return { outcome: 'not-due' };
    if (expiryMustWait(locked.r, opts.oldestPendingPayment)) return { outcome: 'payment-pending' };
    const { stmts, view } = endPendingStmts(locked, 'EXPIRED', opts.now);
    await tx.batch(stmts, { commit: true });
    return { outcome: 'expired', view };
  });
}
