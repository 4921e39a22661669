// Events end to end on real brokers: the outbox relay, a broker outage, redelivery, the ranking.
// This file runs its own Kafka broker so it can stop and start it; workers are separate processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer } from 'kafkajs';
import { startTestApi, type TestApi } from '../support/app.ts';
import { spawnWorker, type WorkerProcess } from '../support/processes.ts';
import { admittedFans, finished, submit, type Fan } from '../support/flow.ts';
import { makeConcert } from '../support/fixtures.ts';
import { testEnv, uniqueId, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { observeTopic, PrivateKafka } from '../support/kafka-broker.ts';
import { ensureTopics } from '../../src/platform/kafka.ts';
import { allTopics } from '../../src/domain/events/events.topics.ts';
import { outboxBacklog, relayBatch } from '../../src/domain/events/outbox.relay.ts';
import { OutboxEvent } from '../../src/domain/events/outbox.entity.ts';
import { Rankings } from '../../src/domain/ranking/ranking.service.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { holdSeats } from '../../src/domain/reservation/index.ts';
import { sleep, until } from '../support/wait.ts';

const broker = new PrivateKafka(29092 + Number(process.env.VITEST_POOL_ID ?? 1) * 10);
let t: TestApi;
let workers: WorkerProcess[];
let consumer: Consumer;
const seen: { key: string; envelope: { id: string; type: string; aggregateId: string; occurredAt: string; data: Record<string, unknown> } }[] = [];
const users = userIdSource();

beforeAll(async () => {
  await broker.start();
  const env = testEnv({ KAFKA_BROKERS: broker.brokers, QUEUE_MAX_ACTIVE: '1000', OUTBOX_RELAY_INTERVAL_MS: '100', OUTBOX_MAX_BACKOFF_MS: '1000', KAFKA_SESSION_TIMEOUT_MS: '6000', WORKER_CONCURRENCY: '16' });
  t = await startTestApi(env);
  await ensureTopics(t.rt.kafka, t.rt.config, allTopics(t.rt.config));
  workers = await Promise.all([spawnWorker(env), spawnWorker(env)]);
  consumer = await observeTopic(t.rt, 'payment.completed', (key, envelope) => seen.push({ key, envelope: envelope as (typeof seen)[number]['envelope'] }));
}, 300_000); // a deadline: the private broker alone can take minutes to start on a starved CI machine
afterAll(async () => {
  await consumer?.disconnect();
  await Promise.all((workers ?? []).map((w) => w.stop()));
  await t?.close();
  await broker.stop();
});

/** Holds one seat each for `fans` (already funded by the seed-free path: a charge job) and pays. */
async function payOneSeatEach(fans: Fan[], scheduleId: number) {
  const charges = await Promise.all(fans.map((f) => api(t.url, '/api/wallet/charges', { method: 'POST', token: f.jwt, json: { amount: 200_000 } })));
  await Promise.all(charges.map((r, i) => finished(t, fans[i]!.jwt, r.json.jobId)));
  const holds = await Promise.all(fans.map((f, i) => submit(t, f, '/api/reservations', { scheduleId, seatNumbers: [i + 1] })));
  const held = await Promise.all(holds.map((r, i) => finished(t, fans[i]!.jwt, r.json.jobId)));
  const pays = await Promise.all(held.map((h, i) => submit(t, fans[i]!, '/api/payments', { reservationId: h.result.reservationId })));
  const paid = await Promise.all(pays.map((r, i) => finished(t, fans[i]!.jwt, r.json.jobId)));
  expect(paid.filter((p) => p.state !== 'succeeded')).toEqual([]);
  return paid.map((p) => p.result as { reservationId: number; paymentId: number });
}

const popular = async (concertId: number) => {
  const res = await api(t.url, '/api/concerts/ranking?type=popular&period=daily&limit=50');
  return res.json.find((r: { concert: { id: number } }) => r.concert.id === concertId)?.score as number | undefined;
};

describe('outbox to Kafka', () => {
  it('a payment produces exactly one payment.completed with the documented envelope', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1, price: 120_000 });
    const fans = await admittedFans(t, concert.id, users(1));
    const [paid] = await payOneSeatEach(fans, schedules[0]!.id);
    const mine = () => seen.filter((m) => m.envelope.data.reservationId === paid!.reservationId);
    await until('the event', () => mine().length > 0);
    await sleep(1000); // anything duplicated would arrive by now
    expect(mine()).toHaveLength(1);
    const { key, envelope } = mine()[0]!;
    expect(key).toBe(String(paid!.reservationId));
    expect(envelope).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'payment.completed', version: 1, occurredAt: expect.any(String), aggregateId: String(paid!.reservationId),
      data: {
        paymentId: paid!.paymentId, reservationId: paid!.reservationId, userId: fans[0]!.userId, concertId: concert.id, scheduleId: schedules[0]!.id,
        amount: 120_000, seats: [{ seatNumber: 1, price: 120_000 }], submittedAt: expect.any(String), completedAt: expect.any(String),
      },
    });
    expect(await until('the ranking', () => popular(concert.id))).toBe(1);
    // Its last seat sold: the schedule sold out and entered the fastest-sell-out ranking.
    const sellout = await until('the sell-out ranking', async () => {
      const res = await api(t.url, '/api/concerts/ranking?type=sellout&period=daily&limit=50');
      return res.json.find((r: { scheduleId: number }) => r.scheduleId === schedules[0]!.id);
    });
    expect(sellout).toMatchObject({ concert: { id: concert.id }, score: expect.any(Number) });
  });

  it('broker stopped, 200 payments made, broker started: all 200 events arrive, the outbox drains, the ranking counts 200', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 200, price: 10_000, maxSeatsPerUser: 1 });
    const fans = await admittedFans(t, concert.id, users(200));
    await broker.stop();
    const paid = await payOneSeatEach(fans, schedules[0]!.id);
    const backlog = await outboxBacklog(t.rt.orm.em.fork());
    expect(backlog.pending).toBeGreaterThanOrEqual(200 + 200); // held + completed events, at least
    await broker.start();

    const ids = new Set(paid.map((p) => p.reservationId));
    await until('200 events', () => new Set(seen.filter((m) => ids.has(m.envelope.data.reservationId as number)).map((m) => m.envelope.id)).size === 200, 180_000);
    await until('the outbox to drain', async () => (await outboxBacklog(t.rt.orm.em.fork())).pending === 0, 60_000);
    expect(await until('the ranking', async () => ((await popular(concert.id)) === 200 ? 200 : undefined), 60_000)).toBe(200);
    expect((await runAudit(t.rt.orm.em.fork())).violations).toEqual({});
  }, 300_000);

  it('the same event delivered twice (a relay that crashed between send and mark) is counted once', async () => {
    const { concert, schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 1 });
    const fans = await admittedFans(t, concert.id, users(1));
    const [paid] = await payOneSeatEach(fans, schedules[0]!.id);
    expect(await until('the ranking', () => popular(concert.id))).toBe(1);
    // Mark the payment's event unsent again, as if the relay died after sending it.
    const em = t.rt.orm.em.fork();
    const row = await em.findOneOrFail(OutboxEvent, { type: 'payment.completed', aggregateId: String(paid!.reservationId) });
    await em.getConnection().execute('update outbox set sent_at = null where id = ?', [row.id]);
    await until('the re-send', () => seen.filter((m) => m.envelope.id === row.eventId).length >= 2);
    await sleep(500);
    expect(await popular(concert.id)).toBe(1);
  });

  it('a relay batch whose publisher dies before the rows are marked sent leaves them pending; the next batch publishes them', async () => {
    // Relay by hand in this process with a publisher that dies after its first send.
    const { schedules } = await makeConcert(t.rt.orm.em.fork(), { seats: 3 });
    await Promise.all(workers.map((w) => w.stop())); // no other relay may run now
    {
      const hold = await holdSeats(t.rt.orm.em.fork(), { userId: users(1)[0]!, scheduleId: schedules[0]!.id, seatNumbers: [1, 2], jobId: `hold-manual-${uniqueId()}` }, { holdSeconds: 300, now: new Date() });
      const pendingBefore = (await outboxBacklog(t.rt.orm.em.fork())).pending;
      expect(pendingBefore).toBeGreaterThan(0);
      // The publisher stands for one that sent and then died: the relay never reached the marking.
      await expect(relayBatch(t.rt.orm.em.fork(), async () => { throw new Error('killed after sending'); }, 1000)).rejects.toThrow('killed');
      expect((await outboxBacklog(t.rt.orm.em.fork())).pending).toBe(pendingBefore);
      const published: string[] = [];
      await relayBatch(t.rt.orm.em.fork(), async (_topic, messages) => { published.push(...messages.map((m) => m.value)); }, 1000);
      expect((await outboxBacklog(t.rt.orm.em.fork())).pending).toBe(0);
      expect(published.some((v) => JSON.parse(v).aggregateId === String(hold.reservationId))).toBe(true);
    }
  });
});

