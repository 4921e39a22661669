import { randomUUID } from 'node:crypto';
import type { EntityManager } from '../../platform/db.ts';
import { OutboxEvent } from './outbox.entity.ts';
import type { EventEnvelope } from './events.envelope.ts';

export type EventType = 'reservation.held' | 'reservation.expired' | 'reservation.released' | 'payment.completed' | 'schedule.sold_out';

/** Records an event in the caller's transaction; it is published only if that transaction commits. */
export function recordEvent<T>(em: EntityManager, type: EventType, aggregateId: string | number, data: T, now = new Date()): EventEnvelope<T> {
  const envelope: EventEnvelope<T> = { id: randomUUID(), type, occurredAt: now.toISOString(), aggregateId: String(aggregateId), data };
  em.create(OutboxEvent, { eventId: envelope.id, type, aggregateId: envelope.aggregateId, envelope: JSON.stringify(envelope), createdAt: now });
  return envelope;
}
