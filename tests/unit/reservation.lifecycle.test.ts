import { describe, expect, it } from 'vitest';
import {
  RESERVATION_STATUSES, TRANSITIONS, canTransition, expiryMustWait, isHoldExpired, missingSeats, paidInTime, withinSeatLimit,
} from '../../src/domain/reservation/reservation.lifecycle.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('reservation transitions', () => {
  it('PENDING may become CONFIRMED, RELEASED, EXPIRED or CANCELLED; CONFIRMED only REFUNDED; the rest are final', () => {
    const allowed = RESERVATION_STATUSES.flatMap((from) => RESERVATION_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(['CONFIRMED→REFUNDED', 'PENDING→CANCELLED', 'PENDING→CONFIRMED', 'PENDING→EXPIRED', 'PENDING→RELEASED']);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...RESERVATION_STATUSES].sort());
  });
});

describe('hold rules', () => {
  it('a hold is expired from its expiry instant on, and only while PENDING', () => {
    expect(isHoldExpired({ status: 'PENDING', expiresAt: at(10) }, at(9))).toBe(false);
    expect(isHoldExpired({ status: 'PENDING', expiresAt: at(10) }, at(10))).toBe(true);
    expect(isHoldExpired({ status: 'CONFIRMED', expiresAt: at(10) }, at(20))).toBe(false);
  });
  it('a payment submitted before the expiry is in time, whenever it runs', () => {
    expect(paidInTime({ expiresAt: at(10) }, at(9))).toBe(true);
    expect(paidInTime({ expiresAt: at(10) }, at(10))).toBe(false);
  });
  it('an expiry waits while the oldest unfinished payment was submitted before the hold expired', () => {
    expect(expiryMustWait({ expiresAt: at(10) }, undefined)).toBe(false);
    expect(expiryMustWait({ expiresAt: at(10) }, at(9))).toBe(true);
    expect(expiryMustWait({ expiresAt: at(10) }, at(11))).toBe(false);
  });
  it('the seat limit counts what the user already holds', () => {
    expect(withinSeatLimit(2, 2, 4)).toBe(true);
    expect(withinSeatLimit(3, 2, 4)).toBe(false);
  });
  it('missing seats are the requested numbers not found', () => {
    expect(missingSeats([1, 2, 3], [{ seatNumber: 2 }])).toEqual([1, 3]);
  });
});
