// The envelope every Encore event is published in (docs/events.md).
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  aggregateId: string;
  data: T;
}
