import { describe, expect, it } from 'vitest';
import { shedVerdict } from '../../src/jobs/jobs.overload.rules.ts';

const policy = { budgetSeconds: 300, minBacklog: 100, measureSeconds: 10 };
const busy = { busyForSeconds: 10 };

describe('shedVerdict', () => {
  it('accepts a line no longer than minBacklog, whatever the rate', () => {
    expect(shedVerdict({ backlog: 100, ratePerSecond: 0, ...busy }, policy)).toEqual({ shed: false });
  });
  it('accepts a backlog that drains within the budget at the measured rate', () => {
    expect(shedVerdict({ backlog: 30_000, ratePerSecond: 100, ...busy }, policy)).toEqual({ shed: false }); // 300 s
  });
  it('sheds a backlog that would take longer than the budget, with Retry-After = the excess drain time', () => {
    expect(shedVerdict({ backlog: 31_000, ratePerSecond: 100, ...busy }, policy)).toEqual({ shed: true, drainSeconds: 310, retryAfterSeconds: 10 });
  });
  it('caps Retry-After at 60 s and floors it at 1 s', () => {
    expect(shedVerdict({ backlog: 1_000_000, ratePerSecond: 100, ...busy }, policy)).toMatchObject({ retryAfterSeconds: 60 });
    expect(shedVerdict({ backlog: 30_001, ratePerSecond: 100, ...busy }, policy)).toMatchObject({ retryAfterSeconds: 1 });
  });
  it('accepts a burst into an idle queue until it has been busy for the measuring window (no rate to judge by yet)', () => {
    expect(shedVerdict({ backlog: 5_000, ratePerSecond: 0, busyForSeconds: 9.9 }, policy)).toEqual({ shed: false });
  });
  it('sheds a backlog over minBacklog when nothing finishes at all (workers down), asking for 5 s', () => {
    expect(shedVerdict({ backlog: 101, ratePerSecond: 0, ...busy }, policy)).toEqual({ shed: true, drainSeconds: null, retryAfterSeconds: 5 });
  });
});
