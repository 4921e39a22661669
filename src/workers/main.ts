// Worker process entry point: thin. Build the runtime, start every BullMQ worker and job
// scheduler, own the shutdown (stop fetching, finish in-flight jobs, then close clients).
import { loadConfig } from '../platform/config.ts';
import { createRuntime } from '../platform/runtime.ts';
import { ensureTopics } from '../platform/kafka.ts';
import { onShutdown } from '../platform/shutdown.ts';
import { ormModel } from '../domain/model.ts';
import { allTopics } from '../domain/events/events.topics.ts';
import { startWorkers } from './workers.ts';

const config = loadConfig();
const runtime = await createRuntime(config, ormModel, 'worker');
const { logger } = runtime;
await ensureTopics(runtime.kafka, config, allTopics(config)).catch((err: Error) =>
  logger.warn({ err: err.message }, 'could not ensure Kafka topics at start'),
);
const workers = await startWorkers(runtime);
logger.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker ready');

onShutdown(
  logger,
  [
    { name: 'workers', run: () => workers.close() },
    { name: 'runtime', run: () => runtime.close() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);
