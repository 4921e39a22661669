import { AppError } from '../../platform/errors.ts';

export class ConcertNotFoundError extends AppError {
  constructor(id: number) { super('CONCERT_NOT_FOUND', `concert ${id} does not exist`, { concertId: id }); }
}
export class ScheduleNotFoundError extends AppError {
  constructor(id: number) { super('SCHEDULE_NOT_FOUND', `schedule ${id} does not exist`, { scheduleId: id }); }
}
