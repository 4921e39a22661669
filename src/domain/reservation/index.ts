// The reservation module's public surface, for other modules and the entry points.
export {
  RESERVATION_STATUSES, TRANSITIONS, LIVE_STATUSES, canTransition, type ReservationStatus, type ReservationView,
} from './reservation.lifecycle.ts';
export { holdSeats, type HoldRequest } from './reservation.hold.ts';
export { releaseHold, expireHold, type ExpiryOutcome } from './reservation.end.ts';
export { markMissedSellOuts } from './reservation.confirm.ts';
export { getReservation, findReservationView, findOverdueHolds } from './reservation.service.ts';
export { EVENT_TYPES } from './reservation.events.ts';
export type * from './reservation.events.ts';
