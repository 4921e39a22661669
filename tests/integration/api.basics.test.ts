// HTTP basics against a real app: health with real dependencies, the one error shape, auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { signUserToken } from '../../src/api/auth.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { testRuntime } from '../support/env.ts';
import { api, listen } from '../support/http.ts';
import { startTestApi, type TestApi } from '../support/app.ts';

let t: TestApi;
let rt: Runtime;
let srv: { url: string };
beforeAll(async () => {
  t = await startTestApi();
  rt = t.rt;
  srv = t;
});
afterAll(async () => {
  await t.close();
});

describe('health', () => {
  it('when MySQL and Redis are up, /health/ready is 200 and reports just those (the API does not need Kafka)', async () => {
    const res = await api(srv.url, '/health/ready');
    expect(res.status).toBe(200);
    expect(res.json.checks).toEqual({ mysql: { status: 'ok' }, redis: { status: 'ok' } });
  });

  it('when Redis is unreachable, /health/ready is 503 naming redis, and /health/live stays 200', async () => {
    const down = await testRuntime({ REDIS_URL: 'redis://127.0.0.1:1' });
    const s = await listen(createApp({ runtime: down, apiRouters: [] }));
    try {
      const res = await api(s.url, '/health/ready');
      expect(res.status).toBe(503);
      expect(res.json.status).toBe('down');
      expect(res.json.checks.redis.status).toBe('down');
      expect(res.json.checks.mysql.status).toBe('ok');
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/); // no internal error text in public
      expect((await api(s.url, '/health/live')).status).toBe(200);
    } finally {
      await s.close();
      await down.close();
    }
  });

  it('when Redis is unreachable the API still starts, and a queue join or a catalog read is a 503, not a 500', async () => {
    const down = await startTestApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const token = await signUserToken(down.rt.config.JWT_SECRET, 9);
      const join = await api(down.url, '/api/queue/tokens', { method: 'POST', token, json: { concertId: 1 } });
      expect(join.status).toBe(503);
      expect(join.json.error.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(join.headers.get('retry-after')).toBe('1');
      expect((await api(down.url, '/api/concerts')).status).toBe(503);
    } finally {
      await down.close();
    }
  });

  it('/metrics exposes the HTTP latency histogram and process metrics', async () => {
    await api(srv.url, '/health/live');
    const res = await api(srv.url, '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toContain('route="/health/live"');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });
});

describe('errors', () => {
  it('an unknown route is a 404 in the JSON error shape', async () => {
    const res = await api(srv.url, '/api/nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('malformed JSON is a 400 MALFORMED_JSON, never a stack trace', async () => {
    const token = await signUserToken(rt.config.JWT_SECRET, 7);
    const res = await api(srv.url, '/api/me', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('MALFORMED_JSON');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a path with malformed %-encoding is a 400, not a 500', async () => {
    const res = await api(srv.url, '/api/concerts/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('BAD_REQUEST');
  });

  it('a JSON body that is not an object names the body itself', async () => {
    const token = await signUserToken(rt.config.JWT_SECRET, 7);
    const res = await api(srv.url, '/api/queue/tokens', { method: 'POST', token, json: [1] });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { in: 'body', field: 'body' } });
  });

  it('an oversized body is a 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await api(srv.url, '/api/me', { method: 'POST', json: { blob: 'x'.repeat(64 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('authentication', () => {
  it('a valid bearer token identifies the user by its subject', async () => {
    const token = await signUserToken(rt.config.JWT_SECRET, 42);
    const res = await api(srv.url, '/api/me', { token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ userId: 42 });
  });

  it.each([
    ['no header', undefined, 'UNAUTHENTICATED'],
    ['garbage', 'not-a-jwt', 'INVALID_TOKEN'],
  ])('%s → 401', async (_name, token, code) => {
    const res = await api(srv.url, '/api/me', token ? { token } : {});
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe(code);
  });

  it('a token signed with another secret, or expired, is a 401 INVALID_TOKEN', async () => {
    const forged = await signUserToken('another-secret-another-secret-another-1', 42);
    expect((await api(srv.url, '/api/me', { token: forged })).json.error.code).toBe('INVALID_TOKEN');
    const expired = await signUserToken(rt.config.JWT_SECRET, 42, -10);
    const res = await api(srv.url, '/api/me', { token: expired });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toBe('token expired');
  });
});
