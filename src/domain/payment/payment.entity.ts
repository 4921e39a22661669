import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    reservationId: p.bigint('number'),
    userId: p.bigint('number'),
    amount: p.bigint('number'),
    status: p.string().length(16).$type<'COMPLETED'>(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IPayment = InferEntity<typeof Payment>;
