import { AppError } from '../../platform/errors.ts';

export class ConcertNotFoundError extends AppError {
  constructor(id: number) { super('CONCERT_NOT_FOUND', `concert ${id} does not exist`, { concertId: id }); }
}
export class ScheduleNotFoundError extends AppError {
  constructor(id: number) { super('SCHEDULE_NOT_FOUND', `schedule ${id} does not exist`, { scheduleId: id }); }
}
/** A schedules date filter that is not a whole day, or outside the allowed window (a 400 naming the field). */
export class DateWindowError extends AppError {
  constructor(field: 'from' | 'to', message: string) {
    super('VALIDATION_FAILED', `query.${field}: ${message}`, { in: 'query', field, issues: [{ field, message }] });
  }
}
