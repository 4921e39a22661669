import { defineEntity, p } from '@mikro-orm/core';

/** Events written in the same transaction as the change they describe; a relay publishes them. */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    eventId: p.string().length(36),
    type: p.string().length(64),
    aggregateId: p.string().length(64),
    envelope: p.text(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    sentAt: p.datetime(3).nullable(),
  },
});
