import type { WorkerContext } from './context.ts';
import type { JobPayload } from '../jobs/jobs.catalog.ts';
import { admittedMessage } from '../domain/queue/queue.events.ts';
import { admissionSchedulerId } from '../jobs/jobs.queues.ts';
import { TOPICS } from '../domain/events/events.topics.ts';

/**
 * One admission tick: promote under the concert's Redlock, relay the admissions to Kafka. Kafka
 * being down does not stop admission: the events wait in the concert's Redis stream and go out
 * on a later tick. A line with nobody waiting or active stops its own scheduler.
 */
export async function processAdmissionTick(ctx: WorkerContext, { concertId }: JobPayload<'admission.tick'>) {
  const topic = ctx.topic(TOPICS.queueAdmitted);
  const relay = async (events: Parameters<typeof admittedMessage>[0][]) => ctx.producer.send(topic, events.map(admittedMessage));
  let result;
  try {
    result = await ctx.waitingRoom.promoteExclusively(concertId, relay);
  } catch (err) {
    // Either Redis failed (the next tick retries) or the relay did, after promotion had committed
    // in Redis: then only the events are delayed, waiting in the concert's stream. The scheduler
    // is kept either way, so nothing is stranded.
    ctx.runtime.logger.warn({ err, concertId }, 'admission tick failed; the next tick retries');
    return { concertId, failed: true };
  }
  if (!result) return { concertId, skipped: 'another promoter holds the lock' };
  if (result.waiting === 0 && result.active === 0) {
    await ctx.queues.queues.admission.removeJobScheduler(admissionSchedulerId(concertId));
  }
  return { concertId, ...result };
}
