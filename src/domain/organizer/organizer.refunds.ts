// An organizer's refund of one reservation and cancellation of a schedule, as jobs run them. The
// money and seat moves are the reservation lifecycle's (src/domain/payment/payment.refund.ts): they
// lock the reservation and its seats and post to the wallet ledger, so they run on a worker like
// every other locked write (DESIGN.md: the API never touches a seat row or a balance), and a
// cancellation of a large schedule (one short transaction per reservation) is neither bound to an
// HTTP request's lifetime nor lost if a worker dies: the job is retried and the use cases finish
// what a first run left. The audit row is written after the change, once per job id.
import type { EntityManager } from '../../platform/db.ts';
import type { ResponseCache } from '../../platform/cache.ts';
import { cancelSchedule, refundReservation, type CancelView, type RefundView } from '../payment/index.ts';
import { findReservationView } from '../reservation/index.ts';
import { getSchedule } from '../catalog/catalog.service.ts';
import { invalidateConcert, invalidateSeatMaps } from '../catalog/catalog.cache.ts';
import { recordAdminActionOnce } from './organizer.audit.ts';
import type { Actor } from './organizer.service.ts';

export interface JobActor extends Actor { requestId: string }

export async function refundAsOrganizer(em: EntityManager, cache: ResponseCache, who: JobActor, reservationId: number): Promise<RefundView> {
  const before = await findReservationView(em.fork(), reservationId);
  const result = await refundReservation(em, reservationId, { now: who.now, actorId: who.actorId });
  await recordAdminActionOnce(em.fork(), {
    actorId: who.actorId, action: 'reservation.refund', target: { type: 'reservation', id: reservationId },
    before: { status: before.status, totalAmount: before.totalAmount, seats: before.seats },
    after: { status: result.reservation.status, refundedAmount: result.refundedAmount, paymentId: result.paymentId, alreadyRefunded: result.alreadyRefunded },
    at: who.now,
  }, who.requestId);
  // Its seats are on sale again, and a sold-out schedule is AVAILABLE again.
  await invalidateSeatMaps(cache, [before.scheduleId]);
  await invalidateConcert(cache, before.concertId);
  return result;
}

export async function cancelAsOrganizer(em: EntityManager, cache: ResponseCache, who: JobActor, scheduleId: number): Promise<CancelView> {
  const before = await getSchedule(em.fork(), scheduleId);
  const result = await cancelSchedule(em, scheduleId, { now: who.now, actorId: who.actorId });
  await recordAdminActionOnce(em.fork(), {
    actorId: who.actorId, action: 'schedule.cancel', target: { type: 'schedule', id: scheduleId },
    before: { status: before.status, concertId: before.concertId }, after: { status: 'CANCELLED', ...result }, at: who.now,
  }, who.requestId);
  await invalidateSeatMaps(cache, [scheduleId]);
  await invalidateConcert(cache, before.concertId);
  return result;
}
