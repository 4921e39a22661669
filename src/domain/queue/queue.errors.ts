import { AppError } from '../../platform/errors.ts';

export class QueueTokenMissingError extends AppError {
  constructor() { super('QUEUE_TOKEN_MISSING', 'an X-Queue-Token header is required'); }
}
/** Malformed, altered or forged: the signature does not check out. */
export class QueueTokenInvalidError extends AppError {
  constructor() { super('QUEUE_TOKEN_INVALID', 'the queue token is malformed or not genuine'); }
}
export class QueueTokenForbiddenError extends AppError {
  constructor() { super('QUEUE_TOKEN_FORBIDDEN', 'the queue token belongs to another user'); }
}
export class QueueTokenNotActiveError extends AppError {
  constructor(state: string) { super('QUEUE_TOKEN_NOT_ACTIVE', `the queue token is ${state}, not ACTIVE`, { state }); }
}
export class QueueTokenWrongConcertError extends AppError {
  constructor(tokenConcertId: number, concertId: number) {
    super('QUEUE_TOKEN_WRONG_CONCERT', `the queue token is for concert ${tokenConcertId}, not ${concertId}`, { tokenConcertId, concertId });
  }
}
export class QueueTokenNotFoundError extends AppError {
  constructor() { super('QUEUE_TOKEN_NOT_FOUND', 'you have no place in this waiting room'); }
}
/** A genuine token whose line vanished with Redis's data: the fan should join again. */
export class QueueResetError extends AppError {
  constructor(concertId: number) { super('QUEUE_RESET', 'the waiting room was reset; join again', { concertId }); }
}
/** Every bookable seat of the concert is sold: joining is pointless. */
export class ConcertSoldOutError extends AppError {
  constructor(concertId: number) { super('SOLD_OUT', `concert ${concertId} is sold out`, { concertId }); }
}
