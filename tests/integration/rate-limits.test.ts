// Rate limits over real HTTP and the real Redis: per user, per client IP (X-Forwarded-For honoured
// through TRUST_PROXY), shared by every API process, 429 RATE_LIMITED with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { testEnv, userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';

const users = userIdSource();
let a: TestApi;
let b: TestApi;
let off: TestApi;
beforeAll(async () => {
  // Two API processes' worth of apps on one Redis prefix: the limits must be shared between them.
  const env = testEnv({
    // The per-user pending-jobs cap would answer 429 first: this test is about the rate limits.
    RATE_LIMITS: 'on', TRUST_PROXY: 'true', MAX_PENDING_JOBS_PER_USER: '0',
    RATE_LIMIT_SUBMIT_PER_USER: '3/60', RATE_LIMIT_CATALOG_PER_IP: '5/60', RATE_LIMIT_ADMIN_LOGIN_PER_IP: '3/60',
  });
  [a, b, off] = await Promise.all([startTestApi(env), startTestApi(env), startTestApi({ RATE_LIMITS: 'off', MAX_PENDING_JOBS_PER_USER: '0', WALLET_CHARGES_PER_MINUTE: '0' })]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close(), off.close()]);
});

const charge = (t: TestApi, jwt: string, ip: string) =>
  api(t.url, '/api/wallet/charges', { method: 'POST', token: jwt, json: { amount: 1000 }, headers: { 'x-forwarded-for': ip } });

describe('rate limits', () => {
  it('one user over the submit limit gets 429 RATE_LIMITED with Retry-After, across API processes; another user does not', async () => {
    const [flooder, fan] = users(2);
    const jwt = await a.token(flooder!);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await charge(i % 2 ? b : a, jwt, `10.1.0.${i + 1}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const refused = await charge(a, jwt, '10.1.0.9');
    expect(refused.json.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'submit' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await charge(b, await a.token(fan!), '10.1.0.1')).status).toBe(202);
  });

  it('one client IP over the catalog limit gets 429; another IP is served', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await api(a.url, '/api/concerts', { headers: { 'x-forwarded-for': '203.0.113.7' } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect((await api(b.url, '/api/concerts', { headers: { 'x-forwarded-for': '203.0.113.8' } })).status).toBe(200);
  });

  it('an IPv6 client is limited by its /64, so rotating addresses inside it does not help', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await api(a.url, '/api/concerts', { headers: { 'x-forwarded-for': `2001:db8:1:2::${i + 1}` } })).status);
    expect(statuses.at(-1)).toBe(429);
  });

  it('failed Bull Board logins are limited per IP; past the limit even the right password waits', async () => {
    const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`, 'x-forwarded-for': '198.51.100.4' });
    const wrong = [];
    for (let i = 0; i < 3; i++) wrong.push((await api(a.url, '/admin/queues', { headers: basic('admin', 'guess') })).status);
    expect(wrong).toEqual([401, 401, 401]);
    const right = await api(a.url, '/admin/queues', { headers: basic('admin', 'test-admin-password') });
    expect(right.status).toBe(429);
    expect(right.json.error.code).toBe('RATE_LIMITED');
    expect(right.headers.get('retry-after')).toBeTruthy();
  });

  it('/health/ready says whether limits are on; with RATE_LIMITS=off, 40 charges in a row from one IP are all accepted (202)', async () => {
    expect((await api(a.url, '/health/ready')).json.rateLimits).toBe('on');
    expect((await api(off.url, '/health/ready')).json.rateLimits).toBe('off');
    const jwt = await off.token(users(1)[0]!);
    const statuses = new Set<number>();
    for (let i = 0; i < 40; i++) statuses.add((await charge(off, jwt, '10.9.9.9')).status);
    expect([...statuses]).toEqual([202]);
  });

  it('the OpenAPI document names each route\'s limit class', async () => {
    const doc = (await api(a.url, '/openapi.json')).json;
    expect(doc.paths['/api/wallet/charges'].post['x-rate-limit']).toBe('submit');
    expect(doc.paths['/api/concerts'].get['x-rate-limit']).toBe('catalog');
    expect(doc.paths['/api/queue/tokens'].post['x-rate-limit']).toBe('join');
    expect(doc.paths['/api/wallet/charges'].post.responses['429']).toBeDefined();
  });
});
