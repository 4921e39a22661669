import { AppError } from '../../platform/errors.ts';

export class QueueTokenMissingError extends AppError {
  constructor() { super('QUEUE_TOKEN_MISSING', 'an X-Queue-Token header is required'); }
}
export class QueueTokenInvalidError extends AppError {
  constructor() { super('QUEUE_TOKEN_INVALID', 'the queue token is malformed or unknown'); }
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
