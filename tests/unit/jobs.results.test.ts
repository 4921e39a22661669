// The job result schemas (pure): one per user job, and a view whose result does not fit its type is refused.
import { describe, expect, it } from 'vitest';
import { jobViewSchema, USER_JOB_RESULTS } from '../../src/jobs/jobs.results.ts';
import { USER_JOBS } from '../../src/jobs/jobs.catalog.ts';

describe('job result schemas', () => {
  it('every user job of the catalog has a result schema', () => {
    expect(Object.keys(USER_JOB_RESULTS).sort()).toEqual(USER_JOBS.map(([name]) => name).sort());
  });

  it('a view with a result of the wrong shape for its type is refused', () => {
    const charge = { id: 'charge-x', type: 'wallet.charge', state: 'succeeded', result: { userId: 1, balance: 5, version: 2 } };
    expect(jobViewSchema.safeParse(charge).success).toBe(true);
    expect(jobViewSchema.safeParse({ ...charge, type: 'payment.pay' }).success).toBe(false);
    expect(jobViewSchema.safeParse({ ...charge, state: 'failed', result: undefined, error: { code: 'INSUFFICIENT_BALANCE', message: 'm' } }).success).toBe(true);
  });
});
