import type { WorkerContext } from './context.ts';
import { JOBS, type JobPayload } from '../jobs/jobs.catalog.ts';
import { queueEventMessage, type QueueEvent } from '../domain/queue/queue.events.ts';
import { readInventory } from '../domain/queue/queue.inventory.ts';
import type { InventoryView, SaleOpeningView } from '../domain/queue/queue.service.ts';
import { readSaleOpening } from '../domain/catalog/catalog.sale.ts';
import { admissionSchedulerId } from '../jobs/jobs.queues.ts';

/**
 * One admission tick: count what the sale can absorb (one SQL count), promote under the concert's
 * Redlock and broadcast the line's state, then relay the admissions (and a sold-out) to Kafka
 * after the lock is released. Kafka being down does not stop admission: the events wait in the
 * concert's Redis stream and go out on a later tick. MySQL being down stops admission (nobody's
 * active minutes are burnt on a sale that cannot proceed). A line with nobody waiting or active
 * stops its own scheduler. A concert with an announced opening admits nobody before it, and at it
 * gives its pre-queue their drawn places first (docs/fairness.md); if its opening time or seed
 * cannot be read, nobody is admitted this tick (a pre-queue must not be overtaken).
 */
export async function processAdmissionTick(ctx: WorkerContext, { concertId }: JobPayload<'admission.tick'>) {
  const { orm, logger } = ctx.runtime;
  const inventory: InventoryView = await readInventory(orm.em.fork(), concertId, new Date()).catch((err: Error) => {
    logger.warn({ err: err.message, concertId }, 'admission tick could not read the inventory; admitting nobody');
    return 'unreachable' as const;
  });
  const sale: SaleOpeningView = await readSaleOpening(orm.em.fork(), concertId).catch((err: Error) => {
    logger.warn({ err: err.message, concertId }, 'admission tick could not read the sale opening; admitting nobody');
    return { opensAt: new Date(8.64e15), seed: null };
  });
  const relay = async (events: QueueEvent[]) => {
    const messages = events.map(queueEventMessage);
    for (const topic of ['queue.admitted', 'queue.sold_out'] as const) {
      const batch = messages.filter((m) => m.topic === topic).map(({ key, value }) => ({ key, value }));
      if (batch.length) await ctx.producer.send(ctx.topic(topic), batch);
    }
  };
  const backlog = await holdBacklog(ctx);
  let result;
  try {
    result = await ctx.waitingRoom.promoteExclusively(concertId, inventory, relay, sale, { pause: backlog.pause });
  } catch (err) {
    // Either Redis failed (the next tick retries) or the relay did, after promotion had committed
    // in Redis: then only the events are delayed, waiting in the concert's stream. The scheduler
    // is kept either way, so nothing is stranded.
    logger.warn({ err, concertId }, 'admission tick failed; the next tick retries');
    return { concertId, failed: true };
  }
  if (!result) return { concertId, skipped: 'another promoter holds the lock' };
  if (result.opening && result.opening.placed > 0) {
    const { entrants, placed, computeMs, batchMs } = result.opening;
    logger.info({ concertId, entrants, placed, computeMs: Math.round(computeMs), batches: batchMs.length }, 'sale opened: pre-queue placed');
  }
  if (result.waiting === 0 && result.active === 0 && result.preQueue === 0) {
    await ctx.queues.queues.admission.removeJobScheduler(admissionSchedulerId(concertId));
  }
  const { line: _line, opening: _opening, ...counts } = result;
  return { concertId, inventory, holdBacklog: backlog.waiting, ...counts };
}

/**
 * Hold jobs waiting for a worker, and whether admission pauses for them: the workers, not the
 * line, are then the bottleneck, and fans admitted now would only wait after submitting, with a
 * hold that may come too late. The count is one Redis call; if it fails, admission goes on.
 */
async function holdBacklog(ctx: WorkerContext): Promise<{ waiting: number | null; pause: boolean }> {
  const max = ctx.runtime.config.QUEUE_ADMIT_MAX_HOLD_BACKLOG;
  if (max === 0) return { waiting: null, pause: false };
  // Waiting or prioritized (user jobs carry priorities): not yet taken by a worker.
  const waiting = await ctx.queues.queues[JOBS['reservation.hold'].queue].getJobCountByTypes('waiting', 'prioritized').catch(() => null);
  return { waiting, pause: waiting !== null && waiting > max };
}
