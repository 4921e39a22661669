// The fair opening's pure parts (docs/fairness.md): entrant ids are plain HMAC-SHA256, the
// commitment is SHA-256 of the seed's bytes, the shuffle is pinned (a change to it must bump the
// algorithm's version) and uniform over permutations.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EntrantIds, openingOrder, seedCommitment, SeedStream, shuffleWithSeed } from '../../src/domain/queue/queue.fairness.ts';
import { beforeOpeningPollAfterMs } from '../../src/domain/queue/queue.rules.ts';

describe('fair opening rules', () => {
  it('entrant ids are the first 16 hex characters of HMAC-SHA256 with the derived key', () => {
    const secret = 'a-queue-token-secret-of-some-length';
    const key = createHmac('sha256', secret).update('encore/fairness-entrant/v1').digest();
    const ids = new EntrantIds(secret);
    for (const [concertId, userId] of [[1, 1], [42, 123_456_789], [7, '999999999999999']] as const) {
      expect(ids.of(concertId, userId)).toBe(createHmac('sha256', key).update(`${concertId}:${userId}`).digest('hex').slice(0, 16));
    }
    expect(ids.of(1, 5)).not.toBe(ids.of(2, 5));
  });

  it('the commitment is SHA-256 of the seed bytes', () => {
    expect(seedCommitment('00'.repeat(32))).toBe('66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925');
  });

  it('the shuffle is pinned for version 1', () => {
    expect(shuffleWithSeed([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], '00'.repeat(32))).toEqual([8, 4, 0, 3, 2, 9, 6, 7, 5, 1]);
    const first = new SeedStream('00'.repeat(32)).u32();
    expect(first).toBe(createHash('sha256').update(Buffer.alloc(40)).digest().readUInt32BE(0));
  });

  it('every permutation of 4 is about equally likely over 24,000 seeds', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 24_000; i++) {
      const seed = createHash('sha256').update(String(i)).digest('hex');
      const key = shuffleWithSeed([1, 2, 3, 4], seed).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    // Expected 1,000 each; a 5-sigma band is about ±155.
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(160);
  });

  it('uniform draws never exceed the bound, including ones that need rejection', () => {
    const s = new SeedStream('11'.repeat(32));
    for (const m of [1, 2, 3, 1000, 2 ** 31 + 1, 2 ** 32]) for (let i = 0; i < 200; i++) expect(s.below(m)).toBeLessThan(m);
  });

  it('the opening order publishes sorted ids and places every user once', () => {
    const ids = new EntrantIds('s'.repeat(40));
    const users = Array.from({ length: 500 }, (_, i) => String(1000 + i));
    const { sortedIds, users: placed } = openingOrder(9, users, ids, 'ab'.repeat(32));
    expect(sortedIds).toEqual([...sortedIds].sort());
    expect(new Set(placed)).toEqual(new Set(users));
    expect(placed.map((u) => ids.of(9, u))).toEqual(shuffleWithSeed(sortedIds, 'ab'.repeat(32)));
  });

  it('pre-queue pacing: until the opening plus up to 5 s, between 1 s and 25 s', () => {
    expect(beforeOpeningPollAfterMs(0, 0)).toBe(1000);
    expect(beforeOpeningPollAfterMs(3000, 0.5)).toBe(5500);
    expect(beforeOpeningPollAfterMs(3_600_000, 0.9)).toBe(25_000);
  });
});
