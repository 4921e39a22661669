// The envelope every Encore event is published in (docs/events.md).
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  /** Version of `data`'s shape for this type (docs/events.md); absent means 1. */
  version?: number;
  occurredAt: string;
  aggregateId: string;
  data: T;
}
