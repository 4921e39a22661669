import { Worker, type Job } from 'bullmq';
import { hostname } from 'node:os';
import type { Runtime } from '../platform/runtime.ts';
import { createRedis } from '../platform/redis.ts';
import { QUEUES } from '../jobs/jobs.catalog.ts';
import { bullPrefix } from '../jobs/jobs.queues.ts';
import { createWorkerContext, type WorkerContext } from './context.ts';
import { dispatch } from './processors.ts';
import { startRankingConsumer } from './ranking.consumer.ts';
import type { Consumer } from 'kafkajs';

export interface RunningWorkers { context: WorkerContext; close(): Promise<void> }

/** One BullMQ Worker per queue; each dispatches on the job name to its typed processor. */
export async function startWorkers(runtime: Runtime, opts: { concurrency?: number } = {}): Promise<RunningWorkers> {
  const { config, logger } = runtime;
  const context = createWorkerContext(runtime);
  const connection = createRedis(config, 'blocking');
  const workers = QUEUES.map((queue) => {
    const worker = new Worker(
      queue,
      async (job: Job) => dispatch(context, job),
      {
        connection,
        name: `${hostname()}:${process.pid}`, // shown per job as processedBy (Bull Board, tests)
        prefix: bullPrefix(config.REDIS_PREFIX),
        concurrency: opts.concurrency ?? config.WORKER_CONCURRENCY,
        lockDuration: config.WORKER_LOCK_DURATION_MS,
        stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
        // A job whose worker died is retried (not failed) up to this many times.
        maxStalledCount: 3,
      },
    );
    worker.on('error', (err) => logger.warn({ err: err.message, queue }, 'worker error'));
    worker.on('failed', (job, err) => logger.debug({ jobId: job?.id, name: job?.name, err: err.message }, 'job failed'));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  // The recurring schedulers live in Redis. Ensured at start and then periodically by every
  // worker, not only at start: after Redis loses its data (flush, failover, a restart without
  // AOF) they would otherwise stay gone until some worker restarts, and holds whose delayed
  // expiry job vanished with them would stay held forever. Upsert is idempotent, so N workers
  // doing it cost N cheap commands per interval.
  const ensureSchedulers = async () => {
    await context.queues.schedule('holds.sweep', 'holds-sweep', config.HOLD_SWEEP_INTERVAL_MS, {});
    await context.queues.schedule('outbox.relay', 'outbox-relay', config.OUTBOX_RELAY_INTERVAL_MS, {});
  };
  await ensureSchedulers();
  const ensureTimer = setInterval(() => {
    ensureSchedulers().catch((err: Error) => logger.warn({ err: err.message }, 'could not ensure the job schedulers; retrying next interval'));
  }, config.SCHEDULERS_ENSURE_INTERVAL_MS);
  ensureTimer.unref();
  // Kafka may be down at start: the consumer then starts later, by retrying in the background.
  let consumer: Consumer | undefined;
  let stopped = false;
  const startConsumer = async (): Promise<void> => {
    if (!config.RANKING_CONSUMER || stopped) return;
    try {
      consumer = await startRankingConsumer(context);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'ranking consumer could not start; retrying in 5 s');
      setTimeout(() => void startConsumer(), 5000).unref();
    }
  };
  await startConsumer();
  return {
    context,
    async close() {
      // Stop fetching and let in-flight jobs finish, then close the producers and connections.
      stopped = true;
      clearInterval(ensureTimer);
      await consumer?.disconnect();
      await Promise.all(workers.map((w) => w.close()));
      await context.close();
      connection.disconnect();
    },
  };
}
