// The Kafka payloads of reservation, payment and schedule events: their own types, versioned, so
// the reservation view can change without changing what consumers read (docs/events.md).
// A breaking change to a payload adds a V2 type and bumps its version; consumers read `version`.
import type { ReservationStatus } from './reservation.lifecycle.ts';

export const EVENT_TYPES = {
  held: 'reservation.held',
  released: 'reservation.released',
  expired: 'reservation.expired',
  cancelled: 'reservation.cancelled',
  refunded: 'reservation.refunded',
  paymentCompleted: 'payment.completed',
  soldOut: 'schedule.sold_out',
} as const;

/** reservation.held / .released / .expired / .cancelled, version 1. */
export interface ReservationEventV1 {
  reservationId: number; userId: number; scheduleId: number; concertId: number; status: ReservationStatus;
  totalAmount: number; expiresAt: string; seats: { seatNumber: number; price: number }[];
}
export const RESERVATION_EVENT_VERSION = 1;

/** reservation.refunded, version 1: the reservation as it was, and the money given back. */
export interface ReservationRefundedV1 extends ReservationEventV1 {
  paymentId: number; refundedAmount: number; reason: 'REFUND' | 'SCHEDULE_CANCELLED'; actorId: number | null;
}

/** payment.completed, version 1. */
export interface PaymentCompletedV1 {
  paymentId: number; reservationId: number; userId: number; concertId: number; scheduleId: number; amount: number;
  seats: { seatNumber: number; price: number }[]; completedAt: string; submittedAt: string;
}
export const PAYMENT_COMPLETED_VERSION = 1;

/** schedule.sold_out, version 1. */
export interface ScheduleSoldOutV1 {
  scheduleId: number; concertId: number; bookingOpenAt: string; soldOutAt: string; secondsToSellOut: number;
}
export const SCHEDULE_SOLD_OUT_VERSION = 1;

export function reservationEvent(v: {
  reservationId: number; userId: number; scheduleId: number; concertId: number; status: ReservationStatus; totalAmount: number; expiresAt: string;
  seats: { seatNumber: number; price: number }[];
}): ReservationEventV1 {
  return {
    reservationId: v.reservationId, userId: v.userId, scheduleId: v.scheduleId, concertId: v.concertId, status: v.status,
    totalAmount: v.totalAmount, expiresAt: v.expiresAt, seats: v.seats.map((s) => ({ seatNumber: s.seatNumber, price: s.price })),
  };
}
