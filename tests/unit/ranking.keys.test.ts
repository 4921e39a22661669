import { describe, expect, it } from 'vitest';
import { isoWeek, periodLabel, rankingKey } from '../../src/domain/ranking/ranking.keys.ts';

describe('ranking periods', () => {
  it('ISO weeks start on Monday and belong to the year of their Thursday', () => {
    expect(isoWeek(new Date('2026-12-31T23:59:59Z'))).toEqual({ year: 2026, week: 53 }); // Thursday
    expect(isoWeek(new Date('2027-01-03T12:00:00Z'))).toEqual({ year: 2026, week: 53 }); // Sunday of that week
    expect(isoWeek(new Date('2027-01-04T00:00:00Z'))).toEqual({ year: 2027, week: 1 }); // Monday
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toEqual({ year: 2025, week: 1 }); // Monday of 2025-W01
    expect(isoWeek(new Date('2021-01-03T00:00:00Z'))).toEqual({ year: 2020, week: 53 });
  });

  it('labels a day, an ISO week and a month in UTC, whatever the local time zone', () => {
    const at = new Date('2027-01-01T00:30:00Z');
    expect(periodLabel('daily', at)).toBe('2027-01-01');
    expect(periodLabel('weekly', at)).toBe('2026-W53');
    expect(periodLabel('monthly', at)).toBe('2027-01');
    expect(periodLabel('weekly', new Date('2027-03-08T00:00:00Z'))).toBe('2027-W10');
  });

  it('puts the period label in the key, so a new period starts a new key', () => {
    expect(rankingKey('p', 'popular', 'daily', new Date('2027-01-01T00:00:00Z'))).toBe('p:{ranking}:popular:daily:2027-01-01');
  });
});
