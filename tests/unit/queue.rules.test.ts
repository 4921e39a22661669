import { describe, expect, it } from 'vitest';
import {
  admissionCeiling, concertOfToken, estimatePosition, estimateWaitSeconds, pollAfterMsFor, QueueTokenSigner, spreadPollAfterMs, waitingPollAfterMs,
} from '../../src/domain/queue/queue.rules.ts';
import { isBookable } from '../../src/domain/catalog/catalog.rules.ts';

describe('queue tokens', () => {
  const signer = new QueueTokenSigner('a-test-secret-that-is-long-enough-000');
  const claims = { concertId: 42, userId: 7, seq: 1234, epoch: 'abc123xy' };

  it('carry their claims and verify', () => {
    const t = signer.sign(claims);
    expect(concertOfToken(t)).toBe(42);
    expect(signer.verify(t)).toEqual(claims);
  });

  it('altered in any claim, or signed with another secret, are rejected', () => {
    const t = signer.sign(claims);
    const [c, u, s, e, mac] = t.split('.');
    for (const forged of [
      [c, '8', s, e, mac], [c, u, '1', e, mac], ['43', u, s, e, mac], [c, u, s, 'zzzzzzzz', mac],
      [c, u, s, e, `${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`],
    ]) expect(signer.verify(forged.join('.'))).toBeUndefined();
    expect(new QueueTokenSigner('another-secret-that-is-long-enough-01').verify(t)).toBeUndefined();
  });

  it.each(['', '42', '42.short', `0.1.1.abcdefgh.${'a'.repeat(22)}`, `x.1.1.abcdefgh.${'a'.repeat(22)}`, `42.${'a'.repeat(32)}`])('%j is malformed', (t) => {
    expect(concertOfToken(t)).toBeUndefined();
    expect(signer.verify(t)).toBeUndefined();
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

describe('pacing', () => {
  it('grows with position: about 1 s near the front, 20-30 s far back', () => {
    const rate = 50;
    const positions = [1, 10, 100, 500, 1000, 5000, 50_000, 1_000_000];
    const paces = positions.map((p) => waitingPollAfterMs(p, rate));
    for (let i = 1; i < paces.length; i++) expect(paces[i]!).toBeGreaterThanOrEqual(paces[i - 1]!);
    expect(paces[0]).toBe(1000);
    expect(waitingPollAfterMs(50_000, rate)).toBeGreaterThanOrEqual(20_000);
    expect(waitingPollAfterMs(50_000, rate)).toBeLessThanOrEqual(30_000);
    expect(waitingPollAfterMs(1_000_000, 0)).toBeLessThanOrEqual(30_000);
  });
  it('a fan polls at least four times within its expected wait', () => {
    expect(waitingPollAfterMs(200, 10)).toBe(5000); // ETA 20 s
  });
  it('spreads a pace by ±20 %, keeping the far back at 20-30 s and never going under 1 s', () => {
    expect(spreadPollAfterMs(25_000, 0)).toBe(20_000);
    expect(spreadPollAfterMs(25_000, 0.5)).toBe(25_000);
    expect(spreadPollAfterMs(25_000, 0.9999)).toBeLessThanOrEqual(30_000);
    expect(spreadPollAfterMs(1000, 0)).toBe(1000);
    expect(spreadPollAfterMs(1100, 0)).toBe(1000);
  });
  it('final states ask rarely', () => {
    expect(pollAfterMsFor('SOLD_OUT')).toBeGreaterThanOrEqual(30_000);
    expect(pollAfterMsFor('EXPIRED')).toBeGreaterThanOrEqual(30_000);
  });
});

describe('admission ceiling', () => {
  it('is maxActive, and at most admitPerSeat × seats neither sold nor held', () => {
    expect(admissionCeiling(100, 1.5, undefined)).toBe(100);
    expect(admissionCeiling(100, 1.5, 10)).toBe(15);
    expect(admissionCeiling(100, 1.5, 1000)).toBe(100);
    expect(admissionCeiling(100, 1.5, 0)).toBe(0);
    expect(admissionCeiling(100, 1.5, 1)).toBe(1);
  });
});

describe('position estimate from the broadcast', () => {
  it('is exact at the head and the tail and monotonic between', () => {
    expect(estimatePosition(100, 100, 1100, 501)).toBe(1);
    expect(estimatePosition(1100, 100, 1100, 501)).toBe(501);
    expect(estimatePosition(600, 100, 1100, 501)).toBe(251);
    expect(estimatePosition(5, 5, 5, 1)).toBe(1);
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
