import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { kafkaSecurity, topicReplication } from '../../src/platform/kafka.ts';

const dev = { NODE_ENV: 'development' };
/** A production environment with every secret set to a real-looking value. */
const prod = {
  NODE_ENV: 'production',
  DATABASE_URL: 'mysql://encore:s3cret-db-pass@db:3306/encore',
  REDIS_URL: 'redis://:s3cret-redis-pass@redis:6379',
  JWT_SECRET: 'a-real-production-secret-of-at-least-32-chars',
  ADMIN_USER: 'ops',
  ADMIN_PASSWORD: 'a-real-admin-password',
  KAFKA_REPLICATION_FACTOR: '3',
};

describe('config', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(dev);
    expect(c).toMatchObject({ PORT: 3000, QUEUE_MAX_ACTIVE: 100, QUEUE_TICK_MS: 1000, QUEUE_ACTIVE_TTL_SECONDS: 600, HOLD_TTL_SECONDS: 300, RATE_LIMITS: 'on' });
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(c.RATE_LIMIT_SUBMIT_PER_USER).toEqual({ points: 30, seconds: 60 });
  });

  it('names every bad variable in one readable error', () => {
    expect(() => loadConfig({ ...dev, PORT: 'abc', QUEUE_MAX_ACTIVE: '0' })).toThrow(/PORT[\s\S]*QUEUE_MAX_ACTIVE/);
    expect(() => loadConfig({ ...dev, RATE_LIMIT_JOIN_PER_USER: 'lots' })).toThrow(/RATE_LIMIT_JOIN_PER_USER: must be "points\/seconds"/);
  });

  it('NODE_ENV unset means production: without secrets it refuses to start, naming each variable', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET: required in production[\s\S]*ADMIN_USER[\s\S]*ADMIN_PASSWORD[\s\S]*DATABASE_URL[\s\S]*REDIS_URL/);
  });

  it('production starts with real secrets', () => {
    expect(loadConfig(prod).JWT_SECRETS).toEqual([prod.JWT_SECRET]);
  });

  it.each([
    ['JWT_SECRET', { JWT_SECRET: 'encore-development-secret-do-not-use-in-production' }],
    ['JWT_SECRET', { JWT_SECRET: `${prod.JWT_SECRET},encore-compose-demo-secret-change-me-please` }],
    ['JWT_SECRETS', { JWT_SECRETS: 'test-secret-test-secret-test-secret-0123' }],
    ['ADMIN_PASSWORD', { ADMIN_PASSWORD: 'encore-compose-admin' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://encore:encore@db:3306/encore' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root:root@db:3306/encore' }],
    ['KAFKA_REPLICATION_FACTOR', { KAFKA_REPLICATION_FACTOR: '1' }],
  ])('production refuses a known development/demo value of %s, naming it', (name, env) => {
    expect(() => loadConfig({ ...prod, ...env })).toThrow(new RegExp(`${name}: `));
  });

  it('production accepts replication factor 1 only when KAFKA_ALLOW_SINGLE_REPLICA=true', () => {
    expect(loadConfig({ ...prod, KAFKA_REPLICATION_FACTOR: '1', KAFKA_ALLOW_SINGLE_REPLICA: 'true' }).KAFKA_REPLICATION_FACTOR).toBe(1);
  });

  it('production may rely on the identity provider\'s public keys instead of an HS256 secret', () => {
    const { JWT_SECRET: _unused, ...noSecret } = prod;
    expect(loadConfig({ ...noSecret, JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json' }).JWT_SECRETS).toEqual([]);
  });

  it('development keeps its fixed fake secrets; JWT_SECRET and JWT_SECRETS merge into one rotation list', () => {
    expect(loadConfig(dev).JWT_SECRET).toBe('encore-development-secret-do-not-use-in-production');
    const c = loadConfig({ ...dev, JWT_SECRET: 'n'.repeat(32) + ',' + 'o'.repeat(32), JWT_SECRETS: 'p'.repeat(32) });
    expect(c.JWT_SECRETS).toEqual(['n'.repeat(32), 'o'.repeat(32), 'p'.repeat(32)]);
    expect(c.JWT_SECRET).toBe('n'.repeat(32));
    expect(() => loadConfig({ ...dev, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: every secret must be at least 32/);
  });

  it('rate limits: off disables a class; RATE_LIMITS=off every one', () => {
    expect(loadConfig({ ...dev, RATE_LIMIT_JOIN_PER_IP: 'off' }).RATE_LIMIT_JOIN_PER_IP).toBeUndefined();
    expect(loadConfig({ ...dev, RATE_LIMITS: 'off' }).RATE_LIMITS).toBe('off');
  });

  it('TRUST_PROXY takes false, true, a hop count or addresses', () => {
    expect(loadConfig(dev).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...dev, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ ...dev, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...dev, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('Kafka TLS and SASL come from the environment', () => {
    const c = loadConfig({ ...dev, KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(kafkaSecurity(c)).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
    expect(kafkaSecurity(loadConfig(dev))).toEqual({});
    expect(() => loadConfig({ ...dev, KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_USERNAME/);
  });

  it('splits KAFKA_BROKERS on commas', () => {
    expect(loadConfig({ ...dev, KAFKA_BROKERS: 'a:1, b:2' }).KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });
});

describe('topic replication', () => {
  it('follows the number of brokers: the configured factor below three, three copies with a majority in sync from three on', () => {
    expect(topicReplication(1, 1)).toEqual({ replicationFactor: 1 });
    expect(topicReplication(2, 2)).toEqual({ replicationFactor: 2 });
    expect(topicReplication(3, 1)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(topicReplication(5, 5)).toEqual({ replicationFactor: 5, minInsyncReplicas: 3 });
  });
});

describe('rate limit defaults', () => {
  it('the default poll limit allows at least four times the fastest server pace (one poll a second)', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    // pollAfterMs is at least 1 s (seconds near the front): 60 polls a minute at most.
    const perMinute = (c.RATE_LIMIT_POLL_PER_USER!.points * 60) / c.RATE_LIMIT_POLL_PER_USER!.seconds;
    expect(perMinute).toBeGreaterThanOrEqual(4 * 60);
  });
});
