// Organizer actions on sold reservations: refund one (CONFIRMED → REFUNDED, seats back on sale,
// the wallet credited through the ledger), or cancel a whole schedule (holds CANCELLED, sales
// refunded, no more holds). Both are safe to run again: a refund is posted once per reservation
// (unique ledger reference), and a cancellation finishes whatever a first run left.
import { rowsOf, sqlBatch, writeOf, type EntityManager, type Stmt } from '../../platform/db.ts';
import { batchedTransaction, type TxBatches } from '../../platform/transactions.ts';
import { ScheduleNotFoundError } from '../catalog/catalog.errors.ts';
import { outboxStmt } from '../events/outbox.sql.ts';
import { endPendingStmts, lockForChange, type LockedReservation } from '../reservation/reservation.end.ts';
import { ReservationNotConfirmedError, ReservationNotFoundError } from '../reservation/reservation.errors.ts';
import { EVENT_TYPES, RESERVATION_EVENT_VERSION, reservationEvent, type ReservationRefundedV1 } from '../reservation/reservation.events.ts';
import { assertTransition, viewOf, type ReservationView } from '../reservation/reservation.lifecycle.ts';
import { freeSeats, setStatus } from '../reservation/reservation.sql.ts';
import { assertWalletChanged, creditStmts, readWallet, walletState } from '../wallet/wallet.sql.ts';

export interface ActorOptions { now: Date; actorId: number }
export interface RefundView { reservation: ReservationView; paymentId: number; refundedAmount: number; alreadyRefunded: boolean }

/** CONFIRMED → REFUNDED: seats AVAILABLE again, the paid amount credited, `reservation.refunded`. */
export async function refundReservation(em: EntityManager, reservationId: number, opts: ActorOptions): Promise<RefundView> {
  return batchedTransaction(em, async (tx) => {
    const { locked, extra: [payments] } = await lockForChange(tx, reservationId, [
      { sql: 'select id, amount, status from payments where reservation_id = ?', params: [reservationId] },
    ]);
    if (!locked) throw new ReservationNotFoundError(reservationId);
    const payment = rowsOf<Record<string, unknown>>(payments as never)[0];
    if (locked.r.status === 'REFUNDED' && payment) {
      return { reservation: viewOf(locked.r, []), paymentId: Number(payment.id), refundedAmount: Number(payment.amount), alreadyRefunded: true };
    }
    if (locked.r.status !== 'CONFIRMED' || !payment) throw new ReservationNotConfirmedError(reservationId, locked.r.status);
    return refundLocked(tx, locked, { id: Number(payment.id), amount: Number(payment.amount) }, 'REFUND', opts);
  });
}

async function refundLocked(
  tx: TxBatches, locked: LockedReservation, payment: { id: number; amount: number }, reason: ReservationRefundedV1['reason'], opts: ActorOptions,
): Promise<RefundView> {
  const { r, seats } = locked;
  assertTransition(r.id, r.status, 'REFUNDED');
  const [walletRows] = await tx.batch([readWallet(r.userId)]);
  const w = walletState(r.userId, rowsOf(walletRows));
  const credit = creditStmts(w, payment.amount, `refund:${r.id}`);
  const view = viewOf(r, seats, 'REFUNDED');
  const event: ReservationRefundedV1 = { ...reservationEvent(view), paymentId: payment.id, refundedAmount: payment.amount, reason, actorId: opts.actorId };
  const stmts: Stmt[] = [
    ...credit.stmts,
    ...freeSeats(r, seats, 'SOLD'),
    setStatus(r.id, 'REFUNDED'),
    { sql: "update payments set status = 'REFUNDED' where id = ?", params: [payment.id] },
    // A sold-out schedule has a seat to sell again (a cancelled one stays cancelled).
    { sql: "update schedules set status = 'AVAILABLE', sold_out_at = null where id = ? and status = 'SOLD_OUT'", params: [r.scheduleId] },
    outboxStmt(EVENT_TYPES.refunded, RESERVATION_EVENT_VERSION, r.id, event, opts.now),
  ];
  const results = await tx.batch(stmts);
  assertWalletChanged(w, results[0]);
  if (seats.length && writeOf(results[2]).affectedRows !== seats.length) throw new Error(`reservation ${r.id}: seats not sold to it`);
  return { reservation: view, paymentId: payment.id, refundedAmount: payment.amount, alreadyRefunded: false };
}

export interface CancelView { scheduleId: number; alreadyCancelled: boolean; holdsCancelled: number; refunded: number }

/**
 * Cancels a schedule. First the schedule turns CANCELLED, alone in its transaction: it waits for
 * the holds in flight (each holds a shared lock on the schedule row) and every later hold sees
 * CANCELLED under its locks. Then each live reservation ends in its own short transaction, in the
 * same lock order as payments (reservation, then seats): PENDING → CANCELLED, CONFIRMED → REFUNDED.
 */
export async function cancelSchedule(em: EntityManager, scheduleId: number, opts: ActorOptions): Promise<CancelView> {
  const before = await batchedTransaction(em, async (tx) => {
    const [rows] = await tx.batch([{ sql: 'select status from schedules where id = ? for update', params: [scheduleId] }]);
    const s = rowsOf<{ status: string }>(rows)[0];
    if (!s) throw new ScheduleNotFoundError(scheduleId);
    if (s.status !== 'CANCELLED') await tx.batch([{ sql: "update schedules set status = 'CANCELLED' where id = ?", params: [scheduleId] }], { commit: true });
    return s.status;
  });
  const [live] = await sqlBatch(em, [{
    sql: `select distinct r.id from reservations r join reservation_seats rs on rs.reservation_id = r.id and rs.live = 1
      join seats s on s.id = rs.seat_id where s.schedule_id = ? and r.status in ('PENDING', 'CONFIRMED') order by r.id`,
    params: [scheduleId],
  }]);
  let holdsCancelled = 0;
  let refunded = 0;
  for (const { id } of rowsOf<{ id: number }>(live)) {
    const done = await batchedTransaction(em, async (tx) => {
      const { locked, extra: [payments] } = await lockForChange(tx, Number(id), [
        { sql: 'select id, amount from payments where reservation_id = ?', params: [Number(id)] },
      ]);
      if (!locked) return undefined;
      if (locked.r.status === 'PENDING') {
        await tx.batch(endPendingStmts(locked, 'CANCELLED', opts.now).stmts, { commit: true });
        return 'cancelled';
      }
      const payment = rowsOf<Record<string, unknown>>(payments as never)[0];
      if (locked.r.status === 'CONFIRMED' && payment) {
        await refundLocked(tx, locked, { id: Number(payment.id), amount: Number(payment.amount) }, 'SCHEDULE_CANCELLED', opts);
        return 'refunded';
      }
      return undefined; // ended meanwhile (expired, released)
    });
    if (done === 'cancelled') holdsCancelled++;
    if (done === 'refunded') refunded++;
  }
  return { scheduleId, alreadyCancelled: before === 'CANCELLED', holdsCancelled, refunded };
}
