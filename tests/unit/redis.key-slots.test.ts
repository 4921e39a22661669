// The key builders give one Redis Cluster hash slot per unit of atomicity (what one Lua script,
// MULTI or multi-key command touches), whatever keys are added to a unit later; pure, no Redis.
// What the domain really sends while it runs is checked in tests/integration/redis.slots.test.ts.
import { describe, expect, it } from 'vitest';
import calculateSlot from 'cluster-key-slot';
import { queueKeys } from '../../src/domain/queue/queue.keys.ts';
import { PERIODS, RANKING_TYPES, rankingKey } from '../../src/domain/ranking/ranking.keys.ts';
import { cacheValueKey } from '../../src/platform/cache.ts';
import { bullPrefix } from '../../src/jobs/jobs.queues.ts';
import { QUEUES } from '../../src/jobs/jobs.catalog.ts';
import { catalogKeys } from '../../src/domain/catalog/catalog.cache.ts';

const slots = (keys: string[]) => new Set(keys.map((k) => calculateSlot(k)));

describe('the key builders give one slot per unit of atomicity', () => {
  const prefix = 'encore';

  it("one concert's waiting-room keys share a slot, and concerts spread over slots", () => {
    const perConcert = [1, 2, 3, 42, 1000].map((id) => slots(Object.values(queueKeys(prefix, id))));
    for (const s of perConcert) expect(s.size).toBe(1);
    expect(new Set(perConcert.map((s) => [...s][0])).size).toBeGreaterThan(1);
  });

  it("a cached value, its version and its loader lock share a slot", () => {
    for (const key of [catalogKeys.concertList(), catalogKeys.concertDetail(7), catalogKeys.schedules(7, 'a', 'b'), catalogKeys.seats(9)]) {
      const v = cacheValueKey(prefix, key);
      expect(slots([v, `${v}:v`, `${v}:loading`]).size).toBe(1);
    }
  });

  it('every ranking key of every type and period shares the slot of the seen-markers', () => {
    const keys = RANKING_TYPES.flatMap((type) => PERIODS.map((period) => rankingKey(prefix, type, period, new Date())));
    expect(slots([...keys, `${prefix}:{ranking}:seen:some-event`]).size).toBe(1);
  });

  it("every BullMQ key of a queue shares its prefix's hash tag", () => {
    for (const queue of QUEUES) {
      const keys = ['wait', 'active', 'meta', 'events', 'delayed', 'id', 'some-job-id', 'some-job-id:lock'].map((k) => `${bullPrefix(prefix)}:${queue}:${k}`);
      expect(slots(keys).size).toBe(1);
    }
  });
});
