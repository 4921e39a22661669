// What processors get: the process runtime plus the domain services built on it.
import type { Runtime } from '../platform/runtime.ts';
import { LazyProducer, topicName } from '../platform/kafka.ts';
import { ResponseCache } from '../platform/cache.ts';
import { Locks } from '../platform/lock.ts';
import { WaitingRoom } from '../domain/queue/queue.service.ts';
import { JobQueues } from '../jobs/jobs.queues.ts';
import type { TOPICS } from '../domain/events/events.topics.ts';

export interface WorkerContext {
  runtime: Runtime;
  waitingRoom: WaitingRoom;
  queues: JobQueues;
  producer: LazyProducer;
  /** Used only to invalidate: workers change seats, API processes serve the cached seat maps. */
  cache: ResponseCache;
  locks: Locks;
  clock: () => Date;
  topic: (name: (typeof TOPICS)[keyof typeof TOPICS]) => string;
  close(): Promise<void>;
}

export function createWorkerContext(runtime: Runtime): WorkerContext {
  const { config, redis, kafka, metrics } = runtime;
  const waitingRoom = WaitingRoom.fromConfig(redis, config);
  const queues = new JobQueues(redis, config.REDIS_PREFIX, { tickMs: config.QUEUE_TICK_MS });
  const producer = new LazyProducer(kafka);
  return {
    runtime, waitingRoom, queues, producer,
    cache: new ResponseCache(redis, config.REDIS_PREFIX, metrics),
    locks: new Locks(redis),
    clock: () => new Date(),
    topic: (name) => topicName(config, name),
    async close() {
      await queues.close();
      await producer.close();
    },
  };
}
