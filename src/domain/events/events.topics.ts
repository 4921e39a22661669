import type { Config } from '../../platform/config.ts';
import { topicName } from '../../platform/kafka.ts';

/** Kafka topics Encore publishes to; created at start by the worker and the API. */
export const TOPICS = {
  queueAdmitted: 'queue.admitted',
  queueSoldOut: 'queue.sold_out',
  reservationEvents: 'reservation.events',
  paymentCompleted: 'payment.completed',
  scheduleSoldOut: 'schedule.sold_out',
} as const;

export function allTopics(config: Pick<Config, 'KAFKA_TOPIC_PREFIX'>): string[] {
  return Object.values(TOPICS).map((t) => topicName(config, t));
}
