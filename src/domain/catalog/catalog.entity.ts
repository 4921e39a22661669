import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SEAT_STATUSES = ['AVAILABLE', 'HELD', 'SOLD'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];
export const SCHEDULE_STATUSES = ['AVAILABLE', 'SOLD_OUT', 'CANCELLED'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export const Concert = defineEntity({
  name: 'Concert',
  tableName: 'concerts',
  properties: {
    id: p.integer().primary().autoincrement(),
    title: p.string().length(200),
    artist: p.string().length(200),
    description: p.text().nullable(),
    posterImageUrl: p.string().length(500).nullable(),
    durationMinutes: p.integer(),
    /** The announced opening of the sale (the waiting room's pre-queue ends then); null: open now. */
    saleOpensAt: p.datetime(3).nullable(),
    /**
     * The secret seed of the opening's shuffle (hex, 32 bytes), made when saleOpensAt is first set,
     * before anyone can join the pre-queue; only its SHA-256 is public until the opening
     * (docs/fairness.md). Never part of a concert's view, cache or audit entry.
     */
    saleSeed: p.string().length(64).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IConcert = InferEntity<typeof Concert>;

// Foreign keys are plain integer columns, not ORM relations: every hot path reads one table at a
// time and locks rows by id, and plain ids keep the identity map and the locking SQL obvious.
export const Schedule = defineEntity({
  name: 'Schedule',
  tableName: 'schedules',
  properties: {
    id: p.integer().primary().autoincrement(),
    concertId: p.integer().unsigned(),
    performanceAt: p.datetime(3),
    bookingOpenAt: p.datetime(3),
    bookingCloseAt: p.datetime(3),
    maxSeatsPerUser: p.integer().default(4),
    seatCount: p.integer(),
    status: p.string().length(16).$type<ScheduleStatus>().default('AVAILABLE'),
    soldOutAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ISchedule = InferEntity<typeof Schedule>;

export const Seat = defineEntity({
  name: 'Seat',
  tableName: 'seats',
  properties: {
    id: p.integer().primary().autoincrement(),
    scheduleId: p.integer().unsigned(),
    seatNumber: p.integer(),
    price: p.bigint('number'),
    status: p.string().length(16).$type<SeatStatus>().default('AVAILABLE'),
    reservationId: p.bigint('number').nullable(),
    version: p.integer().version(),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ISeat = InferEntity<typeof Seat>;
