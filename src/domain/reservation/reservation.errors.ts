import { AppError } from '../../platform/errors.ts';

export class ScheduleNotBookableError extends AppError {
  constructor(scheduleId: number) { super('SCHEDULE_NOT_BOOKABLE', `schedule ${scheduleId} is not open for booking`, { scheduleId }); }
}
export class SeatNotFoundError extends AppError {
  constructor(seatNumbers: number[]) { super('SEAT_NOT_FOUND', `no seat ${seatNumbers.join(', ')} in this schedule`, { seatNumbers }); }
}
export class SeatUnavailableError extends AppError {
  constructor(seatNumbers: number[]) { super('SEAT_UNAVAILABLE', `seat ${seatNumbers.join(', ')} is already taken`, { seatNumbers }); }
}
export class SeatLimitExceededError extends AppError {
  constructor(limit: number, held: number, requested: number) {
    super('SEAT_LIMIT_EXCEEDED', `at most ${limit} seats per user for this schedule (holding ${held}, asked for ${requested})`, { limit, held, requested });
  }
}
export class ReservationNotFoundError extends AppError {
  constructor(id: number) { super('RESERVATION_NOT_FOUND', `reservation ${id} does not exist`, { reservationId: id }); }
}
export class ReservationNotPendingError extends AppError {
  constructor(id: number, status: string) { super('RESERVATION_NOT_PENDING', `reservation ${id} is ${status}`, { reservationId: id, status }); }
}
export class HoldExpiredError extends AppError {
  constructor(id: number) { super('HOLD_EXPIRED', `the hold of reservation ${id} has expired`, { reservationId: id }); }
}
export class ReservationNotConfirmedError extends AppError {
  constructor(id: number, status: string) { super('RESERVATION_NOT_CONFIRMED', `reservation ${id} is ${status}, not CONFIRMED`, { reservationId: id, status }); }
}
export class IllegalTransitionError extends AppError {
  constructor(id: number, from: string, to: string) { super('ILLEGAL_TRANSITION', `reservation ${id} cannot go from ${from} to ${to}`, { reservationId: id, from, to }); }
}
export class HoldRequestStaleError extends AppError {
  constructor(waitedSeconds: number, maxSeconds: number) {
    super('HOLD_REQUEST_STALE', `the hold request waited ${waitedSeconds} s (more than ${maxSeconds} s) and was not carried out; try again`, { waitedSeconds, maxSeconds });
  }
}
