// The reservation's side of a payment: PENDING → CONFIRMED with its seats SOLD (statements the
// payment runs in its own batch), and what follows the commit: the schedule's sold-out mark and
// whether the fan still holds anything for this concert.
import { rowsOf, sqlBatch, writeOf, type EntityManager, type Stmt } from '../../platform/db.ts';
import { batchedTransaction } from '../../platform/transactions.ts';
import { outboxStmt } from '../events/outbox.sql.ts';
import { HoldExpiredError, ReservationNotPendingError } from './reservation.errors.ts';
import { assertTransition, paidInTime, type ReservationRow } from './reservation.lifecycle.ts';
import { EVENT_TYPES, SCHEDULE_SOLD_OUT_VERSION, type ScheduleSoldOutV1 } from './reservation.events.ts';
import { sellSeats, setStatus, sqlDate } from './reservation.sql.ts';
import type { LockedReservation } from './reservation.end.ts';

/** Whether this locked reservation can be paid by a payment submitted at `submittedAt`. */
export function assertPayable({ r }: LockedReservation, submittedAt: Date): void {
  if (r.status === 'EXPIRED' || (r.status === 'PENDING' && !paidInTime(r, submittedAt))) throw new HoldExpiredError(r.id);
  if (r.status !== 'PENDING') throw new ReservationNotPendingError(r.id, r.status);
  assertTransition(r.id, r.status, 'CONFIRMED');
}

/** Statements: seats SOLD (check `affectedRows` = seats.length), reservation CONFIRMED. */
export function confirmStmts({ r, seats }: LockedReservation): Stmt[] {
  return [sellSeats(r, seats), setStatus(r.id, 'CONFIRMED')];
}

export interface AfterPayment { scheduleSoldOut: boolean; pendingHoldsLeft: boolean }

/**
 * After a payment committed (or was found already made): one fresh read tells whether the schedule
 * has an unsold seat left and whether the fan still has a PENDING hold for this concert. Being a
 * new statement after the commit, it sees every payment committed before ours, so of two last
 * payments at least the later one sees no unsold seat: the sold-out mark is never missed. The mark
 * itself is conditional (`status = 'AVAILABLE'`), so it happens exactly once.
 */
export async function afterPayment(em: EntityManager, r: ReservationRow, now: Date): Promise<AfterPayment> {
  const [row] = rowsOf<Record<string, unknown>>((await sqlBatch(em, [{
    sql: `select sc.status,
      exists(select 1 from seats where schedule_id = sc.id and status <> 'SOLD') as unsold,
      exists(select 1 from reservations where user_id = ? and concert_id = ? and status = 'PENDING') as pending_left
      from schedules sc where sc.id = ?`,
    params: [r.userId, r.concertId, r.scheduleId],
  }]))[0]);
  const pendingHoldsLeft = Number(row?.pending_left) === 1;
  if (!row || row.status !== 'AVAILABLE' || Number(row.unsold) === 1) return { scheduleSoldOut: false, pendingHoldsLeft };
  return { scheduleSoldOut: await markSoldOut(em, r.scheduleId, now), pendingHoldsLeft };
}

/** SOLD_OUT and `schedule.sold_out`, in one transaction, if every seat is SOLD and nobody marked it yet. */
async function markSoldOut(em: EntityManager, scheduleId: number, now: Date): Promise<boolean> {
  return batchedTransaction(em, async (tx) => {
    const [res, sched] = await tx.batch([
      {
        sql: `update schedules set status = 'SOLD_OUT', sold_out_at = ? where id = ? and status = 'AVAILABLE'
          and not exists (select 1 from seats where schedule_id = ? and status <> 'SOLD')`,
        params: [now, scheduleId, scheduleId],
      },
      { sql: 'select concert_id, booking_open_at from schedules where id = ?', params: [scheduleId] },
    ]);
    if (writeOf(res).affectedRows !== 1) return false;
    const s = rowsOf<Record<string, unknown>>(sched)[0]!;
    const openAt = sqlDate(s.booking_open_at);
    const data: ScheduleSoldOutV1 = {
      scheduleId, concertId: Number(s.concert_id), bookingOpenAt: openAt.toISOString(), soldOutAt: now.toISOString(),
      secondsToSellOut: Math.round((now.getTime() - openAt.getTime()) / 1000),
    };
    await tx.batch([outboxStmt(EVENT_TYPES.soldOut, SCHEDULE_SOLD_OUT_VERSION, scheduleId, data, now)], { commit: true });
    return true;
  });
}

/** Schedules AVAILABLE with no unsold seat (a payment that died between its commit and the mark). */
export async function markMissedSellOuts(em: EntityManager, now: Date): Promise<number> {
  const rows = rowsOf<{ id: number }>((await sqlBatch(em, [{
    sql: `select sc.id from schedules sc where sc.status = 'AVAILABLE' and sc.booking_close_at > ?
      and not exists (select 1 from seats where schedule_id = sc.id and status <> 'SOLD')
      and exists (select 1 from seats where schedule_id = sc.id)`,
    params: [new Date(now.getTime() - 86_400_000)],
  }]))[0]);
  let marked = 0;
  for (const { id } of rows) if (await markSoldOut(em, Number(id), now)) marked++;
  return marked;
}
