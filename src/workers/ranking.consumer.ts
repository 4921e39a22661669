// The ranking consumer group: reads payment.completed and schedule.sold_out and applies each
// event id once (the dedupe marker lives in Redis, so it survives redelivery and restarts).
// Offsets are committed after the event is applied; a crash in between redelivers it, harmlessly.
import type { Consumer } from 'kafkajs';
import type { WorkerContext } from './context.ts';
import { Rankings } from '../domain/ranking/ranking.service.ts';
import { TOPICS } from '../domain/events/events.topics.ts';
import type { EventEnvelope } from '../domain/events/events.envelope.ts';

export async function startRankingConsumer(ctx: WorkerContext): Promise<Consumer> {
  const { config, kafka, redis, logger } = ctx.runtime;
  const rankings = new Rankings(redis, config.REDIS_PREFIX);
  const consumer = kafka.consumer({
    groupId: `${config.KAFKA_CLIENT_ID}-${config.KAFKA_TOPIC_PREFIX}ranking`,
    sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatInterval: Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 6),
    // Keep retrying a lost broker every few seconds (kafkajs' default backs off to 30 s).
    retry: { retries: 1000, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [ctx.topic(TOPICS.paymentCompleted), ctx.topic(TOPICS.scheduleSoldOut)], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      let event: EventEnvelope;
      try {
        event = JSON.parse(message.value.toString()) as EventEnvelope;
      } catch {
        logger.error({ offset: message.offset }, 'ranking: skipping a message that is not JSON');
        return;
      }
      await rankings.apply(event);
    },
  });
  return consumer;
}
