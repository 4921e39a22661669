import { describe, expect, it } from 'vitest';
import { expandSeatMap, scheduleTimesIssue, MAX_SEATS_PER_SCHEDULE } from '../../src/domain/catalog/catalog.seatmap.ts';

describe('seat map descriptions', () => {
  it('price tiers expand to every seat of their ranges, in order', () => {
    const r = expandSeatMap({ tiers: [{ from: 4, to: 5, price: 10 }, { from: 1, to: 3, price: 20 }] });
    expect(r).toEqual({ seats: [1, 2, 3].map((n) => ({ seatNumber: n, price: 20 })).concat([4, 5].map((n) => ({ seatNumber: n, price: 10 }))) });
  });

  it('explicit seats keep their prices and may skip numbers', () => {
    expect(expandSeatMap({ seats: [{ seatNumber: 14, price: 1 }, { seatNumber: 12, price: 2 }] })).toEqual({ seats: [{ seatNumber: 12, price: 2 }, { seatNumber: 14, price: 1 }] });
  });

  it('names the field of a duplicate, an overlap, a backwards range, or too many seats', () => {
    expect(expandSeatMap({ seats: [{ seatNumber: 1, price: 1 }, { seatNumber: 1, price: 1 }] })).toEqual({ issue: { field: 'seatMap.seats', message: 'seat 1 is given twice' } });
    expect(expandSeatMap({ tiers: [{ from: 1, to: 5, price: 1 }, { from: 5, to: 6, price: 1 }] })).toMatchObject({ issue: { field: 'seatMap.tiers' } });
    expect(expandSeatMap({ tiers: [{ from: 1, to: 5, price: 1 }, { from: 9, to: 6, price: 1 }] })).toMatchObject({ issue: { field: 'seatMap.tiers.1.to' } });
    expect(expandSeatMap({ tiers: [{ from: 1, to: MAX_SEATS_PER_SCHEDULE + 1, price: 1 }] })).toMatchObject({ issue: { field: 'seatMap.tiers' } });
    expect(expandSeatMap({ seats: [] })).toMatchObject({ issue: { field: 'seatMap' } });
  });

  it('booking opens before it closes, and closes no later than the performance', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
    expect(scheduleTimesIssue({ bookingOpenAt: at(1), bookingCloseAt: at(2), performanceAt: at(2) })).toBeUndefined();
    expect(scheduleTimesIssue({ bookingOpenAt: at(2), bookingCloseAt: at(2), performanceAt: at(3) })?.field).toBe('bookingCloseAt');
    expect(scheduleTimesIssue({ bookingOpenAt: at(1), bookingCloseAt: at(4), performanceAt: at(3) })?.field).toBe('bookingCloseAt');
  });
});
