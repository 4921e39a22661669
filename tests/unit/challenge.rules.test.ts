import { describe, expect, it } from 'vitest';
import { issueChallenge, leadingZeroBits, solveChallenge, solves, verifyChallenge } from '../../src/domain/challenge/challenge.rules.ts';

const secret = 's'.repeat(32);
const claims = { concertId: 1, userId: 2, difficulty: 4, expiresAt: 1000 };
const expectFor = (over: Partial<{ concertId: number; userId: number; nowMs: number }> = {}) => ({ concertId: 1, userId: 2, nowMs: 999, ...over });

describe('join challenge rules', () => {
  it('counts the leading zero bits of a digest', () => {
    expect(leadingZeroBits(Buffer.from([0, 0x0f, 0xff]))).toBe(12);
    expect(leadingZeroBits(Buffer.from([0x80]))).toBe(0);
    expect(leadingZeroBits(Buffer.from([0, 0]))).toBe(16);
  });

  it('a solved, unexpired challenge verifies for its user and concert and returns its claims', () => {
    const { challenge, id } = issueChallenge(secret, claims);
    const nonce = solveChallenge(challenge, 4);
    expect(solves(challenge, nonce, 4)).toBe(true);
    expect(verifyChallenge(secret, challenge, nonce, expectFor())).toEqual({ ...claims, id });
  });

  it('is CHALLENGE_EXPIRED at its expiry, and CHALLENGE_INVALID with another secret, user or concert, or a malformed token', () => {
    const { challenge } = issueChallenge(secret, claims);
    const nonce = solveChallenge(challenge, 4);
    expect(() => verifyChallenge(secret, challenge, nonce, expectFor({ nowMs: 1000 }))).toThrow(expect.objectContaining({ code: 'CHALLENGE_EXPIRED' }));
    for (const [s, c, e] of [
      ['t'.repeat(32), challenge, expectFor()],
      [secret, challenge, expectFor({ userId: 3 })],
      [secret, challenge, expectFor({ concertId: 9 })],
      [secret, `${challenge}.extra`, expectFor()],
      [secret, 'no-dot', expectFor()],
    ] as const) {
      expect(() => verifyChallenge(s, c, nonce, e)).toThrow(expect.objectContaining({ code: 'CHALLENGE_INVALID' }));
    }
  });

  it('a nonce without enough leading zero bits is CHALLENGE_INVALID', () => {
    const { challenge } = issueChallenge(secret, { ...claims, difficulty: 16 });
    const bad = Array.from({ length: 100 }, (_, i) => String(i)).find((n) => !solves(challenge, n, 16))!;
    expect(() => verifyChallenge(secret, challenge, bad, expectFor())).toThrow(expect.objectContaining({ code: 'CHALLENGE_INVALID' }));
  });
});
