// What an error means to a fan, by the API's stable error codes.
import { ApiError } from './api.ts';
import { seatList } from './format.ts';

export function explain(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.';
  const d = err.details;
  switch (err.code) {
    case 'SEAT_UNAVAILABLE': {
      const seats = Array.isArray(d.seatNumbers) ? (d.seatNumbers as number[]) : [];
      return `Sorry, ${seats.length ? seatList(seats) : 'that seat'} was taken by another fan just before you. Pick another seat.`;
    }
    case 'SEAT_LIMIT_EXCEEDED': return `You can hold at most ${String(d.limit ?? 'a few')} seats for this performance (you hold ${String(d.held ?? 0)}).`;
    case 'SEAT_NOT_FOUND': return 'That seat does not exist on this map.';
    case 'SCHEDULE_NOT_BOOKABLE': return 'This performance is not open for booking right now.';
    case 'INSUFFICIENT_BALANCE': return 'Your wallet does not hold enough for this payment. Top it up and pay again.';
    case 'HOLD_EXPIRED': return 'Your hold has expired and the seats went back on sale.';
    case 'RESERVATION_NOT_PENDING': return `This reservation is ${String(d.status ?? 'no longer pending').toLowerCase()}.`;
    case 'QUEUE_TOKEN_NOT_ACTIVE':
    case 'QUEUE_TOKEN_MISSING':
    case 'QUEUE_TOKEN_NOT_FOUND':
    case 'QUEUE_TOKEN_WRONG_CONCERT': return 'It is not your turn for this concert (or your turn has ended). Join the line to get one.';
    case 'QUEUE_RESET': return 'The waiting room was reset. Please join the line again.';
    case 'SOLD_OUT': return 'Sold out: every seat for this concert has been sold.';
    case 'UNAUTHENTICATED':
    case 'INVALID_TOKEN': return 'Please sign in again.';
    case 'RATE_LIMITED': return 'Too many requests at once. We will try again in a moment.';
    case 'TOO_MANY_PENDING_JOBS': return 'Your previous request is still being processed. Wait a moment and try again.';
    case 'OVERLOADED':
    case 'DEPENDENCY_UNAVAILABLE': return 'Encore is very busy right now. Please try again in a moment.';
    case 'LIMIT_EXCEEDED': return err.message;
    case 'NETWORK': return err.message;
    default: return err.message || 'Something went wrong. Please try again.';
  }
}
