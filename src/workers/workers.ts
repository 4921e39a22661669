import { Worker, type Job } from 'bullmq';
import { hostname } from 'node:os';
import type { Runtime } from '../platform/runtime.ts';
import { createRedis } from '../platform/redis.ts';
import { JOBS, QUEUES, type JobName } from '../jobs/jobs.catalog.ts';
import { bullPrefix } from '../jobs/jobs.queues.ts';
import { createWorkerContext, type WorkerContext } from './context.ts';
import { processors } from './processors.ts';
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
      async (job: Job) => {
        const name = job.name as JobName;
        const def = JOBS[name];
        if (!def) throw new Error(`no processor for job ${job.name}`);
        const payload = def.payload.parse(job.data);
        return (processors[name] as (c: WorkerContext, p: unknown, j: Job) => Promise<unknown>)(context, payload, job);
      },
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
  await context.queues.schedule('holds.sweep', 'holds-sweep', config.HOLD_SWEEP_INTERVAL_MS, {});
  await context.queues.schedule('outbox.relay', 'outbox-relay', config.OUTBOX_RELAY_INTERVAL_MS, {});
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
      await consumer?.disconnect();
      await Promise.all(workers.map((w) => w.close()));
      await context.close();
      connection.disconnect();
    },
  };
}
