// The operations surface: /metrics and detailed readiness on OPS_PORT's app, or behind OPS_TOKEN
// on the API port; never open in production without one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createOpsApp } from '../../src/api/app.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { testRuntime } from '../support/env.ts';
import { api, listen, type TestServer } from '../support/http.ts';

const OPS_TOKEN = 'ops-token-for-this-test-0123456789';
let guarded: Runtime;
let prodNoToken: Runtime;
let withPort: Runtime;
const servers: TestServer[] = [];
const serve = async (app: Parameters<typeof listen>[0]) => {
  const s = await listen(app);
  servers.push(s);
  return s.url;
};
beforeAll(async () => {
  guarded = await testRuntime({ OPS_TOKEN });
  // Production rules apply to routes, not to the test's secrets: build its config in test mode,
  // then flip NODE_ENV as a production process would have it.
  prodNoToken = await testRuntime();
  (prodNoToken.config as { NODE_ENV: string }).NODE_ENV = 'production';
  withPort = await testRuntime({ OPS_PORT: '9' });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all([guarded.close(), prodNoToken.close(), withPort.close()]);
});

describe('ops endpoints', () => {
  it('behind OPS_TOKEN: 401 without it, 200 with it; detailed readiness includes Kafka', async () => {
    const url = await serve(createApp({ runtime: guarded, apiRouters: [] }));
    expect((await api(url, '/metrics')).status).toBe(401);
    expect((await api(url, '/health/details', { token: 'wrong' })).status).toBe(401);
    expect((await api(url, '/metrics', { token: OPS_TOKEN })).text).toContain('process_cpu_user_seconds_total');
    const details = await api(url, '/health/details', { token: OPS_TOKEN });
    expect(details.json.checks).toMatchObject({ mysql: { status: 'ok' }, redis: { status: 'ok' }, kafka: { status: 'ok' } });
  });

  it('in production without OPS_TOKEN or OPS_PORT the API port does not serve them at all', async () => {
    const url = await serve(createApp({ runtime: prodNoToken, apiRouters: [] }));
    expect((await api(url, '/metrics')).status).toBe(404);
    expect((await api(url, '/health/details')).status).toBe(404);
    expect((await api(url, '/health/ready')).status).toBe(200);
  });

  it('with OPS_PORT they move to the ops app, and the API port no longer has them', async () => {
    const apiUrl = await serve(createApp({ runtime: withPort, apiRouters: [] }));
    const opsUrl = await serve(createOpsApp(withPort));
    expect((await api(apiUrl, '/metrics')).status).toBe(404);
    expect((await api(opsUrl, '/metrics')).status).toBe(200);
    expect((await api(opsUrl, '/health/details')).json.checks.kafka.status).toBe('ok');
  });
});
