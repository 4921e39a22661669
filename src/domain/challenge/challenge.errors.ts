import { AppError } from '../../platform/errors.ts';

export class ChallengeRequiredError extends AppError {
  constructor(concertId: number) {
    super('CHALLENGE_REQUIRED', 'this concert requires a solved join challenge: GET /api/queue/challenge?concertId=…, then send {concertId, challenge, nonce}', { concertId });
  }
}
export class ChallengeInvalidError extends AppError {
  constructor(reason: string) { super('CHALLENGE_INVALID', `join challenge rejected: ${reason}`, { field: 'challenge' }); }
}
export class ChallengeExpiredError extends AppError {
  constructor() { super('CHALLENGE_EXPIRED', 'the join challenge expired; fetch a new one', { field: 'challenge' }); }
}
export class ChallengeReplayedError extends AppError {
  constructor() { super('CHALLENGE_REPLAYED', 'this join challenge was already used; fetch a new one', { field: 'challenge' }); }
}
