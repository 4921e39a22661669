// The whole admission path with real processes' parts: HTTP join, the BullMQ job scheduler on a
// worker, Redlock, and queue.admitted events consumed from the real Kafka broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { makeConcert } from '../support/fixtures.ts';
import { startWorkers, type RunningWorkers } from '../../src/workers/workers.ts';
import { ensureTopics, topicName } from '../../src/platform/kafka.ts';
import { allTopics } from '../../src/domain/events/events.topics.ts';
import { uniqueId } from '../support/env.ts';
import type { Consumer } from 'kafkajs';
import { until } from '../support/wait.ts';

let t: TestApi;
let workers: RunningWorkers;
let consumer: Consumer;
const received: { key: string; value: Record<string, unknown> }[] = [];

beforeAll(async () => {
  t = await startTestApi({ QUEUE_MAX_ACTIVE: '3', QUEUE_TICK_MS: '100' });
  await ensureTopics(t.rt.kafka, t.rt.config, allTopics(t.rt.config));
  workers = await startWorkers(t.rt, { concurrency: 4 });
  consumer = t.rt.kafka.consumer({ groupId: `test-${uniqueId()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(t.rt.config, 'queue.admitted'), fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { received.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) }); } });
});
afterAll(async () => {
  await consumer.disconnect();
  await workers.close();
  await t.close();
});

describe('admission scheduler', () => {
  it('admits the first maxActive users by itself and publishes one queue.admitted per user, keyed by concert, in order', async () => {
    const { concert } = await makeConcert(t.rt.orm.em.fork(), { seats: 10 });
    const users = [1, 2, 3, 4, 5];
    const tokens: Record<number, string> = {};
    for (const u of users) {
      const res = await api(t.url, '/api/queue/tokens', { method: 'POST', token: await t.token(u), json: { concertId: concert.id } });
      tokens[u] = res.json.token;
    }
    const stateOf = async (u: number) =>
      (await api(t.url, '/api/queue/status', { token: await t.token(u), headers: { 'x-queue-token': tokens[u]! } })).json;
    await until('user 3 admitted', async () => (await stateOf(3)).state === 'ACTIVE', 45_000, 50);
    expect((await stateOf(1)).state).toBe('ACTIVE');
    expect((await stateOf(2)).state).toBe('ACTIVE');
    expect(await stateOf(4)).toMatchObject({ state: 'WAITING', position: 1 });

    const mine = await until('three queue.admitted events', () => {
      const list = received.filter((m) => m.key === String(concert.id));
      return list.length >= 3 ? list : undefined;
    }, 45_000, 50);
    expect(mine.map((m) => (m.value.data as { userId: number }).userId)).toEqual([1, 2, 3]);
    expect(mine[0]!.value).toMatchObject({ type: 'queue.admitted', aggregateId: String(concert.id), id: expect.stringMatching(/^queue\.admitted:/) });

    // Leaving frees a slot; the next tick admits user 4.
    await api(t.url, '/api/queue/tokens/current', { method: 'DELETE', token: await t.token(1), headers: { 'x-queue-token': tokens[1]! } });
    await until('user 4 admitted', async () => (await stateOf(4)).state === 'ACTIVE', 45_000, 50);
    expect((await stateOf(5)).position).toBe(1);
  });
});
