import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

import { RESERVATION_STATUSES, type ReservationStatus } from './reservation.lifecycle.ts';

export { RESERVATION_STATUSES, type ReservationStatus };

export const Reservation = defineEntity({
  name: 'Reservation',
  tableName: 'reservations',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    userId: p.bigint('number'),
    scheduleId: p.integer().unsigned(),
    concertId: p.integer().unsigned(),
    status: p.string().length(16).$type<ReservationStatus>(),
    totalAmount: p.bigint('number'),
    expiresAt: p.datetime(3),
    jobId: p.string().length(100).nullable(),
    version: p.integer().version(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IReservation = InferEntity<typeof Reservation>;

export const ReservationSeat = defineEntity({
  name: 'ReservationSeat',
  tableName: 'reservation_seats',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    reservationId: p.bigint('number'),
    seatId: p.integer().unsigned(),
    seatNumber: p.integer(),
    price: p.bigint('number'),
    /** 1 while held or sold by this reservation, null after (see the unique index in the migration). */
    live: p.tinyint().nullable(),
  },
});
export type IReservationSeat = InferEntity<typeof ReservationSeat>;

export const SeatQuota = defineEntity({
  name: 'SeatQuota',
  tableName: 'seat_quotas',
  properties: {
    userId: p.bigint('number').primary().autoincrement(false),
    scheduleId: p.integer().unsigned().primary().autoincrement(false),
    held: p.integer().default(0),
  },
  primaryKeys: ['userId', 'scheduleId'],
});
