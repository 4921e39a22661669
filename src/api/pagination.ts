// Keyset pagination shared by the list endpoints: newest first, `?limit=` (1..100, default 20) and
// `?before=` (the `nextBefore` of the previous page).
import { z } from 'zod';
import { idParam } from './openapi.ts';

export const pageQuery = {
  limit: z.string().regex(/^[1-9]\d{0,2}$/, 'must be an integer from 1 to 100').transform(Number)
    .refine((n) => n <= 100, 'must be an integer from 1 to 100').optional().describe('items per page (default 20, at most 100)'),
  before: idParam.optional().describe('the nextBefore of the previous page'),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextBefore: z.number().int().nullable().describe('pass as ?before= for the next page; null on the last') });

export const DEFAULT_PAGE_SIZE = 20;
