// The waiting room end to end over HTTP with an in-process worker: pacing headers, the SSE stream
// (ACTIVE after admission, SOLD_OUT after the last seat is paid), ALL_SEATS_HELD while every seat
// is held and admission in order as holds expire, forged tokens, QUEUE_RESET, and the
// queue.sold_out event on the real Kafka broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer } from 'kafkajs';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { makeConcert } from '../support/fixtures.ts';
import { finished, fund } from '../support/flow.ts';
import { uniqueId, userIdSource } from '../support/env.ts';
import { startWorkers, type RunningWorkers } from '../../src/workers/workers.ts';
import { ensureTopics, topicName } from '../../src/platform/kafka.ts';
import { allTopics } from '../../src/domain/events/events.topics.ts';
import { queueKeys } from '../../src/domain/queue/queue.keys.ts';
import { until } from '../support/wait.ts';
import { sseBlocks } from '../support/sse.ts';

let t: TestApi;
let workers: RunningWorkers;
let consumer: Consumer;
const soldOutEvents: Record<string, unknown>[] = [];
const users = userIdSource();

beforeAll(async () => {
  t = await startTestApi({ QUEUE_MAX_ACTIVE: '10', QUEUE_TICK_MS: '200', QUEUE_ADMIT_PER_SEAT: '1', HOLD_TTL_SECONDS: '15', QUEUE_HEARTBEAT_FLUSH_MS: '500' });
  await ensureTopics(t.rt.kafka, t.rt.config, allTopics(t.rt.config));
  workers = await startWorkers(t.rt, { concurrency: 4 });
  consumer = t.rt.kafka.consumer({ groupId: `test-${uniqueId()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(t.rt.config, 'queue.sold_out'), fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { soldOutEvents.push(JSON.parse(message.value!.toString())); } });
});
afterAll(async () => {
  await consumer.disconnect();
  await workers.close();
  await t.close();
});

interface Fan { userId: number; jwt: string; token: string }
const join = async (concertId: number): Promise<Fan> => {
  const [userId] = users(1);
  const jwt = await t.token(userId!);
  const res = await api(t.url, '/api/queue/tokens', { method: 'POST', token: jwt, json: { concertId } });
  expect(res.status).toBe(201);
  return { userId: userId!, jwt, token: res.json.token };
};
const poll = async (f: Fan) => api(t.url, '/api/queue/status', { token: f.jwt, headers: { 'x-queue-token': f.token } });
const stateOf = async (f: Fan) => (await poll(f)).json;

/** Opens the SSE stream and collects its `status` events (EventSource style: both tokens in the query). */
function openStream(f: Fan, viaQuery = true) {
  const events: Record<string, unknown>[] = [];
  const controller = new AbortController();
  let ended = false;
  const url = viaQuery
    ? `${t.url}/api/queue/events?token=${encodeURIComponent(f.token)}&access_token=${encodeURIComponent(f.jwt)}`
    : `${t.url}/api/queue/events`;
  const headers: Record<string, string> = viaQuery ? {} : { authorization: `Bearer ${f.jwt}`, 'x-queue-token': f.token };
  const done = (async () => {
    const res = await fetch(url, { headers, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    for await (const block of sseBlocks(res.body!)) {
      if (!block.comment && block.event === 'status' && block.data !== undefined) events.push(block.data as Record<string, unknown>);
    }
    ended = true;
  })().catch(() => { ended = true; });
  return { events, done, get ended() { return ended; }, close: () => controller.abort() };
}

const hold = async (f: Fan, scheduleId: number, seatNumbers: number[]) => {
  const res = await api(t.url, '/api/reservations', { method: 'POST', token: f.jwt, json: { scheduleId, seatNumbers }, headers: { 'x-queue-token': f.token } });
  expect(res.status).toBe(202);
  const job = await finished(t, f.jwt, res.json.jobId);
  expect(job.state).toBe('succeeded');
  return job.result.reservationId as number;
};
const pay = async (f: Fan, reservationId: number) => {
  const res = await api(t.url, '/api/payments', { method: 'POST', token: f.jwt, json: { reservationId }, headers: { 'x-queue-token': f.token } });
  expect(res.status).toBe(202);
  expect((await finished(t, f.jwt, res.json.jobId)).state).toBe('succeeded');
};

describe('status answers', () => {
  it('carry pollAfterMs and a matching Retry-After header; a forged token is a 401, a reset line a 410', async () => {
    const { concert } = await makeConcert(t.rt.orm.em.fork(), { seats: 2 });
    const f = await join(concert.id);
    const res = await poll(f);
    expect(res.status).toBe(200);
    expect(res.json.pollAfterMs).toBeGreaterThanOrEqual(1000);
    expect(res.headers.get('retry-after')).toBe(String(Math.ceil(res.json.pollAfterMs / 1000)));

    const [c, u, seq, e, mac] = f.token.split('.');
    const forged = await api(t.url, '/api/queue/status', { token: f.jwt, headers: { 'x-queue-token': [c, u, String(Number(seq) + 1), e, mac].join('.') } });
    expect(forged.status).toBe(401);
    expect(forged.json.error.code).toBe('QUEUE_TOKEN_INVALID');

    const k = queueKeys(t.rt.config.REDIS_PREFIX, concert.id);
    await t.rt.redis.del(k.waiting, k.seen, k.active, k.activeSeen, k.activeSeq, k.seq, k.meta);
    const reset = await poll(f);
    expect(reset.status).toBe(410);
    expect(reset.json.error.code).toBe('QUEUE_RESET');
  }, 120_000);
});

describe('sold out', () => {
  it('after the last seat is paid, every waiting fan learns SOLD_OUT (poll and SSE), joins get 409 and queue.sold_out goes to Kafka', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 2 });
    const [a, b] = [await join(concert.id), await join(concert.id)];
    const waiting = [await join(concert.id), await join(concert.id), await join(concert.id)];
    await until('the first two admitted', async () => ((await stateOf(b)).state === 'ACTIVE' ? true : undefined));
    expect(await stateOf(waiting[0]!)).toMatchObject({ state: 'WAITING', position: 1 });
    const streams = [openStream(waiting[0]!), openStream(waiting[1]!, false)];
    await until('streams opened', () => (streams.every((s) => s.events.length > 0) ? true : undefined));
    expect(streams[0]!.events[0]).toMatchObject({ state: 'WAITING' });

    for (const [f, seat] of [[a, 1], [b, 2]] as const) {
      await fund(t, f.jwt, 200_000);
      await pay(f, await hold(f, schedules[0]!.id, [seat]));
    }
    for (const s of streams) {
      await until('SOLD_OUT on the stream', () => (s.events.some((e) => e.state === 'SOLD_OUT') ? true : undefined));
      await until('the stream to end', () => (s.ended ? true : undefined));
    }
    expect((await stateOf(waiting[2]!)).state).toBe('SOLD_OUT');
    const late = await api(t.url, '/api/queue/tokens', { method: 'POST', token: await t.token(users(1)[0]!), json: { concertId: concert.id } });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('SOLD_OUT');
    await until('queue.sold_out on Kafka', () => (soldOutEvents.some((e) => e.aggregateId === String(concert.id)) ? true : undefined));
    expect(soldOutEvents.filter((e) => e.aggregateId === String(concert.id))).toHaveLength(1);
  }, 300_000);
});

describe('all seats held', () => {
  it('fans wait with ALL_SEATS_HELD while every seat is held; as the holds expire the next fans are admitted in order, and the stream says ACTIVE', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 2 });
    const [a, b] = [await join(concert.id), await join(concert.id)];
    const [c, d, e] = [await join(concert.id), await join(concert.id), await join(concert.id)];
    await until('the first two admitted', async () => ((await stateOf(b)).state === 'ACTIVE' ? true : undefined));
    // One hold of both seats (two separate holds could outlive each other on a slow machine).
    await hold(a, schedules[0]!.id, [1, 2]);
    // The active fans walk away from the queue (the hold stays until it expires).
    for (const f of [a, b]) await api(t.url, '/api/queue/tokens/current', { method: 'DELETE', token: f.jwt, headers: { 'x-queue-token': f.token } });
    const stream = openStream(c);
    await until('ALL_SEATS_HELD', async () => ((await stateOf(d)).reason === 'ALL_SEATS_HELD' ? true : undefined));
    expect(await stateOf(c)).toMatchObject({ state: 'WAITING', position: 1, reason: 'ALL_SEATS_HELD' });

    // The hold lasts 15 s; then both seats are free again: c and d (in that order) get the two slots.
    await until('c admitted on the stream', () => (stream.events.some((x) => x.state === 'ACTIVE') ? true : undefined));
    await until('d admitted', async () => ((await stateOf(d)).state === 'ACTIVE' ? true : undefined));
    expect(await stateOf(e)).toMatchObject({ state: 'WAITING', position: 1 });
    stream.close();
  }, 300_000);
});
