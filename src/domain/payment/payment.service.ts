// Paying a hold: the money part (wallet debit with its version check, ledger, payment row, event)
// around the reservation lifecycle's confirm step. Round trips (reservation.roundtrips.test.ts):
// BEGIN with the lock and reads, the writes, COMMIT, one read after the commit — four. (The COMMIT
// cannot ride with the writes: the wallet's version check and the seats' count are read from them.)
// The reservation row lock serialises attempts on one reservation; a second attempt finds the
// payment and returns it, so a reservation is never paid twice.
import { rowsOf, writeOf, type EntityManager } from '../../platform/db.ts';
import { batchedTransaction } from '../../platform/transactions.ts';
import { outboxStmt } from '../events/outbox.sql.ts';
import { lockForChange } from '../reservation/reservation.end.ts';
import { afterPayment, assertPayable, confirmStmts } from '../reservation/reservation.confirm.ts';
import { ReservationNotFoundError, ScheduleNotBookableError } from '../reservation/reservation.errors.ts';
import { EVENT_TYPES, PAYMENT_COMPLETED_VERSION, type PaymentCompletedV1 } from '../reservation/reservation.events.ts';
import type { ReservationRow } from '../reservation/reservation.lifecycle.ts';
import { assertWalletChanged, debitStmts, readWallet, walletState } from '../wallet/wallet.sql.ts';

export interface PaymentView {
  paymentId: number; reservationId: number; userId: number; concertId: number; scheduleId: number; amount: number;
  balanceAfter: number | null; alreadyPaid: boolean; scheduleSoldOut: boolean;
  /** Whether the fan still holds other seats of this concert (their queue slot then stays). */
  pendingHoldsLeft: boolean;
}

export interface PayRequest { userId: number; reservationId: number; submittedAt: Date }

export async function payReservation(em: EntityManager, req: PayRequest, now: Date): Promise<PaymentView> {
  const { userId, reservationId } = req;
  const paid = await batchedTransaction(em, async (tx) => {
    const { locked, extra: [payments, wallet, schedule] } = await lockForChange(tx, reservationId, [
      { sql: 'select id, amount from payments where reservation_id = ?', params: [reservationId] },
      readWallet(userId),
      { sql: 'select status from schedules where id = (select schedule_id from reservations where id = ?)', params: [reservationId] },
    ]);
    if (!locked || locked.r.userId !== userId) throw new ReservationNotFoundError(reservationId);
    const { r, seats } = locked;
    const existing = rowsOf<{ id: number; amount: number }>(payments as never)[0];
    if (existing) return { r, paymentId: Number(existing.id), amount: Number(existing.amount), balanceAfter: null, alreadyPaid: true };
    assertPayable(locked, req.submittedAt);
    // A schedule being cancelled: its holds are about to be cancelled too (payment.refund.ts).
    if (rowsOf<{ status: string }>(schedule as never)[0]?.status === 'CANCELLED') throw new ScheduleNotBookableError(r.scheduleId);

    const w = walletState(userId, rowsOf(wallet as never));
    const debit = debitStmts(w, r.totalAmount, `payment:${reservationId}`);
    const event: PaymentCompletedV1 = {
      paymentId: 0, reservationId, userId, concertId: r.concertId, scheduleId: r.scheduleId, amount: r.totalAmount,
      seats: seats.map((s) => ({ seatNumber: s.seatNumber, price: s.price })).sort((a, b) => a.seatNumber - b.seatNumber),
      completedAt: now.toISOString(), submittedAt: req.submittedAt.toISOString(),
    };
    const results = await tx.batch([
      ...debit.stmts,
      ...confirmStmts(locked),
      {
        sql: "insert into payments (reservation_id, user_id, amount, status, created_at) values (?, ?, ?, 'COMPLETED', ?)",
        params: [reservationId, userId, r.totalAmount, now],
      },
      outboxStmt(EVENT_TYPES.paymentCompleted, PAYMENT_COMPLETED_VERSION, reservationId, event, now, { '$.data.paymentId': { sql: 'last_insert_id()' } }),
    ]);
    // Thrown errors roll the whole batch back: a stale wallet version is retried, a seat not
    // HELD by this reservation would be a broken invariant.
    assertWalletChanged(w, results[0]);
    if (writeOf(results[2]).affectedRows !== seats.length) throw new Error(`reservation ${reservationId}: seats not held by it`);
    return { r, paymentId: writeOf(results[4]).insertId, amount: r.totalAmount, balanceAfter: debit.balanceAfter, alreadyPaid: false };
  });
  // After the commit, also for a payment found already made (a re-run job finishes what its first
  // run may not have: the sold-out mark).
  const after = await afterPayment(em, paid.r, now);
  return paymentView(paid.r, paid, after);
}

function paymentView(
  r: ReservationRow, p: { paymentId: number; amount: number; balanceAfter: number | null; alreadyPaid: boolean },
  after: { scheduleSoldOut: boolean; pendingHoldsLeft: boolean },
): PaymentView {
  return {
    paymentId: p.paymentId, reservationId: r.id, userId: r.userId, concertId: r.concertId, scheduleId: r.scheduleId, amount: p.amount,
    balanceAfter: p.balanceAfter, alreadyPaid: p.alreadyPaid, ...after,
  };
}
