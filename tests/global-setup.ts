// Finds the services the tests need, in this order:
//   1. DATABASE_URL, REDIS_URL, KAFKA_BROKERS from the environment (.ci/run and `npm run services`);
//   2. Testcontainers (MySQL 8, Redis 7, Kafka) where a Docker engine is present;
//   3. otherwise it fails, naming `npm run services`. No test is ever skipped for a missing service.
// It then creates one fresh, migrated database per Vitest worker so test files run in parallel.
import type { TestProject } from 'vitest/node';
import { createConnection } from 'mysql2/promise';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { existsSync } from 'node:fs';
import { createOrm, parseDatabaseUrl } from '../src/platform/db.ts';
import { connectRedis, createRedis } from '../src/platform/redis.ts';
import { ormModel } from '../src/domain/model.ts';
import { MAX_WORKERS, workerDbName } from './support/workers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    dbDriver: 'mariadb' | 'mysql';
    redisUrl: string;
    kafkaBrokers: string;
    /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES), or '' for the single Redis. */
    redisClusterNodes: string;
  }
}

type Services = { databaseUrl: string; redisUrl: string; kafkaBrokers: string; dbDriver: 'mariadb' | 'mysql'; stop: () => Promise<void> };

async function fromEnvironment(): Promise<Services | undefined> {
  const { DATABASE_URL, REDIS_URL, KAFKA_BROKERS } = process.env;
  if (!DATABASE_URL || !REDIS_URL || !KAFKA_BROKERS) return undefined;
  const dbDriver = process.env.DB_DRIVER === 'mysql' ? 'mysql' : 'mariadb';
  return { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, kafkaBrokers: KAFKA_BROKERS, dbDriver, stop: async () => {} };
}

async function fromTestcontainers(): Promise<Services | undefined> {
  const hasDocker = existsSync('/var/run/docker.sock') || !!process.env.DOCKER_HOST;
  if (!hasDocker) return undefined;
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [mysql, redis, kafka] = await Promise.all([
    new MySqlContainer('mysql:8.0').withRootPassword('root').start(),
    new RedisContainer('redis:7').start(),
    new KafkaContainer('confluentinc/cp-kafka:8.0.0').withKraft().start(),
  ]);
  return {
    databaseUrl: mysql.getConnectionUri(true).replace(/\/[^/]*$/, '/encore'),
    redisUrl: redis.getConnectionUrl(),
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    dbDriver: 'mysql',
    stop: async () => {
      await Promise.all([mysql.stop(), redis.stop(), kafka.stop()]);
    },
  };
}

async function assertReachable(s: Services): Promise<void> {
  const problems: string[] = [];
  const db = parseDatabaseUrl(s.databaseUrl);
  await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, connectTimeout: 3000 })
    .then((c) => c.end())
    .catch((e: Error) => problems.push(`MySQL at ${db.host}:${db.port} as ${db.user}: ${e.message}`));
  const redis = new Redis(s.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  await redis.connect().then(() => redis.ping()).catch((e: Error) => problems.push(`Redis at ${s.redisUrl}: ${e.message}`));
  redis.disconnect();
  const clusterNodes = process.env.REDIS_CLUSTER_NODES?.split(',').filter(Boolean);
  if (clusterNodes?.length) {
    const cluster = createRedis({ REDIS_URL: s.redisUrl, REDIS_CLUSTER_NODES: clusterNodes }, 'command');
    await connectRedis(cluster).then(() => cluster.cluster('INFO')).then((info) => {
      if (!String(info).includes('cluster_state:ok')) throw new Error('cluster_state is not ok');
    }).catch((e: Error) => problems.push(`Redis Cluster at ${clusterNodes.join(',')}: ${e.message}`));
    cluster.disconnect();
  }
  const admin = new Kafka({ brokers: s.kafkaBrokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await admin.connect().then(() => admin.listTopics()).catch((e: Error) => problems.push(`Kafka at ${s.kafkaBrokers}: ${e.message}`));
  await admin.disconnect();
  if (problems.length) {
    throw new Error(`Test services are not reachable:\n  ${problems.join('\n  ')}\nStart them with \`npm run services\` and export what it prints.`);
  }
}

/** Drops and recreates encore_test_<n> for every worker, then applies all migrations to each. */
async function prepareWorkerDatabases(s: Services): Promise<void> {
  const db = parseDatabaseUrl(s.databaseUrl);
  const conn = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  try {
    for (let i = 1; i <= MAX_WORKERS; i++) {
      const name = workerDbName(i);
      await conn.query(`drop database if exists \`${name}\``);
      await conn.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
    }
  } finally {
    await conn.end();
  }
  await Promise.all(
    Array.from({ length: MAX_WORKERS }, async (_, k) => {
      const url = new URL(s.databaseUrl);
      url.pathname = `/${workerDbName(k + 1)}`;
      const orm = await createOrm({ DATABASE_URL: url.toString(), DB_DRIVER: s.dbDriver, DB_POOL_MAX: 2 }, ormModel);
      try {
        await orm.migrator.up();
      } finally {
        await orm.close(true);
      }
    }),
  );
}

export default async function setup(project: TestProject) {
  const services =
    (await fromEnvironment()) ??
    (await fromTestcontainers()) ??
    (() => {
      throw new Error(
        'No test services: set DATABASE_URL, REDIS_URL and KAFKA_BROKERS (run `npm run services` and export what it prints), or run where Docker is available for Testcontainers.',
      );
    })();
  await assertReachable(services);
  await prepareWorkerDatabases(services);
  project.provide('databaseUrl', services.databaseUrl);
  project.provide('dbDriver', services.dbDriver);
  project.provide('redisUrl', services.redisUrl);
  project.provide('kafkaBrokers', services.kafkaBrokers);
  project.provide('redisClusterNodes', process.env.REDIS_CLUSTER_NODES ?? '');
  return () => services.stop();
}
