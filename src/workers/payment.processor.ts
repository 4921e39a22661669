import type { Job } from 'bullmq';
import type { WorkerContext } from './context.ts';
import type { JobPayload } from '../jobs/jobs.catalog.ts';
import { payReservation } from '../domain/payment/payment.service.ts';
import { charge } from '../domain/wallet/wallet.service.ts';
import { retryTransient } from '../platform/transactions.ts';
import { invalidateSeatMaps } from '../domain/catalog/catalog.cache.ts';
import { outcome } from './outcome.ts';

export async function processPay(ctx: WorkerContext, p: JobPayload<'payment.pay'>) {
  return outcome(async () => {
    const view = await retryTransient(() => payReservation(ctx.runtime.orm.em.fork(), p.userId, p.reservationId, ctx.clock()));
    // After commit: the paid user's queue slot frees at once, and the seat map shows SOLD.
    await ctx.waitingRoom.endFor(p.userId, view.concertId);
    await invalidateSeatMaps(ctx.cache, [view.scheduleId]);
    return view;
  });
}

export async function processCharge(ctx: WorkerContext, p: JobPayload<'wallet.charge'>, job: Job) {
  const { config, orm } = ctx.runtime;
  const limits = { maxCharge: config.WALLET_MAX_CHARGE, maxBalance: config.WALLET_MAX_BALANCE };
  // The job id is the ledger reference: a retried or re-run job never charges twice.
  return outcome(() => retryTransient(() => orm.em.fork().transactional((tx) => charge(tx, p.userId, p.amount, `charge:${job.id}`, limits))));
}
