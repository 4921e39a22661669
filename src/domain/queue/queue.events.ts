import type { EventEnvelope } from '../events/events.envelope.ts';

/** What the admission tick records in the concert's Redis stream, relayed to Kafka in order. */
export type QueueEvent =
  | { type: 'admitted'; streamId: string; concertId: number; userId: number; activeUntil: string; occurredAt: string }
  | { type: 'sold_out'; streamId: string; concertId: number; occurredAt: string };
export type AdmittedEvent = Extract<QueueEvent, { type: 'admitted' }>;

/**
 * The Kafka message of a queue event: `queue.admitted` or `queue.sold_out`, keyed by concert so one
 * concert's events stay in order on one partition. The stream id is unique per concert and stable
 * across re-relays, so consumers can dedupe by the envelope id.
 */
export function queueEventMessage(e: QueueEvent): { topic: 'queue.admitted' | 'queue.sold_out'; key: string; value: string } {
  const type = e.type === 'admitted' ? 'queue.admitted' : 'queue.sold_out';
  const envelope: EventEnvelope = {
    id: `${type}:${e.concertId}:${e.streamId}`,
    type,
    occurredAt: e.occurredAt,
    aggregateId: String(e.concertId),
    data: e.type === 'admitted' ? { concertId: e.concertId, userId: e.userId, activeUntil: e.activeUntil } : { concertId: e.concertId },
  };
  return { topic: type, key: String(e.concertId), value: JSON.stringify(envelope) };
}
