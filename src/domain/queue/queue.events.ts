import type { EventEnvelope } from '../events/events.envelope.ts';
import type { AdmittedEvent } from './queue.service.ts';

/** `queue.admitted`, keyed by concert so one concert's admissions stay in order on one partition. */
export function admittedMessage(e: AdmittedEvent): { key: string; value: string } {
  const envelope: EventEnvelope = {
    // The stream id is unique per concert and stable across re-relays, so consumers can dedupe.
    id: `queue.admitted:${e.concertId}:${e.streamId}`,
    type: 'queue.admitted',
    occurredAt: e.occurredAt,
    aggregateId: String(e.concertId),
    data: { concertId: e.concertId, userId: e.userId, activeUntil: e.activeUntil },
  };
  return { key: String(e.concertId), value: JSON.stringify(envelope) };
}
