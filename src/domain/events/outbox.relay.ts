// Publishes pending outbox rows to Kafka, oldest first, and never holds a MySQL lock while it
// talks to Kafka. A relay used to read its batch with SELECT … FOR UPDATE and publish inside that
// transaction: under REPEATABLE READ the next-key locks also covered the gap where new outbox rows
// go, so a slow or frozen broker (SIGSTOP: requests hang until the 10 s request timeout, then
// retry) stalled every hold, payment and expiry that writes an event, until their 3 s lock wait
// gave up. Now one batch is three steps, none of which spans the others:
//   1. read the oldest pending rows: a plain consistent read, which takes no lock at all;
//   2. publish them, outside any transaction;
//   3. mark them sent with one autocommit UPDATE by primary key (row locks for microseconds).
// A crash between 2 and 3, or a request that timed out on a frozen broker but was written once it
// woke up, re-sends those rows later (at-least-once); consumers dedupe by the envelope's event id.
// If Kafka is down nothing is marked and the rows simply wait. One relay at a time (a Redlock in
// the outbox processor, which no write path ever waits on) keeps each aggregate's events in order.
import type { EntityManager } from '../../platform/db.ts';
import { OutboxEvent } from './outbox.entity.ts';
import { TOPICS } from './events.topics.ts';

export type Publish = (topic: (typeof TOPICS)[keyof typeof TOPICS], messages: { key: string; value: string }[]) => Promise<void>;

/** Which topic an event type goes to. One aggregate's events share a topic and a key, so they stay in order. */
function topicOf(type: string): (typeof TOPICS)[keyof typeof TOPICS] {
  if (type.startsWith('reservation.')) return TOPICS.reservationEvents;
  if (type === 'payment.completed') return TOPICS.paymentCompleted;
  if (type === 'schedule.sold_out') return TOPICS.scheduleSoldOut;
  throw new Error(`no topic for event type ${type}`);
}

/** One batch: returns how many rows were published (0 when nothing was pending). */
export async function relayBatch(em: EntityManager, publish: Publish, batchSize: number, now = new Date()): Promise<number> {
  const rows = await em.find(OutboxEvent, { sentAt: null }, { orderBy: { id: 'asc' }, limit: batchSize });
  if (rows.length === 0) return 0;
  const byTopic = new Map<string, { key: string; value: string }[]>();
  for (const row of rows) {
    const topic = topicOf(row.type);
    const list = byTopic.get(topic) ?? [];
    list.push({ key: row.aggregateId, value: row.envelope });
    byTopic.set(topic, list);
  }
  for (const [topic, messages] of byTopic) await publish(topic as Parameters<Publish>[0], messages);
  // `sent_at is null` keeps the first mark if two relays ever overlapped (a lost Redlock).
  await em.nativeUpdate(OutboxEvent, { id: { $in: rows.map((r) => r.id) }, sentAt: null }, { sentAt: now });
  return rows.length;
}

/** Deletes rows sent before `olderThan`, a bounded chunk at a time. */
export async function pruneSent(em: EntityManager, olderThan: Date, limit = 5000): Promise<number> {
  const res = await em.getConnection().execute<{ affectedRows: number }>(
    'delete from outbox where sent_at is not null and sent_at < ? order by id limit ?', [olderThan, limit], 'run',
  );
  return res.affectedRows;
}

/** Backlog size and the age of the oldest pending row, for /metrics. */
export async function outboxBacklog(em: EntityManager, now = new Date()): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const [row] = await em.getConnection().execute<{ pending: number | string; oldest: Date | null }[]>(
    'select count(*) as pending, min(created_at) as oldest from outbox where sent_at is null',
  );
  const oldest = row?.oldest ? new Date(row.oldest) : undefined;
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0 };
}
