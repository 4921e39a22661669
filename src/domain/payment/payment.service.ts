// Paying a hold, in one transaction: the reservation row is locked (so parallel attempts on one
// reservation run one after another), the wallet is debited with its optimistic version check,
// the reservation is CONFIRMED, its seats SOLD, a payment and a payment.completed event written.
// A second attempt finds the payment and returns it: a reservation is never paid twice.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../platform/db.ts';
import { Schedule, Seat } from '../catalog/catalog.entity.ts';
import { recordEvent } from '../events/outbox.ts';
import { Reservation, ReservationSeat } from '../reservation/reservation.entity.ts';
import { HoldExpiredError, ReservationNotFoundError, ReservationNotPendingError } from '../reservation/reservation.errors.ts';
import { isHoldExpired } from '../reservation/reservation.rules.ts';
import { setShortLockWait } from '../reservation/reservation.service.ts';
import { debit } from '../wallet/wallet.service.ts';
import { Payment } from './payment.entity.ts';

export interface PaymentView {
  paymentId: number; reservationId: number; userId: number; concertId: number; scheduleId: number; amount: number;
  balanceAfter: number | null; alreadyPaid: boolean; scheduleSoldOut: boolean;
}

export async function payReservation(em: EntityManager, userId: number, reservationId: number, now: Date): Promise<PaymentView> {
  return em.transactional(async (tx) => {
    await setShortLockWait(tx);
    const r = await tx.findOne(Reservation, reservationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!r || r.userId !== userId) throw new ReservationNotFoundError(reservationId);
    const existing = await tx.findOne(Payment, { reservationId });
    if (existing) {
      return {
        paymentId: existing.id, reservationId, userId, concertId: r.concertId, scheduleId: r.scheduleId, amount: existing.amount,
        balanceAfter: null, alreadyPaid: true, scheduleSoldOut: false,
      };
    }
    if (isHoldExpired(r, now) || r.status === 'EXPIRED') throw new HoldExpiredError(reservationId);
    if (r.status !== 'PENDING') throw new ReservationNotPendingError(reservationId, r.status);

    const wallet = await debit(tx, userId, r.totalAmount, `payment:${reservationId}`);
    const links = await tx.find(ReservationSeat, { reservationId, live: 1 });
    const seats = await tx.find(Seat, { id: { $in: links.map((l) => l.seatId) } }, { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE });
    for (const seat of seats) seat.status = 'SOLD';
    r.status = 'CONFIRMED';
    const payment = tx.create(Payment, { reservationId, userId, amount: r.totalAmount, status: 'COMPLETED', createdAt: now });
    await tx.flush();

    const view: PaymentView = {
      paymentId: payment.id, reservationId, userId, concertId: r.concertId, scheduleId: r.scheduleId, amount: r.totalAmount,
      balanceAfter: wallet.balance, alreadyPaid: false, scheduleSoldOut: false,
    };
    recordEvent(tx, 'payment.completed', reservationId, {
      paymentId: payment.id, reservationId, userId, concertId: r.concertId, scheduleId: r.scheduleId, amount: r.totalAmount,
      seats: links.map((l) => ({ seatNumber: l.seatNumber, price: l.price })), completedAt: now.toISOString(),
    }, now);
    view.scheduleSoldOut = await markSoldOutIfLast(tx, r.scheduleId, now);
    return view;
  });
}

/** After the last seat of a schedule is sold: SOLD_OUT, and how long the sale took from opening. */
async function markSoldOutIfLast(tx: EntityManager, scheduleId: number, now: Date): Promise<boolean> {
  const unsold = await tx.count(Seat, { scheduleId, status: { $ne: 'SOLD' } });
  if (unsold > 0) return false;
  const schedule = await tx.findOneOrFail(Schedule, scheduleId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (schedule.status === 'SOLD_OUT') return false;
  schedule.status = 'SOLD_OUT';
  schedule.soldOutAt = now;
  recordEvent(tx, 'schedule.sold_out', scheduleId, {
    scheduleId, concertId: schedule.concertId, bookingOpenAt: schedule.bookingOpenAt.toISOString(), soldOutAt: now.toISOString(),
    secondsToSellOut: Math.round((now.getTime() - schedule.bookingOpenAt.getTime()) / 1000),
  }, now);
  return true;
}