describe('ranking', () => {
  it('dedupes by event id and rolls over by day, ISO week and month (injected dates)', async () => {
    const rankings = new Rankings(t.rt.redis, `t${uniqueId()}`);
    const event = (id: string, at: string, concertId: number) =>
      ({ id, type: 'payment.completed', occurredAt: at, aggregateId: '1', data: { concertId, reservationId: 1, scheduleId: 1, amount: 1 } });
    expect(await rankings.apply(event('e1', '2026-12-31T23:59:59Z', 7))).toBe(true);
    expect(await rankings.apply(event('e1', '2026-12-31T23:59:59Z', 7))).toBe(false);
    expect(await rankings.apply(event('e2', '2027-01-01T00:00:01Z', 7))).toBe(true);
    const at = (s: string) => new Date(s);
    expect(await rankings.top('popular', 'daily', 10, at('2026-12-31T12:00:00Z'))).toEqual([{ member: '7', score: 1 }]);
    expect(await rankings.top('popular', 'daily', 10, at('2027-01-01T12:00:00Z'))).toEqual([{ member: '7', score: 1 }]);
    expect(await rankings.top('popular', 'monthly', 10, at('2027-01-15T00:00:00Z'))).toEqual([{ member: '7', score: 1 }]);
    // 2026-12-31 (Thursday) and 2027-01-01 (Friday) are both in ISO week 2026-W53.
    expect(await rankings.top('popular', 'weekly', 10, at('2027-01-03T00:00:00Z'))).toEqual([{ member: '7', score: 2 }]);
    expect(await rankings.top('popular', 'weekly', 10, at('2027-01-04T00:00:00Z'))).toEqual([]);
  });

  it('rejects a bad type or period with a 400 naming the field', async () => {
    expect((await api(t.url, '/api/concerts/ranking?type=loud')).json.error.details.field).toBe('type');
    expect((await api(t.url, '/api/concerts/ranking?period=yearly')).json.error.details.field).toBe('period');
    expect((await api(t.url, '/api/concerts/ranking?limit=0')).status).toBe(400);
  });
});
