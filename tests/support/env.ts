// Per-test-file isolation: this worker's database, a random Redis key prefix and Kafka topic
// prefix, so files run in parallel without global resets.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { createRuntime, type Runtime } from '../../src/platform/runtime.ts';
import { ormModel } from '../../src/domain/model.ts';
import { workerDbName } from './workers.ts';

export function uniqueId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 12);
}

export function workerDatabaseUrl(): string {
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${workerDbName(process.env.VITEST_POOL_ID ?? '1')}`;
  return url.toString();
}

/** The environment an Encore process under test gets (also used to spawn API/worker processes). */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const id = uniqueId();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: workerDatabaseUrl(),
    DB_DRIVER: inject('dbDriver'),
    DB_POOL_MAX: '10',
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `t${id}`,
    // The same files run once more against a Redis Cluster in CI (.ci/run).
    ...(inject('redisClusterNodes') ? { REDIS_CLUSTER_NODES: inject('redisClusterNodes') } : {}),
    KAFKA_BROKERS: inject('kafkaBrokers'),
    KAFKA_TOPIC_PREFIX: `t${id}.`,
    KAFKA_TOPIC_PARTITIONS: '3',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ADMIN_USER: 'admin',
    ADMIN_PASSWORD: 'test-admin-password',
    // Tests drive hundreds of fans from one address; the rate-limit tests turn limits on.
    RATE_LIMITS: 'off',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testEnv(overrides));
}

/**
 * `after` is applied to the parsed config: a test can run the app as production
 * (`{ NODE_ENV: 'production' }`) without production's secret checks, which the test database's
 * development password could never pass.
 */
export async function testRuntime(overrides: Record<string, string> = {}, after: Partial<Config> = {}): Promise<Runtime> {
  return createRuntime({ ...testConfig(overrides), ...after }, ormModel, 'test');
}

/**
 * Fresh user ids for one test file. Files that share a worker's database never share users (the
 * seed test, for one, funds users 1..50).
 */
export function userIdSource(): (n: number) => number[] {
  let next = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  return (n) => Array.from({ length: n }, () => next++);
}
