// One outbox relay tick: one relay at a time (a Redlock: it keeps each aggregate's events in
// order; only other relay ticks ever wait on it, never a hold, payment or expiry, and no MySQL
// lock is held while publishing, see outbox.relay.ts), publishing pending rows in batches until
// none is left or the tick's budget is spent. When Kafka fails the rows stay pending and the
// relay backs off exponentially (up to OUTBOX_MAX_BACKOFF_MS) before trying again; nothing is
// dropped.
import type { WorkerContext } from './context.ts';
import { outboxBacklog, pruneSent, relayBatch } from '../domain/events/outbox.relay.ts';

const MAX_BATCHES_PER_TICK = 20;

export async function processOutboxRelay(ctx: WorkerContext) {
  const { config, redis, orm, logger } = ctx.runtime;
  const key = `${config.REDIS_PREFIX}:outbox-relay`;
  const backoffUntil = Number(await redis.get(`${key}:backoff-until`));
  if (backoffUntil > Date.now()) return { skipped: 'backing off' };
  return (await ctx.locks.ifFree(`${key}:lock`, 10_000, async () => {
    let published = 0;
    try {
      for (let i = 0; i < MAX_BATCHES_PER_TICK; i++) {
        const n = await relayBatch(orm.em.fork(), (topic, messages) => ctx.producer.send(ctx.topic(topic), messages), config.OUTBOX_BATCH_SIZE);
        published += n;
        if (n < config.OUTBOX_BATCH_SIZE) break;
      }
      await redis.del(`${key}:failures`);
    } catch (err) {
      const failures = await redis.incr(`${key}:failures`);
      const delay = Math.min(config.OUTBOX_MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 10));
      await redis.set(`${key}:backoff-until`, String(Date.now() + delay), 'PX', delay);
      logger.warn({ err: (err as Error).message, failures, backoffMs: delay }, 'outbox relay failed; rows stay pending');
      return { published, failed: true, backoffMs: delay };
    }
    // Prune at most once a minute, from whichever worker gets there first.
    if (await redis.set(`${key}:pruned`, '1', 'EX', 60, 'NX')) {
      await pruneSent(orm.em.fork(), new Date(Date.now() - config.OUTBOX_RETENTION_HOURS * 3600_000));
    }
    return { published, ...(await outboxBacklog(orm.em.fork())) };
  })) ?? { skipped: 'another relay holds the lock' };
}
