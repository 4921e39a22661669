import { describe, expect, it } from 'vitest';
import { parseDay, scheduleWindow, seedSeatPrice } from '../../src/domain/catalog/catalog.rules.ts';

const now = new Date('2026-11-29T13:45:00Z');
const fieldOf = (f: () => unknown) => {
  try { f(); } catch (e) { return (e as { code: string; details: { field: string } }); }
  throw new Error('did not throw');
};

describe('schedule date window', () => {
  it('defaults to today (UTC midnight) plus 90 days', () => {
    expect(scheduleWindow(undefined, undefined, now, 366)).toEqual({ from: new Date('2026-11-29T00:00:00Z'), to: new Date('2027-02-27T00:00:00Z') });
  });

  it('accepts whole days only, and real calendar days', () => {
    expect(parseDay('2027-02-28')).toEqual(new Date('2027-02-28T00:00:00Z'));
    for (const bad of ['2027-02-29', '2026-13-01', '2026-11-29T00:00:00Z', '+275760-09-01T00:00:00Z', 'yesterday', '', '2026-1-1']) {
      expect(parseDay(bad)).toBeUndefined();
    }
  });

  it.each([
    ['from', '+275760-09-01', undefined],
    ['from', '1970-01-01', undefined],
    ['to', '2026-12-01', '2026-12-01'],
    ['to', '2026-12-01', '2026-11-30'],
    ['to', '2026-12-01', '2028-01-01'],
    ['to', undefined, '2031-01-01'],
  ])('an out-of-window filter is VALIDATION_FAILED naming %s (from=%s, to=%s)', (field, from, to) => {
    expect(fieldOf(() => scheduleWindow(from, to, now, 366))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
  });
});

describe('seed pricing', () => {
  it('seats 1-20 are VIP (150,000), 21-60 R (120,000), the rest S (90,000)', () => {
    expect([1, 20, 21, 60, 61, 100].map(seedSeatPrice)).toEqual([150_000, 150_000, 120_000, 120_000, 90_000, 90_000]);
  });
});
