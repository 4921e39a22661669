import type { z } from 'zod';
import { AppError } from '../platform/errors.ts';

/**
 * Parses request input with a zod schema. Failure is a 400 VALIDATION_FAILED naming the first
 * offending field in `details.field` and listing every issue.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params' | 'headers'): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || where, message: i.message }));
  const first = issues[0]!;
  const name = first.field === where ? where : `${where}.${first.field}`;
  throw new AppError('VALIDATION_FAILED', `${name}: ${first.message}`, { in: where, field: first.field, issues });
}
