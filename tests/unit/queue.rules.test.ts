import { describe, expect, it } from 'vitest';
import { concertOfToken, estimateWaitSeconds, newQueueToken } from '../../src/domain/queue/queue.rules.ts';
import { isBookable } from '../../src/domain/catalog/catalog.rules.ts';

describe('queue tokens', () => {
  it('name their concert and are unguessable', () => {
    const a = newQueueToken(42);
    expect(concertOfToken(a)).toBe(42);
    expect(a).not.toBe(newQueueToken(42));
    expect(a.split('.')[1]).toHaveLength(32);
  });
  it.each(['', '42', '42.short', '0.' + 'a'.repeat(32), 'x.' + 'a'.repeat(32), '42.' + 'a'.repeat(31) + '!'])('%j is malformed', (t) => {
    expect(concertOfToken(t)).toBeUndefined();
  });
});

describe('estimated wait', () => {
  it('is position / measured rate', () => {
    expect(estimateWaitSeconds(100, 10, 100, 600)).toBe(10);
    expect(estimateWaitSeconds(1, 3, 100, 600)).toBe(1);
  });
  it('falls back to one turnover of the active set per TTL when nothing was measured', () => {
    expect(estimateWaitSeconds(100, 0, 100, 600)).toBe(600);
  });
});

describe('bookable', () => {
  const open = new Date('2026-01-01T10:00:00Z');
  const close = new Date('2026-01-02T10:00:00Z');
  it('only strictly inside the window and while AVAILABLE', () => {
    expect(isBookable({ status: 'AVAILABLE', bookingOpenAt: open, bookingCloseAt: close }, new Date('2026-01-01T12:00:00Z'))).toBe(true);
    expect(isBookable({ status: 'AVAILABLE', bookingOpenAt: open, bookingCloseAt: close }, open)).toBe(false);
    expect(isBookable({ status: 'AVAILABLE', bookingOpenAt: open, bookingCloseAt: close }, close)).toBe(false);
    expect(isBookable({ status: 'SOLD_OUT', bookingOpenAt: open, bookingCloseAt: close }, new Date('2026-01-01T12:00:00Z'))).toBe(false);
  });
});
