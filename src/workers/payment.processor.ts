// Payment jobs: the use case, then what follows its commit (queue slot, seat maps).
import type { Job } from 'bullmq';
import type { WorkerContext } from './context.ts';
import type { JobPayload } from '../jobs/jobs.catalog.ts';
import { payReservation } from '../domain/payment/index.ts';
import { charge } from '../domain/wallet/wallet.service.ts';
import { transaction } from '../platform/transactions.ts';
import { invalidateSeatMaps } from '../domain/catalog/catalog.cache.ts';
import { outcome } from './outcome.ts';

export const processPay = (ctx: WorkerContext, p: JobPayload<'payment.pay'>, job: Job) => outcome(() => pay(ctx, p, job));

export const processCharge = (ctx: WorkerContext, p: JobPayload<'wallet.charge'>, job: Job) => outcome(() => transaction(ctx.runtime.orm.em, (tx) =>
  // The job id is the ledger reference: a retried or re-run job never charges twice.
  charge(tx, p.userId, p.amount, `charge:${job.id}`, { maxCharge: ctx.runtime.config.WALLET_MAX_CHARGE, maxBalance: ctx.runtime.config.WALLET_MAX_BALANCE })));

async function pay(ctx: WorkerContext, p: JobPayload<'payment.pay'>, job: Job) {
  // The job's creation time is when the fan submitted: a payment is judged then, not when it runs.
  const view = await payReservation(ctx.runtime.orm.em, { ...p, submittedAt: new Date(job.timestamp) }, ctx.clock());
  // After commit: the queue slot ends once the fan holds nothing more for this concert, and the
  // seat map shows SOLD.
  if (!view.pendingHoldsLeft) await ctx.waitingRoom.endFor(p.userId, view.concertId);
  await invalidateSeatMaps(ctx.cache, [view.scheduleId]);
  return view;
}
