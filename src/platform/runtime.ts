// The shared clients of one process (API or worker): ORM, Redis, Kafka, logger, metrics.
// Entry points build one Runtime at start and close it last on shutdown.
import type { Registry } from 'prom-client';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createOrm, pingDb, type Orm, type OrmModel } from './db.ts';
import { connectRedis, createRedis, type RedisClient } from './redis.ts';
import { useLockNodes } from './lock.ts';
import { createKafka, pingKafka, type Admin, type Kafka } from './kafka.ts';
import { createMetricsRegistry } from './metrics.ts';
import type { Check } from './health.ts';

export interface Runtime {
  config: Config;
  logger: Logger;
  orm: Orm;
  redis: RedisClient;
  kafka: Kafka;
  metrics: Registry;
  checks: Record<'mysql' | 'redis' | 'kafka', Check>;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, model: OrmModel, name: string): Promise<Runtime> {
  const logger = createLogger(config.LOG_LEVEL, name);
  const orm = await createOrm(config, model);
  const redis = createRedis(config, 'command');
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error'));
  // Start even when Redis is briefly down; ioredis keeps reconnecting and /health/ready says 503.
  await connectRedis(redis).catch((err: Error) => logger.warn({ err: err.message }, 'redis not reachable at start'));
  // Redlock's quorum over independent masters, when configured (src/platform/lock.ts).
  const lockNodes = (config.REDLOCK_NODES ?? []).map((url) => {
    const node = createRedis(url, 'command');
    node.on('error', () => undefined);
    connectRedis(node).catch(() => undefined);
    return node;
  });
  if (lockNodes.length) useLockNodes(redis, lockNodes);
  const kafka = createKafka(config, logger);
  let admin: Admin | undefined;
  const checks = {
    mysql: () => pingDb(orm),
    redis: async () => {
      if (redis.status !== 'ready') throw new Error(`redis ${redis.status}`);
      await redis.ping();
    },
    kafka: async () => {
      if (!admin) {
        const candidate = kafka.admin();
        await candidate.connect();
        admin = candidate;
      }
      try {
        await pingKafka(admin);
      } catch (err) {
        const stale = admin;
        admin = undefined;
        await stale.disconnect().catch(() => undefined);
        throw err;
      }
    },
  };
  return {
    config,
    logger,
    orm,
    redis,
    kafka,
    metrics: createMetricsRegistry(name),
    checks,
    async close() {
      await admin?.disconnect().catch(() => undefined);
      redis.disconnect();
      for (const node of lockNodes) node.disconnect();
      await orm.close(true);
    },
  };
}
