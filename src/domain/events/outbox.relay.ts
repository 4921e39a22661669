// Publishes pending outbox rows to Kafka, oldest first, and marks them sent in the same
// transaction that read them. A crash between the send and the commit re-sends those rows on the
// next run (at-least-once); consumers dedupe by event id. If Kafka is down nothing is marked and
// the rows simply wait.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../platform/db.ts';
import { OutboxEvent } from './outbox.entity.ts';
import { TOPICS } from './events.topics.ts';

export type Publish = (topic: (typeof TOPICS)[keyof typeof TOPICS], messages: { key: string; value: string }[]) => Promise<void>;

/** Which topic an event type goes to. One aggregate's events share a topic and a key, so they stay in order. */
export function topicOf(type: string): (typeof TOPICS)[keyof typeof TOPICS] {
  if (type.startsWith('reservation.')) return TOPICS.reservationEvents;
  if (type === 'payment.completed') return TOPICS.paymentCompleted;
  if (type === 'schedule.sold_out') return TOPICS.scheduleSoldOut;
  throw new Error(`no topic for event type ${type}`);
}

/** One batch: returns how many rows were published (0 when nothing was pending). */
export async function relayBatch(em: EntityManager, publish: Publish, batchSize: number, now = new Date()): Promise<number> {
  return em.transactional(async (tx) => {
    const rows = await tx.find(OutboxEvent, { sentAt: null }, { orderBy: { id: 'asc' }, limit: batchSize, lockMode: LockMode.PESSIMISTIC_WRITE });
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const row of rows) {
      const topic = topicOf(row.type);
      const list = byTopic.get(topic) ?? [];
      list.push({ key: row.aggregateId, value: row.envelope });
      byTopic.set(topic, list);
    }
    for (const [topic, messages] of byTopic) await publish(topic as Parameters<Publish>[0], messages);
    for (const row of rows) row.sentAt = now;
    return rows.length;
  });
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
