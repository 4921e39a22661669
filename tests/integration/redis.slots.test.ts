// On a Redis Cluster a Lua script, a MULTI or a multi-key command must keep all its keys in one
// hash slot (else CROSSSLOT). This file proves the key layout keeps that promise on the default
// single Redis, where nothing would complain: every command the domain sends while it works (the
// real client, the real Redis) is recorded with the keys ioredis itself would route by, and each
// script, multi-key command and MULTI…EXEC block must name one slot. The key builders' own
// promise (one slot per unit, whatever keys are added later) is the pure tests/unit/redis.key-slots.test.ts.
// The same suites also run against a real Redis Cluster in CI (.ci/run), where a miss is an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import calculateSlot from 'cluster-key-slot';
import type { Runtime } from '../../src/platform/runtime.ts';
import { WaitingRoom } from '../../src/domain/queue/queue.service.ts';
import { Rankings } from '../../src/domain/ranking/ranking.service.ts';
import { ResponseCache } from '../../src/platform/cache.ts';
import { Locks } from '../../src/platform/lock.ts';
import { JobQueues } from '../../src/jobs/jobs.queues.ts';
import { catalogKeys, catalogTags } from '../../src/domain/catalog/catalog.cache.ts';
import { testRuntime, uniqueId } from '../support/env.ts';

interface Sent { name: string; keys: string[] }

let rt: Runtime;
const sent: Sent[] = [];
const transactions: Sent[] = [];

beforeAll(async () => {
  rt = await testRuntime();
  // Record what goes over the wire: every command, script and MULTI of this client passes here
  // (single commands, auto-pipelines and MULTI blocks alike), with its keys as ioredis sees them.
  const redis = rt.redis;
  const original = redis.sendCommand.bind(redis);
  let open: string[] | undefined;
  redis.sendCommand = ((command: { name: string; getKeys(): (string | Buffer)[] }, ...rest: unknown[]) => {
    const name = command.name.toLowerCase();
    const keys = command.getKeys().map(String);
    if (name === 'multi') open = [];
    else if (name === 'exec') {
      if (open) transactions.push({ name: 'multi', keys: open });
      open = undefined;
    } else {
      open?.push(...keys);
      sent.push({ name, keys });
    }
    return (original as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
});
afterAll(async () => { await rt.close(); });

const slots = (keys: string[]) => new Set(keys.map((k) => calculateSlot(k)));
const crossSlot = (list: Sent[]) => list.filter((c) => slots(c.keys).size > 1);

describe('every key a command, script or MULTI sends together lives in one slot', () => {
  it('the waiting room, the cache, the rankings, the locks and the job queues, as they run', async () => {
    const concertId = 1 + Math.floor(Math.random() * 1_000_000);
    const room = WaitingRoom.fromConfig(rt.redis, { ...rt.config, QUEUE_MAX_ACTIVE: 2 });
    const joined = await Promise.all([1, 2, 3].map((u) => room.join(u, concertId)));
    await room.status(3, joined[2]!.status.token);
    room.heartbeats.note(concertId, 3);
    await room.heartbeats.flush();
    await room.promoteExclusively(concertId, undefined, async () => undefined);
    await room.joinMany([4, 5], concertId);
    await room.pause(concertId);
    await room.resume(concertId);
    await room.requireActive(1, joined[0]!.status.token, concertId);
    await room.leave(3, joined[2]!.status.token);
    await room.endFor(1, concertId);
    // The fair opening (docs/fairness.md): a pre-queue, its statuses and leave, the batched opening.
    const preConcert = concertId + 1;
    const inAMinute = Date.now() + 60_000;
    const pre = await Promise.all([6, 7, 8].map((u) => room.join(u, preConcert, inAMinute)));
    await room.status(7, pre[1]!.status.token);
    await room.leave(8, pre[2]!.status.token);
    await room.joinMany([9, 10], preConcert, inAMinute);
    await room.promoteExclusively(preConcert, undefined, async () => undefined, { opensAt: new Date(inAMinute), seed: null });
    await room.openSale(preConcert, 'cd'.repeat(32), 2);
    await room.openingRecord(preConcert, 0, 10);
    await room.status(6, pre[0]!.status.token);

    const cache = new ResponseCache(rt.redis, rt.config.REDIS_PREFIX, rt.metrics);
    const opts = { ttlMs: 10_000, l1TtlMs: 0 };
    await cache.get('seats', catalogKeys.seats(concertId), opts, async () => ({ seats: [] }));
    await cache.invalidate(catalogKeys.seats(concertId), catalogKeys.seats(concertId + 1), catalogKeys.concertList());
    // A tagged entry (a concert's schedule lists): its tag set is written in a MULTI.
    await cache.get('schedules', catalogKeys.schedules(concertId, 'a', 'b'), opts, async () => [], [catalogTags.schedules(concertId)]);
    await cache.invalidateTag(catalogTags.schedules(concertId));

    const rankings = new Rankings(rt.redis, rt.config.REDIS_PREFIX);
    const occurredAt = new Date().toISOString();
    await rankings.apply({ id: uniqueId(), type: 'payment.completed', occurredAt, aggregateId: '1', data: { concertId, reservationId: 1, scheduleId: 1, amount: 10 } });
    await rankings.apply({ id: uniqueId(), type: 'schedule.sold_out', occurredAt, aggregateId: '1', data: { concertId, scheduleId: 1, secondsToSellOut: 5, soldOutAt: occurredAt } });

    await new Locks(rt.redis).ifFree(`${rt.config.REDIS_PREFIX}:slots-test-lock`, 1000, async () => undefined);

    const queues = new JobQueues(rt.redis, rt.config.REDIS_PREFIX, { tickMs: 1000 });
    try {
      const job = await queues.enqueue('reservation.hold', { userId: 1, scheduleId: 1, seatNumbers: [1] }, { jobId: JobQueues.newUserJobId('reservation.hold') });
      await queues.findUserJob(job.id!);
      await queues.ensureAdmissionTicker(concertId, true);
    } finally {
      await queues.close();
    }

    // The recording saw the real traffic, scripts included (EVALSHA, or EVAL on a cold cache).
    const scripts = sent.filter((c) => c.name === 'evalsha' || c.name === 'eval');
    expect(scripts.filter((c) => c.keys.length > 1).length).toBeGreaterThan(5);
    expect(transactions.length).toBeGreaterThan(0);
    expect(crossSlot(sent.filter((c) => c.keys.length > 1))).toEqual([]);
    expect(crossSlot(transactions)).toEqual([]);
  });
});
