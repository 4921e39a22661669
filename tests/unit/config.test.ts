import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';

describe('config', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, QUEUE_MAX_ACTIVE: 100, QUEUE_TICK_MS: 1000, QUEUE_ACTIVE_TTL_SECONDS: 600, HOLD_TTL_SECONDS: 300 });
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  });

  it('names every bad variable in one readable error', () => {
    expect(() => loadConfig({ PORT: 'abc', QUEUE_MAX_ACTIVE: '0' })).toThrow(/PORT[\s\S]*QUEUE_MAX_ACTIVE/);
  });

  it('refuses to start in production without secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required in production[\s\S]*ADMIN_PASSWORD/);
  });

  it('splits KAFKA_BROKERS on commas', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:1, b:2' }).KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });
});
